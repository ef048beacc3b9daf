/**
 * HTTP plumbing of the sandbox: the `Reply` a route returns, reading and parsing request
 * bodies, classifying a request into a call kind, and writing a reply (optionally with its
 * JSON cut in half for the `truncatedJson` fault). No sandbox state here.
 */
import type * as http from "node:http"
import { randomBytes } from "node:crypto"
import { parseJsonLossless, stringifyLossless } from "./real-data"
import type { Kind, SandboxCall } from "./types"

/** What a route answers: JSON (status, body, extra headers), an HTML page, or a 302 redirect. */
export type Reply =
  | {
      type: "json"
      status: number
      body: unknown
      headers?: Record<string, string>
    }
  | { type: "html"; status: number; html: string }
  | { type: "redirect"; location: string }

/** A request the sandbox refuses with HTTP 400; the message is the answer's `reason`. */
export class BadRequest extends Error {}

const MAX_BODY_BYTES = 1024 * 1024

/** A JSON reply. */
export const json = (
  status: number,
  body: unknown,
  headers?: Record<string, string>
): Reply => ({
  type: "json",
  status,
  body,
  headers,
})

/** A non-empty trimmed string from a body/query value (numbers accepted), else "". */
export function text(v: unknown): string {
  if (typeof v === "string") return v.trim()
  if (typeof v === "number" && Number.isFinite(v)) return String(v)
  return ""
}

/** True for a plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/** Escapes `& < > " '` for HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
}

/** True for "localhost", "::1" and 127.x.x.x (the only hosts the sandbox listens on). */
export function isLoopbackHost(host: string): boolean {
  return (
    host === "localhost" ||
    host === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  )
}

/** Parses an optional positive integer query parameter; NaN when present but invalid. */
export function positiveInt(v: string | undefined, fallback: number): number {
  if (v === undefined || v === "") return fallback
  if (!/^\d+$/.test(v.trim())) return NaN
  const n = Number(v.trim())
  return n >= 1 ? n : NaN
}

/** A random base64url token of `bytes` random bytes (tokens and authorization codes). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url")
}

/** The path without trailing slashes ("/" stays "/"). */
export function trimmedPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path
}

/** `decodeURIComponent`, or the text unchanged when it is not valid percent-encoding. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * Parses a request body: JSON (application/json or anything starting with "{"), else
 * form-urlencoded. Null when empty.
 * @throws BadRequest when the JSON is not an object; SyntaxError on invalid JSON.
 */
export function parseBody(
  raw: string,
  contentType: string | undefined
): Record<string, unknown> | null {
  if (!raw.trim()) return null
  const type = (contentType ?? "").toLowerCase()
  if (
    type.includes("application/json") ||
    (!type.includes("urlencoded") && raw.trim().startsWith("{"))
  ) {
    const parsed: unknown = parseJsonLossless(raw)
    if (!isObject(parsed))
      throw new BadRequest("the JSON body must be an object")
    return parsed
  }
  return Object.fromEntries(new URLSearchParams(raw))
}

/** Reads the whole request body as UTF-8. @throws BadRequest over 1 MiB (the request is destroyed). */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest("request body too large"))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

/** Classifies a request by method and (routed) path; `params` carries path parameters. */
export function classify(
  method: string,
  path: string
): { kind: Kind; params: Record<string, string> } {
  const p = trimmedPath(path)
  if (p === "/__sandbox" || p.startsWith("/__sandbox/"))
    return { kind: "control", params: {} }
  if (p === "/oauth2/authorize" && (method === "GET" || method === "POST")) {
    return { kind: "authorize", params: {} }
  }
  if (method === "POST" && p === "/api/v1/oauth2/token")
    return { kind: "token", params: {} }
  if (method === "POST" && p === "/api/v1/oauth2/token/refresh")
    return { kind: "refresh", params: {} }
  if (method === "GET" && p === "/shop/api/1/order/search")
    return { kind: "order_search", params: {} }
  let m = /^\/shop\/api\/1\/order\/([^/]+)\/delivery$/.exec(p)
  if (method === "POST" && m)
    return { kind: "delivery", params: { id: safeDecode(m[1]) } }
  m = /^\/api\/v1\/shops\/([^/]+)\/items$/.exec(p)
  if (method === "GET" && m)
    return { kind: "items", params: { shop_id: safeDecode(m[1]) } }
  m = /^\/api\/v1\/shops\/([^/]+)\/items\/([^/]+)$/.exec(p)
  if (method === "GET" && m) {
    return {
      kind: "item",
      params: { shop_id: safeDecode(m[1]), item_id: safeDecode(m[2]) },
    }
  }
  return { kind: "unknown", params: {} }
}

/** Status, content type and payload of a reply, as written to the socket. */
function render(
  reply: Reply,
  truncate: boolean
): { status: number; headers: Record<string, string>; payload: string } {
  const headers: Record<string, string> = { "Cache-Control": "no-store" }
  if (reply.type === "redirect") {
    headers.Location = reply.location
    headers["Content-Type"] = "text/html; charset=utf-8"
    const payload = `<!doctype html><a href="${escapeHtml(reply.location)}">redirect</a>`
    return { status: 302, headers, payload }
  }
  if (reply.type === "html") {
    headers["Content-Type"] = "text/html; charset=utf-8"
    return { status: reply.status, headers, payload: reply.html }
  }
  Object.assign(headers, reply.headers ?? {})
  headers["Content-Type"] = "application/json; charset=utf-8"
  let payload = stringifyLossless(reply.body)
  if (truncate) payload = payload.slice(0, Math.floor(payload.length / 2))
  return { status: reply.status, headers, payload }
}

/**
 * Writes `reply` (unless the response is already gone) and records its status on `call`.
 * `truncate`: a JSON body is cut in half (the `truncatedJson` fault).
 */
export function send(
  res: http.ServerResponse,
  call: SandboxCall,
  reply: Reply,
  truncate: boolean
): void {
  if (res.destroyed || res.writableEnded) return
  const { status, headers, payload } = render(reply, truncate)
  call.status = status
  headers["Content-Length"] = String(Buffer.byteLength(payload))
  res.writeHead(status, headers)
  res.end(payload)
}
