/**
 * The LINE Gift HTTP client: the only code that knows the LINE Gift protocol (with
 * schemas.ts for shapes and endpoints.ts for hosts/paths).
 *
 * Facts used here come from shared/line-gift-api.md (mirrored in the project's docs), tagged
 * "observed" (seen in production integrations / vendor help pages) or "assumed" (not public).
 *
 * Transport rules:
 * - one axios instance per client (never the global one); retries by axios-retry only;
 *   the single hand-written retry is "401 → refresh through the token store → retry once";
 * - access token as `access_token=` query parameter on the orders host (observed), as
 *   `Authorization: Bearer` on the shop-admin host (observed: it accepts both);
 * - a JSON body whose `code` is not 200 is an error whatever the HTTP status (observed);
 * - raw axios errors never escape (their `config` holds the URL with the token and the
 *   form body with the client secret): everything becomes a `LineGiftApiError`;
 * - nothing secret or personal is logged: only endpoint name, HTTP status/code, attempt.
 *
 * Files: this class (the calls, one method per endpoint) on top of `http-core.ts` (axios,
 * retries, the observer, envelope validation), `failures.ts` (answer/failure → error kinds
 * and secret-free messages), `token-calls.ts` (token sets, the 401 → refresh → retry once),
 * `order-pages.ts` (bounded paging), `delivery.ts` (the shipment body), `client-types.ts`
 * (public types and constants, re-exported here), `endpoints.ts` (the assumed hosts/paths).
 */
import { z } from "@medusajs/framework/zod"
import {
  itemListResponseSchema,
  LineGiftItem,
  lineGiftItemSchema,
  orderSearchResponseSchema,
  tokenResponseSchema,
} from "./schemas"
import { LineGiftApiError } from "./errors"
import { fillLineGiftPath, LineGiftEndpoints, lineGiftUrl } from "./endpoints"
import type {
  LineGiftClientOptions,
  LineGiftEndpointName,
  LineGiftLogger,
  LineGiftOrderPage,
  LineGiftTokenStore,
  TokenSet,
} from "./client-types"
import {
  Answer,
  LineGiftHttp,
  NOOP_LOGGER,
  RequestSpec,
  resolveHttpOptions,
} from "./http-core"
import { badResponseError, UNPARSEABLE } from "./failures"
import { authedCall, toTokenSet } from "./token-calls"
import { clampPerPage, readOrderPages } from "./order-pages"
import { deliveryBody, explainDeliveryRejection } from "./delivery"

export {
  DEFAULT_ACCESS_TOKEN_TTL_SEC,
  DEFAULT_REFRESH_TOKEN_TTL_SEC,
  LINE_GIFT_MAX_PER_PAGE,
  ORDER_PAGE_MARGIN,
  ORDER_PAGE_HARD_CAP,
} from "./client-types"
/** The client's public types (defined in client-types.ts). */
export type {
  TokenSet,
  LineGiftTokenStore,
  LineGiftHttpOptions,
  LineGiftLogger,
  LineGiftClientOptions,
  LineGiftCallInfo,
  LineGiftOrderPage,
  LineGiftEndpointName,
} from "./client-types"
export { parseLineGiftJson } from "./failures"

/**
 * Talks to LINE Gift for one merchant app (client_id/client_secret) and, through the token
 * store, one shop's tokens. Every method throws only `LineGiftApiError` for API/transport
 * failures (plus `RangeError` for invalid arguments, and whatever the token store throws).
 */
export class LineGiftClient {
  private readonly endpoints: LineGiftEndpoints
  private readonly clientId: string
  private readonly clientSecret: string
  private readonly tokenStore?: LineGiftTokenStore
  private readonly log: LineGiftLogger
  private readonly now: () => number
  private readonly http: LineGiftHttp

  /**
   * @throws Error when clientId/clientSecret are empty or an http option is not a
   *   non-negative number.
   */
  constructor(options: LineGiftClientOptions) {
    if (!options?.endpoints)
      throw new Error("LineGiftClient: endpoints are required")
    if (typeof options.clientId !== "string" || !options.clientId.trim()) {
      throw new Error("LineGiftClient: clientId is required")
    }
    if (typeof options.clientSecret !== "string" || !options.clientSecret) {
      throw new Error("LineGiftClient: clientSecret is required")
    }
    this.endpoints = options.endpoints
    this.clientId = options.clientId.trim()
    this.clientSecret = options.clientSecret
    this.tokenStore = options.tokenStore
    this.log = options.logger ?? NOOP_LOGGER
    this.now = options.now ?? Date.now
    this.http = new LineGiftHttp({
      http: resolveHttpOptions(options.http),
      log: this.log,
      clientSecret: this.clientSecret,
      onCall: options.onCall,
    })
  }

  // ---------------------------------------------------------------- OAuth

  /**
   * The browser URL where the merchant authorises the app (assumed endpoint):
   * `{shop}/oauth2/authorize?response_type=code&client_id&redirect_uri&state`.
   * LINE Gift then redirects to `redirect_uri?code=…&state=…` (assumed).
   */
  buildAuthorizeUrl(args: { redirectUri: string; state: string }): string {
    const url = new URL(
      lineGiftUrl(this.endpoints.shopBaseUrl, this.endpoints.paths.authorize)
    )
    url.searchParams.set("response_type", "code")
    url.searchParams.set("client_id", this.clientId)
    url.searchParams.set("redirect_uri", args.redirectUri)
    url.searchParams.set("state", args.state)
    return url.toString()
  }

  /**
   * Exchanges an authorization code (assumed endpoint):
   * `POST {shop}/api/v1/oauth2/token` form `grant_type=authorization_code&code&redirect_uri&client_id&client_secret`.
   * @returns the token pair (persist it at once: the code is single-use).
   * @throws LineGiftApiError `invalid_grant` (code dead/used), `auth` (client rejected),
   *   `bad_response`, or a transient kind after the retries.
   */
  async exchangeAuthorizationCode(args: {
    code: string
    redirectUri: string
  }): Promise<TokenSet> {
    if (!args?.code)
      throw new RangeError("exchangeAuthorizationCode: code is required")
    const answer = await this.send({
      endpoint: "token",
      method: "POST",
      url: lineGiftUrl(this.endpoints.shopBaseUrl, this.endpoints.paths.token),
      form: {
        grant_type: "authorization_code",
        code: args.code,
        redirect_uri: args.redirectUri,
        client_id: this.clientId,
        client_secret: this.clientSecret,
      },
      secrets: [args.code],
    })
    return toTokenSet(
      this.parse("token", answer, tokenResponseSchema),
      this.now()
    )
  }

  /**
   * Refresh-token grant (observed): `POST {shop}/api/v1/oauth2/token/refresh`, form
   * `grant_type=refresh_token&client_id&client_secret&refresh_token` →
   * `{"access_token", "refresh_token"}`. Refresh tokens rotate and are single-use (observed):
   * the caller must persist the answer before anything else (see `LineGiftTokenStore`).
   *
   * Retried on 429/5xx/timeouts like every call: if the server rotated but the answer was
   * lost, the retry gets invalid_grant — the same lock-out as not retrying — while a
   * transient failure that rotated nothing is recovered.
   * @throws LineGiftApiError `invalid_grant` (dead refresh token: the merchant must
   *   re-authorise in the admin), `auth` (no refresh token, or client credentials rejected),
   *   `bad_response`, or a transient kind after the retries.
   */
  async refreshTokens(refreshToken: string): Promise<TokenSet> {
    if (typeof refreshToken !== "string" || !refreshToken) {
      throw new LineGiftApiError({
        kind: "auth",
        endpoint: "refresh",
        message:
          "LINE Gift refresh failed: no refresh token is stored; the merchant must authorise the app in the Medusa admin (LINE Gift settings)",
      })
    }
    const answer = await this.send({
      endpoint: "refresh",
      method: "POST",
      url: lineGiftUrl(
        this.endpoints.shopBaseUrl,
        this.endpoints.paths.refresh
      ),
      form: {
        grant_type: "refresh_token",
        client_id: this.clientId,
        client_secret: this.clientSecret,
        refresh_token: refreshToken,
      },
      secrets: [refreshToken],
    })
    return toTokenSet(
      this.parse("refresh", answer, tokenResponseSchema),
      this.now()
    )
  }

  // ---------------------------------------------------------------- orders

  /**
   * One page of orders (observed):
   * `GET {orders}/shop/api/1/order/search?access_token&page&per_page` →
   * `{"orders": [...], "paging": {"total_pages", "total_entries"}}` (roughly the last three
   * months; no filter; order of results not reliable).
   * @param args.page 1-based page number.
   * @param args.perPage 1–100 (default 100; larger values are capped at 100).
   * @throws RangeError for a page below 1; LineGiftApiError (`bad_response` naming the field
   *   when the envelope does not match; `auth`/`invalid_grant` when tokens fail; transient kinds).
   */
  async searchOrders(args: {
    page: number
    perPage?: number
  }): Promise<LineGiftOrderPage> {
    const page = args?.page
    if (typeof page !== "number" || !Number.isInteger(page) || page < 1) {
      throw new RangeError(
        `searchOrders: page must be an integer ≥ 1 (got ${String(page)})`
      )
    }
    const perPage = clampPerPage(args.perPage)
    const answer = await this.authed("order_search", (token) => ({
      endpoint: "order_search",
      method: "GET",
      url: lineGiftUrl(
        this.endpoints.ordersBaseUrl,
        this.endpoints.paths.orderSearch
      ),
      params: { access_token: token, page, per_page: perPage },
      secrets: [token],
    }))
    const parsed = this.parse("order_search", answer, orderSearchResponseSchema)
    return {
      orders: parsed.orders,
      page,
      totalPages: parsed.paging.total_pages,
      totalEntries: parsed.paging.total_entries ?? null,
    }
  }

  /**
   * Reads order pages 1..totalPages, pausing `pageDelayMs` between pages. Every bound comes
   * from our side, never from the remote data alone:
   * - stops after an empty page (yielded) or after `total_pages` (re-read from each answer);
   * - never reads more than `total_entries` ÷ page size (as the first page answered) +
   *   ORDER_PAGE_MARGIN pages, nor more than `maxPages` (default ORDER_PAGE_HARD_CAP);
   * - stops when a page repeats the previous page's order ids (a server or proxy ignoring
   *   `page`).
   * Each early stop is reported once through `onStop` with a reason a merchant can read.
   * @throws as `searchOrders` (pages already yielded stay with the caller).
   */
  async *iterateOrderPages(
    args: {
      perPage?: number
      maxPages?: number
      onStop?: (reason: string) => void
    } = {}
  ): AsyncGenerator<LineGiftOrderPage> {
    yield* readOrderPages(
      {
        searchOrders: (a) => this.searchOrders(a),
        log: this.log,
        pageDelayMs: this.http.options.pageDelayMs,
      },
      args
    )
  }

  /**
   * Pushes a shipment (assumed endpoint): `POST {orders}/shop/api/1/order/{id}/delivery?access_token`
   * form `delivery_code&delivery_agent` → `{"code": 200}`. The order becomes `received`;
   * repeating with the same values is a no-op success (assumed), so retries are safe.
   * @param args.deliveryCode tracking number (伝票番号). @param args.deliveryAgent carrier (配送業者).
   * @throws LineGiftApiError `conflict` (order not in `payment`, body code 409), `not_found`,
   *   `auth`/`invalid_grant`, `bad_response` (answer not JSON), transient kinds.
   */
  async updateDelivery(
    orderId: string,
    args: { deliveryCode: string; deliveryAgent: string }
  ): Promise<void> {
    if (!orderId) throw new RangeError("updateDelivery: orderId is required")
    if (!args?.deliveryCode)
      throw new RangeError("updateDelivery: deliveryCode is required")
    if (!args?.deliveryAgent)
      throw new RangeError("updateDelivery: deliveryAgent is required")
    const url = lineGiftUrl(
      this.endpoints.ordersBaseUrl,
      fillLineGiftPath(this.endpoints.paths.delivery, { id: orderId })
    )
    const answer = await this.authed("delivery", (token): RequestSpec => ({
      endpoint: "delivery",
      method: "POST",
      url,
      params: { access_token: token },
      ...deliveryBody(this.endpoints, args),
      secrets: [token],
    })).catch((e) => {
      throw explainDeliveryRejection(this.endpoints, e)
    })
    if (answer.data === UNPARSEABLE) {
      throw badResponseError("delivery", answer, "the answer is not valid JSON")
    }
    // `{"code": 200}`, an empty body or any JSON without an error code: success.
  }

  // ---------------------------------------------------------------- items

  /**
   * One page of the shop's items (observed):
   * `GET {shop}/api/v1/shops/{shop_id}/items?page&per_page` (Bearer) →
   * `{"items": [{"id", …}], "total_count": N}`. Item ids are normalised to strings.
   * @throws LineGiftApiError as the other authenticated calls.
   */
  async listItems(
    shopId: string,
    args: { page?: number; perPage?: number } = {}
  ): Promise<{
    items: Array<{ id: string } & Record<string, unknown>>
    totalCount: number | null
  }> {
    const page = args.page ?? 1
    if (!Number.isInteger(page) || page < 1) {
      throw new RangeError(
        `listItems: page must be an integer ≥ 1 (got ${String(page)})`
      )
    }
    const url = lineGiftUrl(
      this.endpoints.shopBaseUrl,
      fillLineGiftPath(this.endpoints.paths.items, { shop_id: shopId })
    )
    const answer = await this.authed("items", (token) => ({
      endpoint: "items",
      method: "GET",
      url,
      params: { page, per_page: clampPerPage(args.perPage) },
      headers: { Authorization: `Bearer ${token}` },
      secrets: [token],
    }))
    const parsed = this.parse("items", answer, itemListResponseSchema)
    return {
      items: parsed.items as Array<{ id: string } & Record<string, unknown>>,
      totalCount: parsed.total_count ?? null,
    }
  }

  /**
   * One item (observed): `GET {shop}/api/v1/shops/{shop_id}/items/{item_id}` (Bearer) →
   * `{"code": 200, "item": {"id", "code", "name", "status", "price", "variations": [...]}}`.
   * @throws LineGiftApiError `not_found` for an unknown item, `bad_response` naming the field.
   */
  async getItem(shopId: string, itemId: string): Promise<LineGiftItem> {
    const url = lineGiftUrl(
      this.endpoints.shopBaseUrl,
      fillLineGiftPath(this.endpoints.paths.item, {
        shop_id: shopId,
        item_id: itemId,
      })
    )
    const answer = await this.authed("item", (token) => ({
      endpoint: "item",
      method: "GET",
      url,
      headers: { Authorization: `Bearer ${token}` },
      secrets: [token],
    }))
    return this.parse("item", answer, itemEnvelopeSchema).item
  }

  // ---------------------------------------------------------------- internals

  /** One logical call through the HTTP core (see LineGiftHttp.send). */
  private send(spec: RequestSpec): Promise<Answer> {
    return this.http.send(spec)
  }

  /** An authenticated call with the 401 → refresh → retry once rule (see authedCall). */
  private authed(
    endpoint: LineGiftEndpointName,
    make: (token: string) => RequestSpec
  ): Promise<Answer> {
    return authedCall(
      {
        tokenStore: this.tokenStore,
        log: this.log,
        send: (spec) => this.send(spec),
        refreshTokens: (rt) => this.refreshTokens(rt),
      },
      endpoint,
      make
    )
  }

  /** Validates an answer's envelope (see LineGiftHttp.parse). */
  private parse<T>(
    endpoint: LineGiftEndpointName,
    answer: Answer,
    schema: z.ZodType<T>
  ): T {
    return this.http.parse(endpoint, answer, schema)
  }
}

/** `{"code": 200, "item": {...}}` (observed). */
const itemEnvelopeSchema = z.object({ item: lineGiftItemSchema }).passthrough()
