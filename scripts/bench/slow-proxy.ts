/**
 * A loopback HTTP proxy in front of the sandbox that makes ONE shop's LINE Gift slow.
 *
 * The sandbox's own `delayMs` fault hits every caller, and all shops of a bench or test talk to
 * the same sandbox (the plugin reads one LINE Gift base URL at boot). To slow one shop only,
 * the plugin is pointed at this proxy: a request carrying one of `slowTokens` (order search
 * `?access_token=…`, or `Authorization: Bearer …`) is held `delayMs` milliseconds before it is
 * forwarded; every other request goes straight through (streamed, not buffered).
 *
 * Used by the bench's "ten shops due at once" row and integration-tests/http/due-shops.spec.ts.
 * Not published (scripts/ is not part of the plugin package).
 */
import http from "http"
import type { AddressInfo } from "net"

/** A running proxy. */
export type SlowProxy = {
  /** Base URL, e.g. "http://127.0.0.1:PORT" (point LINE_GIFT_SANDBOX_URL here). */
  readonly url: string
  /** Access tokens whose requests are delayed (add the slow shop's token). */
  readonly slowTokens: Set<string>
  /** Delay of a slow request in milliseconds (changeable at any time). */
  delayMs: number
  /**
   * When set, a slow request waits for this promise instead of `delayMs` (a test opens the
   * gate when it has seen what it waits for, so its verdict does not hang on timings), but at
   * most `maxHoldMs` (default MAX_HOLD_MS, under the client's default 15 s per-attempt timeout).
   */
  holdUntil: Promise<unknown> | null
  /** Requests delayed so far. */
  readonly delayed: () => number
  /** Stops listening and destroys open sockets. Safe to call twice. */
  close: () => Promise<void>
}

/** Default longest hold of a gated request (ms): under the client's default 15 s per-attempt timeout. */
export const MAX_HOLD_MS = 12_000

/** The access token a request carries (query `access_token` or a Bearer header), if any. */
function tokenOf(req: http.IncomingMessage): string | null {
  const url = new URL(req.url ?? "/", "http://proxy.invalid")
  const fromQuery = url.searchParams.get("access_token")
  if (fromQuery) return fromQuery
  const auth = req.headers.authorization
  return auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length) : null
}

/**
 * Starts the proxy on `port` (0 = ephemeral) on 127.0.0.1, forwarding to `target`
 * ("http://127.0.0.1:PORT", the sandbox's URL).
 * @throws when the port cannot be bound.
 */
export async function startSlowProxy(
  target: string,
  options: { port?: number; delayMs?: number; maxHoldMs?: number } = {}
): Promise<SlowProxy> {
  const upstream = new URL(target)
  const slowTokens = new Set<string>()
  let delayed = 0
  const sockets = new Set<import("net").Socket>()
  const state: { delayMs: number; holdUntil: Promise<unknown> | null } = {
    delayMs: options.delayMs ?? 2000,
    holdUntil: null,
  }

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    out.on("error", () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(out)
  }

  const server = http.createServer((req, res) => {
    const token = tokenOf(req)
    if (
      token &&
      slowTokens.has(token) &&
      (state.holdUntil || state.delayMs > 0)
    ) {
      delayed++
      // Paused until forwarded: the body (if any) is piped once the hold is over.
      req.pause()
      const go = () => {
        if (!req.destroyed) forward(req, res)
      }
      if (state.holdUntil) {
        const cap = new Promise((resolve) =>
          setTimeout(resolve, options.maxHoldMs ?? MAX_HOLD_MS)
        )
        void Promise.race([state.holdUntil, cap]).then(go, go)
      } else setTimeout(go, state.delayMs)
      return
    }
    forward(req, res)
  })
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const { port } = server.address() as AddressInfo
  let closed = false
  return {
    url: `http://127.0.0.1:${port}`,
    slowTokens,
    get delayMs() {
      return state.delayMs
    },
    set delayMs(ms: number) {
      state.delayMs = ms
    },
    get holdUntil() {
      return state.holdUntil
    },
    set holdUntil(gate: Promise<unknown> | null) {
      state.holdUntil = gate
    },
    delayed: () => delayed,
    close: async () => {
      if (closed) return
      closed = true
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
