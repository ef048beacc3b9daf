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
import {
  isLineGiftApiError,
  resolveLineGiftEndpoints,
  type LineGiftCallInfo,
  type LineGiftEndpointName,
  type LineGiftApiError,
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

/**
 * Verdict of one call from its outcome. Pure (exported for tests).
 * @param error the client's error, or null on success
 */
export function verdictOf(
  endpoint: LineGiftEndpointName,
  call: LineGiftCallInfo | null,
  error: LineGiftApiError | null,
  probe = false
): {
  ok: boolean
  verdict: ConnectionVerdictCode
  option: string | null
  next_step: string
} {
  const path = PATH_OPTION[endpoint]
  const host = HOST_OPTION[endpoint]
  if (!error) {
    return {
      ok: true,
      verdict: probe ? "probe_ok" : "ok",
      option: null,
      next_step: "Nothing to do.",
    }
  }
  const status = error.httpStatus
  switch (error.kind) {
    case "invalid_grant":
      return {
        ok: false,
        verdict: "invalid_grant",
        option: null,
        next_step:
          'LINE Gift rejected the refresh token: get a new one ("Get refresh token", or paste an authorization code / refresh token under manual credentials).',
      }
    case "not_found":
      if (probe && error.code === 404 && status !== 404) {
        return {
          ok: true,
          verdict: "probe_ok",
          option: null,
          next_step:
            "The shipment call accepted the body (the probe order does not exist, as expected).",
        }
      }
      if (status === 404) {
        return {
          ok: false,
          verdict: "path_not_found",
          option: path,
          next_step: `The path was not found: correct the plugin option \`${path}\` (or \`${host}\` if the host is wrong).`,
        }
      }
      return {
        ok: false,
        verdict: "not_found",
        option: endpoint === "items" ? null : path,
        next_step:
          endpoint === "items"
            ? "LINE Gift answered 'not found': check the LINE Gift shop ID entered for the check."
            : `LINE Gift answered 'not found': check the plugin option \`${path}\`.`,
      }
    case "conflict":
      if (probe) {
        return {
          ok: true,
          verdict: "probe_ok",
          option: null,
          next_step: "The shipment call accepted the body.",
        }
      }
      break
    case "auth":
      if (endpoint === "token" || endpoint === "refresh") {
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
    case "network":
      return {
        ok: false,
        verdict: "unreachable",
        option: host,
        next_step: `LINE Gift could not be reached: check the plugin option \`${host}\` (or \`baseUrl\`) and the server's network.`,
      }
    case "timeout":
      return {
        ok: false,
        verdict: "timeout",
        option: host,
        next_step: `No answer in time: try again later; if it persists check \`${host}\`.`,
      }
    case "rate_limited":
      return {
        ok: false,
        verdict: "rate_limited",
        option: null,
        next_step:
          "LINE Gift asked to slow down: wait a few minutes and run the check again.",
      }
    case "server":
      return {
        ok: false,
        verdict: "server_error",
        option: null,
        next_step: "LINE Gift had a server error: try again later.",
      }
    case "bad_response":
      return {
        ok: false,
        verdict: "unexpected_shape",
        option: path,
        next_step: `The answer did not have the expected shape (top-level keys: ${(call?.topLevelKeys ?? []).join(", ") || "none"}): if another endpoint answered, correct \`${path}\`; otherwise download this transcript for support.`,
      }
    case "bad_request":
      if (endpoint === "delivery") {
        return {
          ok: false,
          verdict: "body_rejected",
          option: "shipmentCall.encoding",
          next_step:
            "The shipment call refused the body: change the plugin option `shipmentCall.encoding` (form ↔ json) or `shipmentCall.fields` (field names).",
        }
      }
      if (endpoint === "refresh" || endpoint === "token") {
        return {
          ok: false,
          verdict: "bad_request",
          option: path,
          next_step: `LINE Gift refused the token request (${error.reason ?? `HTTP ${status}`}): check client_id/client_secret, or the plugin option \`${path}\`.`,
        }
      }
      break
  }
  return {
    ok: false,
    verdict: "bad_request",
    option: path,
    next_step: `LINE Gift refused the call (${error.reason ?? `HTTP ${status}`}): check the plugin option \`${path}\`.`,
  }
}

const TRANSCRIPT_CLIENT_HTTP = { maxRetries: 0, timeoutMs: 10_000 }

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
  let shop = await service.retrievePublicShop(input.shop_id)
  if (
    input.line_gift_shop_id &&
    input.line_gift_shop_id !== shop.settings?.line_gift_shop_id
  ) {
    await service.updateLineGiftShops({
      id: shop.id,
      settings: {
        ...(shop.settings ?? {}),
        line_gift_shop_id: input.line_gift_shop_id,
      },
    } as any)
    shop = await service.retrievePublicShop(input.shop_id)
  }
  const lineGiftShopId =
    typeof shop.settings?.line_gift_shop_id === "string"
      ? (shop.settings.line_gift_shop_id as string)
      : null
  const endpoints = resolveLineGiftEndpoints(service.getOptions())
  const calls: LineGiftCallInfo[] = []
  const client = await getLineGiftClient(container, shop.id, {
    http: TRANSCRIPT_CLIENT_HTTP,
    onCall: (c) => calls.push(c),
  })
  const entries: ConnectionCheckEntry[] = []

  /** Runs one step; records every call it made with its verdict. @returns success */
  const step = async (
    name: ConnectionCheckEntry["step"],
    endpoint: LineGiftEndpointName,
    run: () => Promise<unknown>,
    probe = false
  ): Promise<boolean> => {
    const from = calls.length
    let error: LineGiftApiError | null = null
    let other: Error | null = null
    try {
      await run()
    } catch (e) {
      if (isLineGiftApiError(e)) error = e
      else other = e as Error
    }
    const made = calls.slice(from)
    if (!made.length) {
      // Failed before any call (e.g. the refresh token was already rejected).
      const v = error ? verdictOf(endpoint, null, error, probe) : null
      entries.push({
        step: name,
        call: null,
        ok: !error && !other,
        verdict: v?.verdict ?? (other ? "not_connected" : "ok"),
        option: v?.option ?? null,
        next_step: v?.next_step ?? (other ? other.message : "Nothing to do."),
        error: error?.message ?? other?.message ?? null,
      })
      return !error && !other
    }
    let allOk = true
    made.forEach((c, i) => {
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
      entries.push({
        step: name,
        call: c,
        ok: v.ok || recovered,
        verdict: recovered ? "ok" : v.verdict,
        option: recovered ? null : v.option,
        next_step: recovered
          ? "The access token had expired; it was refreshed."
          : v.next_step,
        error: last ? (error?.message ?? other?.message ?? null) : null,
      })
      if (!(v.ok || recovered)) allOk = false
    })
    return allOk && !other
  }

  const store = new ShopTokenStore(container, shop.id)
  let usable = true
  const current = await store.getAccessToken()
  if (current) {
    entries.push({
      step: "refresh",
      call: null,
      ok: true,
      verdict: "token_still_valid",
      option: null,
      next_step: "The access token is still valid: no refresh was needed.",
      error: null,
    })
  } else {
    usable = await step("refresh", "refresh", () =>
      store.refreshAccessToken(null, (rt) => client.refreshTokens(rt))
    )
  }
  const skip = (name: ConnectionCheckEntry["step"]) =>
    entries.push({
      step: name,
      call: null,
      ok: false,
      verdict: "skipped_after_failure",
      option: null,
      next_step: "Not run: fix the failure above first.",
      error: null,
    })
  if (usable) {
    await step("order_search", "order_search", () =>
      client.searchOrders({ page: 1, perPage: 1 })
    )
  } else skip("order_search")
  if (!usable) skip("items")
  else if (!lineGiftShopId) {
    entries.push({
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
    await step("items", "items", () =>
      client.listItems(lineGiftShopId, { page: 1, perPage: 1 })
    )
  }
  if (input.probe_shipment) {
    if (usable) {
      await step(
        "shipment_probe",
        "delivery",
        () =>
          client.updateDelivery(SHIPMENT_PROBE_ORDER_ID, {
            deliveryCode: "000000000000",
            deliveryAgent: "connection-check",
          }),
        true
      )
    } else skip("shipment_probe")
  }

  const after = await service.retrievePublicShop(shop.id)
  return {
    shop_id: shop.id,
    shop_name: shop.name,
    checked_at: new Date().toISOString(),
    ok: entries.every((e) => e.ok || e.verdict === "needs_shop_id"),
    connection_state: after.connection_state,
    options: {
      orders_base_url: endpoints.ordersBaseUrl,
      shop_base_url: endpoints.shopBaseUrl,
      paths: { ...endpoints.paths },
      shipment_call: endpoints.shipmentCall!,
    },
    entries,
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
