/**
 * THE adapter for LINE Gift hosts and paths. Nothing else in the codebase builds LINE Gift
 * URLs: the client asks this module, and the plugin options feed `resolveLineGiftEndpoints`.
 *
 * LINE Gift's shop API is partner-only. Each default below is tagged as on the API page
 * (shared/line-gift-api.md, mirrored in the project's docs):
 * - **observed**: seen in a merchant's production integration or a vendor's help page;
 * - **assumed**: not public, chosen by us, so it can be corrected here (or by a plugin
 *   option) without touching any caller.
 */

/**
 * Where the LINE Gift API lives. Base URLs have no trailing slash; paths start with "/"
 * and may hold `{placeholders}` that `fillLineGiftPath` fills (URL-encoded).
 */
export type LineGiftEndpoints = {
  /** Orders host (observed): `https://shop-mall.line.me`. Order search and delivery updates. */
  ordersBaseUrl: string
  /** Shop admin API and OAuth host (observed): `https://gift-shop-cms.line.biz`. */
  shopBaseUrl: string
  paths: {
    /** Browser authorisation page on `shopBaseUrl` (assumed): `/oauth2/authorize`. */
    authorize: string
    /** Authorization-code exchange on `shopBaseUrl` (assumed): `/api/v1/oauth2/token`. */
    token: string
    /** Refresh-token grant on `shopBaseUrl` (observed): `/api/v1/oauth2/token/refresh`. */
    refresh: string
    /** Order search on `ordersBaseUrl` (observed): `/shop/api/1/order/search`. */
    orderSearch: string
    /** Shipment update on `ordersBaseUrl` (assumed): `/shop/api/1/order/{id}/delivery`. */
    delivery: string
    /** Item list on `shopBaseUrl` (observed): `/api/v1/shops/{shop_id}/items`. */
    items: string
    /** One item on `shopBaseUrl` (observed): `/api/v1/shops/{shop_id}/items/{item_id}`. */
    item: string
  }
  /**
   * How the shipment update's body is sent (assumed, not public): encoding and field names.
   * Default `{ encoding: "form", fields: { deliveryCode: "delivery_code", deliveryAgent: "delivery_agent" } }`.
   */
  shipmentCall?: LineGiftShipmentCall
}

/**
 * The shipment update's body (assumed): `encoding` form (application/x-www-form-urlencoded)
 * or json (application/json); `fields` are the names of the tracking number (伝票番号) and
 * carrier (配送業者) fields.
 */
export type LineGiftShipmentCall = {
  encoding: "form" | "json"
  fields: { deliveryCode: string; deliveryAgent: string }
}

/** Today's shipment body (assumed): form, `delivery_code`, `delivery_agent`. */
export const DEFAULT_SHIPMENT_CALL: LineGiftShipmentCall = Object.freeze({
  encoding: "form",
  fields: Object.freeze({
    deliveryCode: "delivery_code",
    deliveryAgent: "delivery_agent",
  }),
}) as LineGiftShipmentCall

/** The production hosts and paths, tagged observed/assumed as in `LineGiftEndpoints`. */
export const DEFAULT_LINE_GIFT_ENDPOINTS: LineGiftEndpoints = Object.freeze({
  ordersBaseUrl: "https://shop-mall.line.me",
  shopBaseUrl: "https://gift-shop-cms.line.biz",
  paths: Object.freeze({
    authorize: "/oauth2/authorize",
    token: "/api/v1/oauth2/token",
    refresh: "/api/v1/oauth2/token/refresh",
    orderSearch: "/shop/api/1/order/search",
    delivery: "/shop/api/1/order/{id}/delivery",
    items: "/api/v1/shops/{shop_id}/items",
    item: "/api/v1/shops/{shop_id}/items/{item_id}",
  }),
  shipmentCall: DEFAULT_SHIPMENT_CALL,
}) as LineGiftEndpoints

/**
 * Overrides for `resolveLineGiftEndpoints` (from plugin options).
 * - `baseUrl`: one URL for both hosts (e.g. the local sandbox, which serves both);
 * - `ordersBaseUrl` / `shopBaseUrl`: per host; they win over `baseUrl`;
 * - `paths`: any subset of the paths; each must start with "/" and keep the placeholders
 *   of its default (`{id}`, `{shop_id}`, `{item_id}`).
 */
export type LineGiftEndpointOverrides = {
  baseUrl?: string
  ordersBaseUrl?: string
  shopBaseUrl?: string
  paths?: Partial<LineGiftEndpoints["paths"]>
  /** Shipment update body: `{ encoding?: "form"|"json", fields?: { deliveryCode?, deliveryAgent? } }`. */
  shipmentCall?: {
    encoding?: "form" | "json"
    fields?: Partial<LineGiftShipmentCall["fields"]>
  }
}

/**
 * Validates the `shipmentCall` option. Field names: 1–64 characters of letters, digits, `_`,
 * `-`, `.`, `[`, `]`.
 * @throws Error naming `shipmentCall.encoding` / `shipmentCall.fields.<name>` when invalid.
 */
function resolveShipmentCall(value: unknown): LineGiftShipmentCall {
  if (value === undefined || value === null) {
    return {
      encoding: DEFAULT_SHIPMENT_CALL.encoding,
      fields: { ...DEFAULT_SHIPMENT_CALL.fields },
    }
  }
  if (typeof value !== "object")
    throw new Error(`LINE Gift option "shipmentCall" must be an object`)
  const v = value as { encoding?: unknown; fields?: unknown }
  const encoding = v.encoding ?? DEFAULT_SHIPMENT_CALL.encoding
  if (encoding !== "form" && encoding !== "json") {
    throw new Error(
      `LINE Gift option "shipmentCall.encoding" must be "form" or "json" (got ${JSON.stringify(encoding)})`
    )
  }
  const fields = { ...DEFAULT_SHIPMENT_CALL.fields }
  if (v.fields !== undefined && v.fields !== null) {
    if (typeof v.fields !== "object")
      throw new Error(
        `LINE Gift option "shipmentCall.fields" must be an object`
      )
    for (const [key, name] of Object.entries(
      v.fields as Record<string, unknown>
    )) {
      if (key !== "deliveryCode" && key !== "deliveryAgent") {
        throw new Error(
          `LINE Gift option "shipmentCall.fields.${key}" is unknown (known: deliveryCode, deliveryAgent)`
        )
      }
      if (name === undefined) continue
      if (
        typeof name !== "string" ||
        !/^[A-Za-z0-9_.\-[\]]{1,64}$/.test(name)
      ) {
        throw new Error(
          `LINE Gift option "shipmentCall.fields.${key}" must be a field name such as "delivery_code"`
        )
      }
      fields[key] = name
    }
  }
  if (fields.deliveryCode === fields.deliveryAgent) {
    throw new Error(
      `LINE Gift option "shipmentCall.fields": deliveryCode and deliveryAgent must differ`
    )
  }
  return { encoding, fields }
}

/** Placeholders each path must contain (so a mistyped override fails at start-up). */
const REQUIRED_PLACEHOLDERS: Record<
  keyof LineGiftEndpoints["paths"],
  string[]
> = {
  authorize: [],
  token: [],
  refresh: [],
  orderSearch: [],
  delivery: ["id"],
  items: ["shop_id"],
  item: ["shop_id", "item_id"],
}

const PLACEHOLDER = /\{([a-z_]+)\}/g

/**
 * Validates and normalises one base URL: http(s) only, no query string or fragment, no
 * credentials; trailing slashes stripped. A path prefix is allowed (`https://proxy/line-gift`).
 * @throws Error naming `option` when the value is not such a URL.
 */
function normaliseBaseUrl(value: unknown, option: string): string {
  if (typeof value !== "string" || !value.trim()) {
    throw new Error(
      `LINE Gift option "${option}" must be a non-empty http(s) URL`
    )
  }
  const text = value.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(
      `LINE Gift option "${option}" is not a valid URL: "${text}"`
    )
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(
      `LINE Gift option "${option}" must use http or https, not "${url.protocol.replace(":", "")}"`
    )
  }
  if (url.search || url.hash) {
    throw new Error(
      `LINE Gift option "${option}" must not contain a query string or fragment: "${url.origin}${url.pathname}"`
    )
  }
  if (url.username || url.password) {
    throw new Error(`LINE Gift option "${option}" must not contain credentials`)
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "")
}

/**
 * Validates one path: starts with "/" (added when missing), no query string or fragment,
 * contains the placeholders its default has; trailing slashes stripped.
 * @throws Error naming `paths.<name>` when invalid.
 */
function normalisePath(
  value: unknown,
  name: keyof LineGiftEndpoints["paths"]
): string {
  const option = `paths.${name}`
  if (typeof value !== "string" || !value.trim()) {
    throw new Error(
      `LINE Gift option "${option}" must be a non-empty path such as "/a/b"`
    )
  }
  let path = value.trim()
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new Error(
      `LINE Gift option "${option}" must be a path ("/…"), not a full URL; set the host with ordersBaseUrl/shopBaseUrl`
    )
  }
  if (path.includes("?") || path.includes("#")) {
    throw new Error(
      `LINE Gift option "${option}" must not contain "?" or "#": "${path}"`
    )
  }
  if (/\s/.test(path)) {
    throw new Error(
      `LINE Gift option "${option}" must not contain spaces: "${path}"`
    )
  }
  if (!path.startsWith("/")) path = `/${path}`
  path = path.replace(/\/+$/, "") || "/"
  const present = new Set(Array.from(path.matchAll(PLACEHOLDER), (m) => m[1]))
  for (const needed of REQUIRED_PLACEHOLDERS[name]) {
    if (!present.has(needed)) {
      throw new Error(
        `LINE Gift option "${option}" must contain the placeholder "{${needed}}": "${path}"`
      )
    }
  }
  return path
}

/**
 * Builds the endpoints the client uses: the defaults, overridden by `overrides`.
 * Base URLs are validated (http/https, no query, no credentials) and lose trailing slashes;
 * paths are validated and keep their `{placeholders}` (filled later by `fillLineGiftPath`).
 * @throws Error naming the offending option (e.g. `LINE Gift option "baseUrl" is not a valid URL`).
 */
export function resolveLineGiftEndpoints(
  overrides: LineGiftEndpointOverrides = {}
): LineGiftEndpoints {
  const o = overrides ?? {}
  const base =
    o.baseUrl !== undefined && o.baseUrl !== null && o.baseUrl !== ""
      ? normaliseBaseUrl(o.baseUrl, "baseUrl")
      : undefined
  const pick = (
    v: string | undefined,
    option: "ordersBaseUrl" | "shopBaseUrl"
  ) =>
    v !== undefined && v !== null && v !== ""
      ? normaliseBaseUrl(v, option)
      : (base ?? DEFAULT_LINE_GIFT_ENDPOINTS[option])
  const paths = { ...DEFAULT_LINE_GIFT_ENDPOINTS.paths }
  if (o.paths !== undefined && o.paths !== null) {
    if (typeof o.paths !== "object") {
      throw new Error(`LINE Gift option "paths" must be an object`)
    }
    for (const [key, value] of Object.entries(o.paths)) {
      if (!(key in REQUIRED_PLACEHOLDERS)) {
        throw new Error(
          `LINE Gift option "paths.${key}" is unknown (known: ${Object.keys(REQUIRED_PLACEHOLDERS).join(", ")})`
        )
      }
      if (value === undefined) continue
      const name = key as keyof LineGiftEndpoints["paths"]
      paths[name] = normalisePath(value, name)
    }
  }
  return {
    ordersBaseUrl: pick(o.ordersBaseUrl, "ordersBaseUrl"),
    shopBaseUrl: pick(o.shopBaseUrl, "shopBaseUrl"),
    paths,
    shipmentCall: resolveShipmentCall(o.shipmentCall),
  }
}

/**
 * The shape of every value the plugin puts into a LINE Gift path (order id, item id, shop id):
 * 1–64 ASCII letters, digits, "-" or "_". LINE Gift's ids are decimal numbers (observed:
 * order and item ids; shared/line-gift-api.md "Orders", "Products"); letters, "-" and "_" are
 * allowed for the sandbox and test ids. Anything else — dots (`..`), slashes, "%", spaces,
 * non-ASCII — could change the path once in a URL, so it is refused.
 */
export const LINE_GIFT_PATH_ID = /^[A-Za-z0-9_-]{1,64}$/

/** Whether `value` has the shape of a LINE Gift path id (see LINE_GIFT_PATH_ID). */
export function isLineGiftPathId(value: unknown): value is string {
  return typeof value === "string" && LINE_GIFT_PATH_ID.test(value)
}

/**
 * Fills `{name}` placeholders of a path with values of the shape LINE_GIFT_PATH_ID, URL-encoded
 * on top (`fillLineGiftPath("/order/{id}/delivery", {id: "12345678901234567890"})` →
 * `/order/12345678901234567890/delivery`). Numbers are accepted only as safe integers.
 * @throws RangeError when a placeholder has no value, an empty one, or one of another shape
 *   (e.g. `..`, `a/b`, `1.5`): never builds a URL whose path differs from the template's.
 */
export function fillLineGiftPath(
  template: string,
  params: Record<string, string | number> = {}
): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = params[name]
    if (value === undefined || value === null || String(value).trim() === "") {
      throw new RangeError(
        `LINE Gift path "${template}" needs a value for "{${name}}"`
      )
    }
    const text =
      typeof value === "number" && Number.isSafeInteger(value)
        ? String(value)
        : value
    if (!isLineGiftPathId(text)) {
      throw new RangeError(
        `LINE Gift path "${template}": "{${name}}" must be 1–64 letters, digits, "-" or "_" (got ${JSON.stringify(String(value)).slice(0, 80)})`
      )
    }
    return encodeURIComponent(text)
  })
}

/**
 * Joins a base URL (as resolved above) and a filled path into an absolute URL string.
 * Query parameters are added by the HTTP layer, never here.
 */
export function lineGiftUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`
}
