/**
 * 接続テスト — the connection check of one shop (issue 11 item 1). Runs, in order:
 * 1. token refresh, only when the stored access token is missing or expired;
 * 2. order search page 1 with `per_page=1`;
 * 3. items list page 1 (needs the LINE Gift shop id);
 * 4. optionally, a probe of the shipment call for an order id that does not exist ("0"):
 *    nothing can be shipped by it; the answer shows whether the body encoding is accepted.
 * For every call: host and path (never a query string or secret), HTTP status, time, whether
 * the answer parsed, its top-level keys, a body-level error, and a verdict with the next step
 * naming the option to change. The report holds no token, no secret and no order data: it is
 * the transcript the admin downloads for support.
 *
 * Reads only, except a token refresh (saved under the shop's token lock like any other).
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import type { PublicShop } from "../../modules/line-gift/service"
import {
  isLineGiftApiError,
  resolveLineGiftEndpoints,
  type LineGiftCallInfo,
  type LineGiftEndpointName,
  type LineGiftApiError,
  type LineGiftClient,
  type LineGiftErrorKind,
} from "../../lib/line-gift"
import { getLineGiftClient, ShopTokenStore } from "../helpers/line-gift-client"

/** Verdict codes (the admin translates them: i18n `connectionCheck.verdicts.<code>`). */
export type ConnectionVerdictCode =
  | "ok"
  | "token_still_valid"
  | "probe_ok"
  | "path_not_found"
  | "invalid_grant"
  | "client_rejected"
  | "token_rejected"
  | "unreachable"
  | "timeout"
  | "rate_limited"
  | "server_error"
  | "unexpected_shape"
  | "body_rejected"
  | "bad_request"
  | "not_found"
  | "needs_shop_id"
  | "skipped_after_failure"
  | "not_connected"

/** One line of the check: a call made (or a step skipped) and what it means. */
export type ConnectionCheckEntry = {
  step: "refresh" | "order_search" | "items" | "shipment_probe"
  /** The call as made; null when the step made no call. */
  call:
    | (Omit<LineGiftCallInfo, "endpoint"> & { endpoint: LineGiftEndpointName })
    | null
  ok: boolean
  verdict: ConnectionVerdictCode
  /** The plugin option to change, e.g. `paths.orderSearch`, when one is the likely fix. */
  option: string | null
  /** Plain English next step (the admin shows its own translation of `verdict`). */
  next_step: string
  /** The client's error message (secret-free), when the call failed. */
  error: string | null
}

/** The whole check: redacted, downloadable. */
export type ConnectionCheckReport = {
  shop_id: string
  shop_name: string
  checked_at: string
  ok: boolean
  connection_state: string
  /** The options in force (hosts, paths, the shipment call's encoding and field names). */
  options: {
    orders_base_url: string
    shop_base_url: string
    paths: Record<string, string>
    shipment_call: {
      encoding: "form" | "json"
      fields: { deliveryCode: string; deliveryAgent: string }
    }
  }
  entries: ConnectionCheckEntry[]
}

const PATH_OPTION: Record<LineGiftEndpointName, string> = {
  token: "paths.token",
  refresh: "paths.refresh",
  order_search: "paths.orderSearch",
  delivery: "paths.delivery",
  items: "paths.items",
  item: "paths.item",
}
const HOST_OPTION: Record<LineGiftEndpointName, string> = {
  token: "shopBaseUrl",
  refresh: "shopBaseUrl",
  order_search: "ordersBaseUrl",
  delivery: "ordersBaseUrl",
  items: "shopBaseUrl",
  item: "shopBaseUrl",
}

/** The order id of the shipment probe: LINE Gift has no such order, so nothing is shipped. */
export const SHIPMENT_PROBE_ORDER_ID = "0"

/** What a call's outcome means: the verdict, the option to change and the next step. */
export type ConnectionVerdict = {
  ok: boolean
  verdict: ConnectionVerdictCode
  option: string | null
  next_step: string
}

/** What a verdict of one error kind is judged from. */
type VerdictContext = {
  endpoint: LineGiftEndpointName
  call: LineGiftCallInfo | null
  error: LineGiftApiError
  probe: boolean
  /** The plugin options naming the endpoint's path and host. */
  path: string
  host: string
  /** HTTP status of the answer, if any. */
  status: number | undefined
}

const PROBE_ACCEPTED: ConnectionVerdict = {
  ok: true,
  verdict: "probe_ok",
  option: null,
  next_step: "The shipment call accepted the body.",
}

/** `not_found`: a probe's expected body-level 404, a wrong path (HTTP 404), or a missing object. */
function notFoundVerdict(v: VerdictContext): ConnectionVerdict {
  if (v.probe && v.error.code === 404 && v.status !== 404) {
    return {
      ...PROBE_ACCEPTED,
      next_step:
        "The shipment call accepted the body (the probe order does not exist, as expected).",
    }
  }
  if (v.status === 404) {
    return {
      ok: false,
      verdict: "path_not_found",
      option: v.path,
      next_step: `The path was not found: correct the plugin option \`${v.path}\` (or \`${v.host}\` if the host is wrong).`,
    }
  }
  const items = v.endpoint === "items"
  return {
    ok: false,
    verdict: "not_found",
    option: items ? null : v.path,
    next_step: items
      ? "LINE Gift answered 'not found': check the LINE Gift shop ID entered for the check."
      : `LINE Gift answered 'not found': check the plugin option \`${v.path}\`.`,
  }
}

/** `auth`: the app itself (token calls) or the access token was rejected. */
function authVerdict(v: VerdictContext): ConnectionVerdict {
  if (v.endpoint === "token" || v.endpoint === "refresh") {
    return {
      ok: false,
      verdict: "client_rejected",
      option: null,
      next_step:
        "LINE Gift rejected the app: check client_id and client_secret in this shop's settings.",
    }
  }
  return {
    ok: false,
    verdict: "token_rejected",
    option: null,
    next_step:
      'The access token was rejected even after a refresh: authorise the app again ("Get refresh token").',
  }
}

/** `bad_request` of the shipment or a token call; null → the generic refusal. */
function badRequestVerdict(v: VerdictContext): ConnectionVerdict | null {
  if (v.endpoint === "delivery") {
    return {
      ok: false,
      verdict: "body_rejected",
      option: "shipmentCall.encoding",
      next_step:
        "The shipment call refused the body: change the plugin option `shipmentCall.encoding` (form ↔ json) or `shipmentCall.fields` (field names).",
    }
  }
  if (v.endpoint === "refresh" || v.endpoint === "token") {
    return {
      ok: false,
      verdict: "bad_request",
      option: v.path,
      next_step: `LINE Gift refused the token request (${v.error.reason ?? `HTTP ${v.status}`}): check client_id/client_secret, or the plugin option \`${v.path}\`.`,
    }
  }
  return null
}

/**
 * Verdict of an error, per kind (every kind of LineGiftErrorKind); null → the generic
 * refusal (see verdictOf).
 */
const VERDICT_BY_KIND: Record<
  LineGiftErrorKind,
  (v: VerdictContext) => ConnectionVerdict | null
> = {
  invalid_grant: () => ({
    ok: false,
    verdict: "invalid_grant",
    option: null,
    next_step:
      'LINE Gift rejected the refresh token: get a new one ("Get refresh token", or paste an authorization code / refresh token under manual credentials).',
  }),
  not_found: notFoundVerdict,
  conflict: (v) => (v.probe ? PROBE_ACCEPTED : null),
  auth: authVerdict,
  network: (v) => ({
    ok: false,
    verdict: "unreachable",
    option: v.host,
    next_step: `LINE Gift could not be reached: check the plugin option \`${v.host}\` (or \`baseUrl\`) and the server's network.`,
  }),
  timeout: (v) => ({
    ok: false,
    verdict: "timeout",
    option: v.host,
    next_step: `No answer in time: try again later; if it persists check \`${v.host}\`.`,
  }),
  rate_limited: () => ({
    ok: false,
    verdict: "rate_limited",
    option: null,
    next_step:
      "LINE Gift asked to slow down: wait a few minutes and run the check again.",
  }),
  server: () => ({
    ok: false,
    verdict: "server_error",
    option: null,
    next_step: "LINE Gift had a server error: try again later.",
  }),
  bad_response: (v) => ({
    ok: false,
    verdict: "unexpected_shape",
    option: v.path,
    next_step: `The answer did not have the expected shape (top-level keys: ${(v.call?.topLevelKeys ?? []).join(", ") || "none"}): if another endpoint answered, correct \`${v.path}\`; otherwise download this transcript for support.`,
  }),
  bad_request: badRequestVerdict,
}

/**
 * Verdict of one call from its outcome. Pure (exported for tests).
 * @param error the client's error, or null on success
 * @param probe the call is the shipment probe (a "no such order" answer means the body was accepted)
 */
export function verdictOf(
  endpoint: LineGiftEndpointName,
  call: LineGiftCallInfo | null,
  error: LineGiftApiError | null,
  probe = false
): ConnectionVerdict {
  if (!error) {
    return {
      ok: true,
      verdict: probe ? "probe_ok" : "ok",
      option: null,
      next_step: "Nothing to do.",
    }
  }
  const path = PATH_OPTION[endpoint]
  const context: VerdictContext = {
    endpoint,
    call,
    error,
    probe,
    path,
    host: HOST_OPTION[endpoint],
    status: error.httpStatus,
  }
  return (
    VERDICT_BY_KIND[error.kind]?.(context) ?? {
      ok: false,
      verdict: "bad_request",
      option: path,
      next_step: `LINE Gift refused the call (${error.reason ?? `HTTP ${context.status}`}): check the plugin option \`${path}\`.`,
    }
  )
}

const TRANSCRIPT_CLIENT_HTTP = { maxRetries: 0, timeoutMs: 10_000 }

/** The check as it runs: the calls the client reported (`onCall`) and the entries so far. */
type Transcript = {
  calls: LineGiftCallInfo[]
  entries: ConnectionCheckEntry[]
}

/** How a step's function ended: a LINE Gift error, another error, or neither. */
type StepFailure = {
  error: LineGiftApiError | null
  other: Error | null
}

/** The entry of a step that failed (or succeeded) before any call, e.g. an already rejected refresh token. */
function entryWithoutCall(
  name: ConnectionCheckEntry["step"],
  endpoint: LineGiftEndpointName,
  { error, other }: StepFailure,
  probe: boolean
): ConnectionCheckEntry {
  const v = error ? verdictOf(endpoint, null, error, probe) : null
  return {
    step: name,
    call: null,
    ok: !error && !other,
    verdict: v?.verdict ?? (other ? "not_connected" : "ok"),
    option: v?.option ?? null,
    next_step: v?.next_step ?? (other ? other.message : "Nothing to do."),
    error: error?.message ?? other?.message ?? null,
  }
}

/**
 * One entry per call a step made; the step's error belongs to its last call, earlier failed
 * calls get a pseudo error from what the client reported.
 */
function entriesOfCalls(
  name: ConnectionCheckEntry["step"],
  endpoint: LineGiftEndpointName,
  made: LineGiftCallInfo[],
  { error, other }: StepFailure,
  probe: boolean
): ConnectionCheckEntry[] {
  return made.map((c, i) => {
    const last = i === made.length - 1
    const callError = last ? error : c.errorKind ? pseudoError(c) : null
    const v = verdictOf(
      c.endpoint,
      c,
      callError,
      probe && c.endpoint === endpoint
    )
    // A 401 answered by a refresh and a successful retry is not a failure of the step.
    const recovered = !last && c.errorKind === "auth" && !error
    return {
      step: name,
      call: c,
      ok: v.ok || recovered,
      verdict: recovered ? "ok" : v.verdict,
      option: recovered ? null : v.option,
      next_step: recovered
        ? "The access token had expired; it was refreshed."
        : v.next_step,
      error: last ? (error?.message ?? other?.message ?? null) : null,
    }
  })
}

/** Runs one step; records every call it made with its verdict. @returns success */
async function runStep(
  t: Transcript,
  name: ConnectionCheckEntry["step"],
  endpoint: LineGiftEndpointName,
  run: () => Promise<unknown>,
  probe = false
): Promise<boolean> {
  const from = t.calls.length
  const failure: StepFailure = { error: null, other: null }
  try {
    await run()
  } catch (e) {
    if (isLineGiftApiError(e)) failure.error = e
    else failure.other = e as Error
  }
  const made = t.calls.slice(from)
  if (!made.length) {
    const entry = entryWithoutCall(name, endpoint, failure, probe)
    t.entries.push(entry)
    return entry.ok
  }
  const entries = entriesOfCalls(name, endpoint, made, failure, probe)
  t.entries.push(...entries)
  return entries.every((e) => e.ok) && !failure.other
}

/** The entry of a step not run because an earlier one failed. */
function skippedEntry(
  name: ConnectionCheckEntry["step"]
): ConnectionCheckEntry {
  return {
    step: name,
    call: null,
    ok: false,
    verdict: "skipped_after_failure",
    option: null,
    next_step: "Not run: fix the failure above first.",
    error: null,
  }
}

/**
 * Remembers LINE Gift's shop id in the shop's `settings.line_gift_shop_id` when a new one is
 * given. @returns the shop as it is now
 */
async function rememberLineGiftShopId(
  service: LineGiftModuleService,
  shop: PublicShop,
  lineGiftShopId: string | undefined
): Promise<PublicShop> {
  if (!lineGiftShopId || lineGiftShopId === shop.settings?.line_gift_shop_id) {
    return shop
  }
  await service.updateLineGiftShops({
    id: shop.id,
    settings: { ...(shop.settings ?? {}), line_gift_shop_id: lineGiftShopId },
  })
  return await service.retrievePublicShop(shop.id)
}

/** Step 1: refresh the access token, only when the stored one is missing or expired. @returns whether a token is usable */
async function checkRefresh(
  t: Transcript,
  store: ShopTokenStore,
  client: LineGiftClient
): Promise<boolean> {
  if (await store.getAccessToken()) {
    t.entries.push({
      step: "refresh",
      call: null,
      ok: true,
      verdict: "token_still_valid",
      option: null,
      next_step: "The access token is still valid: no refresh was needed.",
      error: null,
    })
    return true
  }
  return await runStep(t, "refresh", "refresh", () =>
    store.refreshAccessToken(null, (rt) => client.refreshTokens(rt))
  )
}

/** Step 2: order search page 1 with `per_page=1`. */
async function checkOrderSearch(
  t: Transcript,
  client: LineGiftClient,
  usable: boolean
): Promise<void> {
  if (!usable) {
    t.entries.push(skippedEntry("order_search"))
    return
  }
  await runStep(t, "order_search", "order_search", () =>
    client.searchOrders({ page: 1, perPage: 1 })
  )
}

/** Step 3: items list page 1; needs LINE Gift's shop id. */
async function checkItems(
  t: Transcript,
  client: LineGiftClient,
  usable: boolean,
  lineGiftShopId: string | null
): Promise<void> {
  if (!usable) {
    t.entries.push(skippedEntry("items"))
  } else if (!lineGiftShopId) {
    t.entries.push({
      step: "items",
      call: null,
      ok: false,
      verdict: "needs_shop_id",
      option: null,
      next_step:
        "Enter the LINE Gift shop ID (the number in the LINE Gift shop admin) to check the items call.",
      error: null,
    })
  } else {
    await runStep(t, "items", "items", () =>
      client.listItems(lineGiftShopId, { page: 1, perPage: 1 })
    )
  }
}

/** Step 4: the shipment call for order id "0" (nothing can be shipped by it). */
async function checkShipmentProbe(
  t: Transcript,
  client: LineGiftClient,
  usable: boolean
): Promise<void> {
  if (!usable) {
    t.entries.push(skippedEntry("shipment_probe"))
    return
  }
  await runStep(
    t,
    "shipment_probe",
    "delivery",
    () =>
      client.updateDelivery(SHIPMENT_PROBE_ORDER_ID, {
        deliveryCode: "000000000000",
        deliveryAgent: "connection-check",
      }),
    true
  )
}

/**
 * Runs the check for one shop.
 * @param input.line_gift_shop_id LINE Gift's own shop id (for the items call); remembered in
 *   the shop's `settings.line_gift_shop_id` when given; absent → the items step is skipped.
 * @param input.probe_shipment also probe the shipment call (order id "0").
 * @throws MedusaError NOT_FOUND (unknown shop), NOT_ALLOWED (no client_id / client_secret).
 */
export async function checkLineGiftConnection(
  container: MedusaContainer,
  input: {
    shop_id: string
    line_gift_shop_id?: string
    probe_shipment?: boolean
  }
): Promise<ConnectionCheckReport> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop = await rememberLineGiftShopId(
    service,
    await service.retrievePublicShop(input.shop_id),
    input.line_gift_shop_id
  )
  const stored = shop.settings?.line_gift_shop_id
  const lineGiftShopId = typeof stored === "string" ? stored : null
  const endpoints = resolveLineGiftEndpoints(service.getOptions())
  const t: Transcript = { calls: [], entries: [] }
  const client = await getLineGiftClient(container, shop.id, {
    http: TRANSCRIPT_CLIENT_HTTP,
    onCall: (c) => t.calls.push(c),
  })

  const store = new ShopTokenStore(container, shop.id)
  const usable = await checkRefresh(t, store, client)
  await checkOrderSearch(t, client, usable)
  await checkItems(t, client, usable, lineGiftShopId)
  if (input.probe_shipment) await checkShipmentProbe(t, client, usable)

  const after = await service.retrievePublicShop(shop.id)
  return {
    shop_id: shop.id,
    shop_name: shop.name,
    checked_at: new Date().toISOString(),
    ok: t.entries.every((e) => e.ok || e.verdict === "needs_shop_id"),
    connection_state: after.connection_state,
    options: {
      orders_base_url: endpoints.ordersBaseUrl,
      shop_base_url: endpoints.shopBaseUrl,
      paths: { ...endpoints.paths },
      shipment_call: endpoints.shipmentCall!,
    },
    entries: t.entries,
  }
}

/** A minimal error for an intermediate failed call (its final error belongs to the last call). */
function pseudoError(c: LineGiftCallInfo): LineGiftApiError {
  return {
    name: "LineGiftApiError",
    kind: c.errorKind!,
    endpoint: c.endpoint,
    message: `LINE Gift ${c.endpoint} failed`,
    httpStatus: c.httpStatus ?? undefined,
    code: c.bodyError?.code,
    reason: c.bodyError?.reason,
    retryable: false,
  } as unknown as LineGiftApiError
}
