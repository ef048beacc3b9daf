/**
 * The sandbox's fault switches: validating a partial `SandboxFaults` (from code or from
 * `POST /__sandbox/faults`), and deciding what an armed counted fault does to an API call
 * (HTTP 429, an HTTP error, a body error, or a truncated answer). Outage and delay are
 * applied by the dispatcher (./server), which owns the socket and the timers.
 */
import { BadRequest, isObject, json, type Reply } from "./http"
import type { FaultTarget, Kind, SandboxFaults } from "./types"

const FAULT_TARGETS: readonly FaultTarget[] = [
  "all",
  "orders",
  "token",
  "delivery",
  "items",
]

/** The LINE Gift API calls (faults hit these only; never control calls nor the HTML page). */
export const API_KINDS: ReadonlySet<Kind> = new Set<Kind>([
  "token",
  "refresh",
  "order_search",
  "delivery",
  "items",
  "item",
])

const TARGET_KINDS: Record<FaultTarget, ReadonlySet<Kind>> = {
  all: API_KINDS,
  orders: new Set<Kind>(["order_search"]),
  token: new Set<Kind>(["token", "refresh"]),
  delivery: new Set<Kind>(["delivery"]),
  items: new Set<Kind>(["items", "item"]),
}

const FAULT_KEYS: ReadonlyArray<keyof SandboxFaults> = [
  "bodyError",
  "httpError",
  "rateLimit",
  "truncatedJson",
  "delayMs",
  "delayOn",
  "malformedOrders",
  "stringPaging",
  "outage",
  "expiredAsBodyError",
  "bareNumberIds",
  "repeatingPage",
]

type CountedKey = "bodyError" | "httpError" | "rateLimit" | "truncatedJson"
type FlagKey =
  | "malformedOrders"
  | "stringPaging"
  | "outage"
  | "expiredAsBodyError"
  | "bareNumberIds"
  | "repeatingPage"

/** What `normalizeFaults` found: keys to set, and keys to remove. */
type FaultChanges = {
  set: SandboxFaults
  remove: Array<keyof SandboxFaults>
}

function target(v: unknown, name: string): FaultTarget | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== "string" || !FAULT_TARGETS.includes(v as FaultTarget)) {
    throw new BadRequest(`${name} must be one of ${FAULT_TARGETS.join(", ")}`)
  }
  return v as FaultTarget
}

function nonNegInt(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new BadRequest(`${name} must be a non-negative integer`)
  }
  return v
}

/** `bodyError: { count, code, reason?, on? }` once `count` > 0 is known. */
function bodyError(
  value: Record<string, unknown>,
  count: number,
  on: FaultTarget | undefined
): SandboxFaults["bodyError"] {
  const code = value.code
  if (typeof code !== "number" || !Number.isInteger(code)) {
    throw new BadRequest("bodyError.code must be an integer")
  }
  if (value.reason !== undefined && typeof value.reason !== "string") {
    throw new BadRequest("bodyError.reason must be a string")
  }
  return { count, code, reason: value.reason as string | undefined, on }
}

/** `httpError: { count, status (400–599), on? }` once `count` > 0 is known. */
function httpError(
  value: Record<string, unknown>,
  count: number,
  on: FaultTarget | undefined
): SandboxFaults["httpError"] {
  const status = value.status
  if (
    typeof status !== "number" ||
    !Number.isInteger(status) ||
    status < 400 ||
    status > 599
  ) {
    throw new BadRequest(
      "httpError.status must be an HTTP error status (400–599)"
    )
  }
  return { count, status, on }
}

/** A counted fault (`{ count, … }`): set it, or remove it when `count` is 0. */
function countedFault(
  key: CountedKey,
  value: unknown,
  changes: FaultChanges
): void {
  if (!isObject(value)) throw new BadRequest(`${key} must be an object`)
  const count = nonNegInt(value.count, `${key}.count`)
  if (count === 0) {
    changes.remove.push(key)
    return
  }
  const on = target(value.on, `${key}.on`)
  const { set } = changes
  if (key === "bodyError") set.bodyError = bodyError(value, count, on)
  else if (key === "httpError") set.httpError = httpError(value, count, on)
  else if (key === "rateLimit") {
    set.rateLimit = {
      count,
      retryAfterSec: nonNegInt(value.retryAfterSec, "rateLimit.retryAfterSec"),
      on,
    }
  } else set.truncatedJson = { count, on }
}

/** A boolean switch: true sets it, false removes it. */
function flag(key: FlagKey, value: unknown, changes: FaultChanges): void {
  if (typeof value !== "boolean")
    throw new BadRequest(`${key} must be true or false`)
  if (value) changes.set[key] = true
  else changes.remove.push(key)
}

/** Applies one `key: value` of the input to `changes`. @throws BadRequest. */
function faultEntry(key: string, value: unknown, changes: FaultChanges): void {
  switch (key) {
    case "bodyError":
    case "httpError":
    case "rateLimit":
    case "truncatedJson":
      return countedFault(key, value, changes)
    case "delayMs": {
      const ms = nonNegInt(value, "delayMs")
      if (ms === 0) changes.remove.push("delayMs")
      else changes.set.delayMs = ms
      return
    }
    case "delayOn":
      changes.set.delayOn = target(value, "delayOn")
      return
    case "malformedOrders":
    case "stringPaging":
    case "outage":
    case "expiredAsBodyError":
    case "bareNumberIds":
    case "repeatingPage":
      return flag(key, value, changes)
    default:
      throw new BadRequest(`unknown fault "${key}"`)
  }
}

/**
 * Validates a partial `SandboxFaults` (from code or from `POST /__sandbox/faults`).
 * Returns the keys to set, and the keys to remove (null/undefined values, count 0, delayMs 0, false).
 * @throws BadRequest naming the offending field.
 */
export function normalizeFaults(input: unknown): FaultChanges {
  if (!isObject(input)) throw new BadRequest("faults must be a JSON object")
  const changes: FaultChanges = { set: {}, remove: [] }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) {
      if (!(FAULT_KEYS as readonly string[]).includes(key)) {
        throw new BadRequest(`unknown fault "${key}"`)
      }
      changes.remove.push(key as keyof SandboxFaults)
      continue
    }
    faultEntry(key, value, changes)
  }
  return changes
}

/** True when a fault aimed at `on` (default "all") hits a call of `kind`. */
export function hits(on: FaultTarget | undefined, kind: Kind): boolean {
  return TARGET_KINDS[on ?? "all"].has(kind)
}

/** Decrements a counted fault; removes it when spent. */
function consume(faults: SandboxFaults, key: CountedKey): void {
  const f = faults[key]
  if (!f) return
  f.count -= 1
  if (f.count <= 0) delete faults[key]
}

/**
 * The counted fault an API call of `kind` takes, first match in this order: rateLimit,
 * httpError, bodyError (each answers instead of the call), truncatedJson (the call is
 * processed, its answer cut). The fault taken is consumed from `faults`.
 */
export function takeCountedFault(
  faults: SandboxFaults,
  kind: Kind
): { reply?: Reply; truncate: boolean } {
  const { rateLimit, httpError, bodyError, truncatedJson } = faults
  if (rateLimit && hits(rateLimit.on, kind)) {
    consume(faults, "rateLimit")
    const reason = "too many requests (sandbox fault)"
    const headers = { "Retry-After": String(rateLimit.retryAfterSec) }
    return { reply: json(429, { code: 429, reason }, headers), truncate: false }
  }
  if (httpError && hits(httpError.on, kind)) {
    consume(faults, "httpError")
    const { status } = httpError
    const reason = `sandbox fault: HTTP ${status}`
    return { reply: json(status, { code: status, reason }), truncate: false }
  }
  if (bodyError && hits(bodyError.on, kind)) {
    consume(faults, "bodyError")
    const reason = bodyError.reason ?? "sandbox fault"
    return {
      reply: json(200, { code: bodyError.code, reason }),
      truncate: false,
    }
  }
  if (truncatedJson && hits(truncatedJson.on, kind)) {
    consume(faults, "truncatedJson")
    return { truncate: true }
  }
  return { truncate: false }
}
