/**
 * The sandbox's HTTP server lifecycle: listening on loopback only, tracking open sockets and
 * fault-delay timers, and closing without leaving anything behind (so jest does not hang).
 */
import * as http from "node:http"
import type { Socket } from "node:net"
import { isLoopbackHost } from "./http"

/** Handles one request; a rejection answers HTTP 500 (or destroys a half-sent answer). */
export type RequestHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse
) => Promise<void>

function answerInternalError(res: http.ServerResponse): void {
  if (!res.headersSent && !res.destroyed) {
    res.writeHead(500, { "Content-Type": "application/json; charset=utf-8" })
    res.end(JSON.stringify({ code: 500, reason: "sandbox internal error" }))
  } else {
    res.destroy()
  }
}

/** One HTTP server at a time for a sandbox; `url` is "" while not listening. */
export class SandboxListener {
  private server: http.Server | undefined
  private baseUrl = ""
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(private readonly handler: RequestHandler) {}

  /** Base URL once listening ("" before and after close). */
  get url(): string {
    return this.baseUrl
  }

  /** True while listening. */
  get listening(): boolean {
    return this.server !== undefined
  }

  /** Resolves after `ms` milliseconds; never, if the sandbox is closed first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }

  /** See `Sandbox.listen`: loopback hosts only; resolves "http://HOST:PORT". */
  listen(port = 0, host = "127.0.0.1"): Promise<string> {
    if (this.server)
      return Promise.reject(
        new Error("the LINE Gift sandbox is already listening")
      )
    if (!isLoopbackHost(host)) {
      return Promise.reject(
        new Error(
          `the LINE Gift sandbox listens on loopback only, not "${host}"`
        )
      )
    }
    const srv = http.createServer((req, res) => {
      this.handler(req, res).catch(() => answerInternalError(res))
    })
    srv.on("connection", (socket: Socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        srv.removeListener("listening", onListening)
        reject(err)
      }
      const onListening = () => {
        srv.removeListener("error", onError)
        const addr = srv.address()
        const actualPort = typeof addr === "object" && addr ? addr.port : port
        const shownHost = host.includes(":") ? `[${host}]` : host
        this.server = srv
        this.baseUrl = `http://${shownHost}:${actualPort}`
        resolve(this.baseUrl)
      }
      srv.once("error", onError)
      srv.once("listening", onListening)
      srv.listen(port, host)
    })
  }

  /** See `Sandbox.close`: stops listening, clears timers, destroys open sockets. */
  close(): Promise<void> {
    const srv = this.server
    this.server = undefined
    this.baseUrl = ""
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    if (!srv) return Promise.resolve()
    return new Promise((resolve) => {
      srv.close(() => resolve())
      for (const s of this.sockets) s.destroy()
      this.sockets.clear()
      srv.closeAllConnections?.()
    })
  }
}
