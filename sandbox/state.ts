/**
 * The sandbox's state: its resolved options, the served orders, the call log, the armed
 * faults and shapes, and the OAuth codes and tokens; with the operations the public
 * `Sandbox` object exposes on them (reset, add/update orders, faults, shapes) and the
 * optional state file that keeps orders and tokens across restarts.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { normalizeFaults } from "./faults"
import {
  DAY_SEC,
  DEFAULT_ORDER_COUNT,
  DEFAULT_SEED,
  FIRST_ORDER_ID,
  SANDBOX_ORDER_STATUSES,
  buildOrder,
  mulberry32,
  seedItemStock,
  seedOrders,
  type Rng,
  type SandboxOrder,
  type SandboxOrderStatus,
} from "./seed"
import * as shapeRules from "./shapes"
import type { SandboxShapes } from "./shapes"
import {
  SANDBOX_DEFAULT_CLIENT,
  type SandboxCall,
  type SandboxFaults,
  type SandboxOptions,
} from "./types"

/** A live access token: its app, expiry (sandbox clock, ms) and whether a refresh revoked it. */
export type AccessRecord = {
  clientId: string
  expiresAtMs: number
  revoked: boolean
}
/** A refresh token (single use) and the access token it was issued with. */
export type RefreshRecord = {
  clientId: string
  expiresAtMs: number
  used: boolean
  accessToken: string
}
/** An authorization code (single use, 10 minutes) and the redirect URI it was issued for. */
export type CodeRecord = {
  clientId: string
  redirectUri: string
  expiresAtMs: number
  used: boolean
}

/** `SandboxOptions` with every default applied. Durations in seconds; `now` in milliseconds. */
export type SandboxConfig = {
  seed: number
  orderCount: number
  now: () => number
  clients: Array<{ clientId: string; clientSecret: string }>
  accessTtlSec: number
  refreshTtlSec: number
  includeExpiresIn: boolean
  autoApprove: boolean
  stateFile?: string
}

/** Applies the defaults documented on `SandboxOptions`. */
export function resolveOptions(options: SandboxOptions): SandboxConfig {
  const clients = options.clients?.length
    ? options.clients
    : [SANDBOX_DEFAULT_CLIENT]
  return {
    seed: options.seed ?? DEFAULT_SEED,
    orderCount: options.orderCount ?? DEFAULT_ORDER_COUNT,
    now: options.now ?? Date.now,
    clients: clients.map((c) => ({
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    })),
    accessTtlSec: options.accessTokenTtlSec ?? 60 * DAY_SEC,
    refreshTtlSec: options.refreshTokenTtlSec ?? 90 * DAY_SEC,
    includeExpiresIn: options.includeExpiresIn ?? true,
    autoApprove: options.autoApprove ?? false,
    stateFile: options.stateFile,
  }
}

/** Sets each key of `patch` on `order`; an `undefined` value deletes that field. */
function applyPatch(order: SandboxOrder, patch: Partial<SandboxOrder>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete order[k]
    else order[k] = v
  }
}

/** Everything one sandbox serves and remembers. Orders are seeded at construction. */
export class SandboxState {
  orders: SandboxOrder[] = []
  /** The highest numeric order id removed by clearOrders: new ids continue above it. */
  private clearedMaxId = 0
  calls: SandboxCall[] = []
  faults: SandboxFaults = {}
  shapes: SandboxShapes = {}
  codes = new Map<string, CodeRecord>()
  accessTokens = new Map<string, AccessRecord>()
  refreshTokens = new Map<string, RefreshRecord>()
  /** Seeded stock counts by SKU (item answers). */
  readonly stock: Record<string, number>
  private addRng: Rng = mulberry32(0)

  constructor(readonly config: SandboxConfig) {
    this.stock = seedItemStock(config.seed)
    this.reseed()
    this.loadState()
  }

  /** The sandbox clock in milliseconds. */
  now(): number {
    return this.config.now()
  }

  /** The sandbox clock in Unix seconds. */
  nowSec(): number {
    return Math.floor(this.config.now() / 1000)
  }

  private reseed(): void {
    const { seed, orderCount } = this.config
    this.clearedMaxId = 0
    this.orders = seedOrders(seed, orderCount, this.nowSec())
    this.addRng = mulberry32((seed ^ 0x00add0dd) >>> 0)
  }

  /** Loads orders and tokens from the state file when it exists and has our seed. */
  private loadState(): void {
    const { stateFile, seed } = this.config
    if (!stateFile || !fs.existsSync(stateFile)) return
    try {
      const state: unknown = JSON.parse(fs.readFileSync(stateFile, "utf8"))
      const saved = state as {
        seed?: unknown
        orders?: unknown
        accessTokens?: Array<[string, AccessRecord]>
        refreshTokens?: Array<[string, RefreshRecord]>
      }
      if (saved.seed !== seed || !Array.isArray(saved.orders)) return
      this.orders = saved.orders as SandboxOrder[]
      this.accessTokens = new Map(saved.accessTokens ?? [])
      this.refreshTokens = new Map(saved.refreshTokens ?? [])
    } catch {
      // A damaged state file: start from the seed again.
    }
  }

  /** Writes orders and tokens to the state file (if any), atomically (temp file + rename). */
  saveState(): void {
    const { stateFile, seed } = this.config
    if (!stateFile) return
    fs.mkdirSync(nodePath.dirname(stateFile), { recursive: true })
    const tmp = `${stateFile}.tmp`
    fs.writeFileSync(
      tmp,
      JSON.stringify({
        seed,
        orders: this.orders,
        accessTokens: [...this.accessTokens.entries()],
        refreshTokens: [...this.refreshTokens.entries()],
      })
    )
    fs.renameSync(tmp, stateFile)
  }

  /** Reseeds the orders and forgets faults, shapes, calls, codes and tokens. */
  reset(): void {
    this.reseed()
    this.faults = {}
    this.shapes = {}
    this.calls = []
    this.codes = new Map()
    this.accessTokens = new Map()
    this.refreshTokens = new Map()
  }

  /** Merges validated fault switches into the armed ones. @throws BadRequest. */
  setFaults(partial: Partial<SandboxFaults>): void {
    const { set, remove } = normalizeFaults(partial)
    const next: SandboxFaults = { ...this.faults, ...set }
    for (const k of remove) delete next[k]
    this.faults = next
  }

  /** Replaces the shapes (validated). @throws Error naming the bad key. */
  setShapes(next: SandboxShapes): void {
    this.shapes = shapeRules.normaliseShapes(next ?? {})
  }

  /** The live order with that id, if any. */
  getOrder(id: string): SandboxOrder | undefined {
    return this.orders.find((o) => o.id === id)
  }

  /** The highest numeric order id served or cleared (FIRST_ORDER_ID − 1 when none). */
  private maxOrderId(): number {
    return this.orders.reduce(
      (m, o) => (/^\d+$/.test(o.id) ? Math.max(m, Number(o.id)) : m),
      Math.max(FIRST_ORDER_ID - 1, this.clearedMaxId)
    )
  }

  /** Removes every order (tokens, faults and calls stay); later orders get new, higher ids. */
  clearOrders(): void {
    this.clearedMaxId = this.maxOrderId()
    this.orders = []
  }

  /** See `Sandbox.addOrder`. @throws Error on a duplicate id. */
  addOrder(partial: Partial<SandboxOrder>): SandboxOrder {
    const p = (partial ?? {}) as Partial<SandboxOrder>
    if (p.id !== undefined && this.orders.some((o) => o.id === String(p.id))) {
      throw new Error(`order ${String(p.id)} already exists`)
    }
    const maxId = this.maxOrderId()
    const t = this.nowSec()
    const status = (SANDBOX_ORDER_STATUSES as readonly string[]).includes(
      String(p.status)
    )
      ? (p.status as SandboxOrderStatus)
      : "payment"
    const boughtOn = typeof p.bought_on === "number" ? p.bought_on : t
    const order = buildOrder(
      this.addRng,
      String(maxId + 1),
      { status, boughtOn },
      Math.max(t, boughtOn)
    )
    applyPatch(order, p)
    if (typeof order.id !== "string") order.id = String(order.id)
    this.orders.push(order)
    return order
  }

  /** See `Sandbox.updateOrder`. @throws Error if the id is unknown. */
  updateOrder(id: string, patch: Partial<SandboxOrder>): SandboxOrder {
    const order = this.getOrder(id)
    if (!order) throw new Error(`unknown sandbox order ${id}`)
    applyPatch(order, patch ?? {})
    return order
  }
}
