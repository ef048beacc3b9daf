/**
 * "Other shapes" of LINE Gift for the connection check (issue 11): the sandbox can answer as
 * a LINE Gift that differs from our assumptions, so tests and demos see what the merchant
 * would see and which option fixes it.
 *
 * - `movedPaths`: a call lives at another path (e.g. `{ order_search: "/shop/api/2/order/search" }`);
 *   the documented path then answers HTTP 404 (fix: the option `paths.orderSearch`, …);
 * - `deliveryBody`: the shipment call accepts only `json` (or only `form`); the other
 *   encoding answers HTTP 400 (fix: the option `shipmentCall.encoding`);
 * - `deliveryFields`: the field names the shipment call reads (fix: `shipmentCall.fields`);
 * - `revokeOnReauthorize`: a code exchange revokes every earlier token of that app (a LINE
 *   Gift that revokes old grants on re-authorisation);
 * - `refreshWithoutRotation`: a refresh answers without `refresh_token` and the refresh token
 *   stays valid (shared/line-gift-api.md: "If the response has no refresh_token, keep the old one");
 * - `tokenAnswerFields`: fields merged into every token answer (e.g. `expires_in` in
 *   milliseconds, or as a decimal), for answers whose lifetimes are not what we assume.
 * A body error on refresh needs no shape: the `bodyError` fault with `on: "token"`.
 */

/** Calls whose path can move. */
export type MovableCall =
  "token" | "refresh" | "order_search" | "delivery" | "items" | "item"

/** The shape switches (all off by default). */
export type SandboxShapes = {
  movedPaths?: Partial<Record<MovableCall, string>>
  deliveryBody?: "form" | "json"
  deliveryFields?: { deliveryCode: string; deliveryAgent: string }
  revokeOnReauthorize?: boolean
  refreshWithoutRotation?: boolean
  tokenAnswerFields?: Record<string, unknown>
}

/** The documented paths (as `classify` knows them); placeholders as regex groups. */
const DOCUMENTED: Record<MovableCall, RegExp> = {
  token: /^\/api\/v1\/oauth2\/token$/,
  refresh: /^\/api\/v1\/oauth2\/token\/refresh$/,
  order_search: /^\/shop\/api\/1\/order\/search$/,
  delivery: /^\/shop\/api\/1\/order\/([^/]+)\/delivery$/,
  items: /^\/api\/v1\/shops\/([^/]+)\/items$/,
  item: /^\/api\/v1\/shops\/([^/]+)\/items\/([^/]+)$/,
}

/** Documented path templates, to rebuild a classified path from a moved one. */
const TEMPLATES: Record<MovableCall, string> = {
  token: "/api/v1/oauth2/token",
  refresh: "/api/v1/oauth2/token/refresh",
  order_search: "/shop/api/1/order/search",
  delivery: "/shop/api/1/order/{1}/delivery",
  items: "/api/v1/shops/{1}/items",
  item: "/api/v1/shops/{1}/items/{2}",
}

function templateRegex(template: string): RegExp {
  const esc = (x: string) => x.replace(/[.*+?^$()|[\]\\]/g, "\\$&")
  return new RegExp(
    `^${template
      .split(/\{[a-z_0-9]+\}/i)
      .map(esc)
      .join("([^/]+)")}$`
  )
}

/**
 * The path the sandbox should route `path` as: a moved call's new path → its documented path;
 * a moved call's documented path → a path nothing serves (HTTP 404). Others unchanged.
 */
export function routedPath(shapes: SandboxShapes, path: string): string {
  const moved = shapes.movedPaths ?? {}
  const p = path.length > 1 ? path.replace(/\/+$/, "") : path
  for (const [call, newPath] of Object.entries(moved) as Array<
    [MovableCall, string]
  >) {
    if (!newPath) continue
    const m = templateRegex(newPath).exec(p)
    if (m)
      return TEMPLATES[call].replace(
        /\{(\d)\}/g,
        (_x, i: string) => m[Number(i)] ?? ""
      )
  }
  for (const call of Object.keys(moved) as MovableCall[]) {
    if (moved[call] && DOCUMENTED[call].test(p)) return `/__moved${p}`
  }
  return path
}

/**
 * A rejection of a shipment call whose body is not in the shape the switches require, or
 * null. `contentType` is the request's header; `body` the parsed body.
 */
export function deliveryBodyRejection(
  shapes: SandboxShapes,
  contentType: string | undefined,
  body: Record<string, unknown> | null
): { status: number; body: Record<string, unknown> } | null {
  const type = (contentType ?? "").toLowerCase()
  if (shapes.deliveryBody === "json" && !type.includes("application/json")) {
    return {
      status: 400,
      body: {
        code: 400,
        reason: "invalid_request: Content-Type must be application/json",
      },
    }
  }
  if (
    shapes.deliveryBody === "form" &&
    !type.includes("application/x-www-form-urlencoded")
  ) {
    return {
      status: 400,
      body: {
        code: 400,
        reason:
          "invalid_request: Content-Type must be application/x-www-form-urlencoded",
      },
    }
  }
  const fields = shapes.deliveryFields
  if (
    fields &&
    body &&
    !(fields.deliveryCode in body && fields.deliveryAgent in body)
  ) {
    return {
      status: 400,
      body: {
        code: 400,
        reason: `invalid_request: ${fields.deliveryCode} and ${fields.deliveryAgent} are required`,
      },
    }
  }
  return null
}

/** Maps a body with the shape's field names back to `delivery_code` / `delivery_agent`. */
export function normalisedDeliveryBody(
  shapes: SandboxShapes,
  body: Record<string, unknown> | null
): Record<string, unknown> | null {
  const fields = shapes.deliveryFields
  if (!fields || !body) return body
  return {
    delivery_code: body[fields.deliveryCode],
    delivery_agent: body[fields.deliveryAgent],
  }
}

/** Validates a shapes object from the control API. @throws Error naming the bad key. */
export function normaliseShapes(input: unknown): SandboxShapes {
  if (!input || typeof input !== "object")
    throw new Error("shapes must be an object")
  const v = input as Record<string, unknown>
  const out: SandboxShapes = {}
  for (const [key, value] of Object.entries(v)) {
    if (value === undefined || value === null) continue
    if (key === "movedPaths") {
      if (typeof value !== "object")
        throw new Error("movedPaths must be an object")
      out.movedPaths = {}
      for (const [call, path] of Object.entries(
        value as Record<string, unknown>
      )) {
        if (!(call in DOCUMENTED))
          throw new Error(`movedPaths.${call}: unknown call`)
        if (typeof path !== "string" || !path.startsWith("/"))
          throw new Error(`movedPaths.${call} must be a path`)
        out.movedPaths[call as MovableCall] = path
      }
    } else if (key === "deliveryBody") {
      if (value !== "form" && value !== "json")
        throw new Error(`deliveryBody must be "form" or "json"`)
      out.deliveryBody = value
    } else if (key === "deliveryFields") {
      const f = value as Record<string, unknown>
      if (
        typeof f.deliveryCode !== "string" ||
        typeof f.deliveryAgent !== "string"
      ) {
        throw new Error("deliveryFields needs deliveryCode and deliveryAgent")
      }
      out.deliveryFields = {
        deliveryCode: f.deliveryCode,
        deliveryAgent: f.deliveryAgent,
      }
    } else if (key === "revokeOnReauthorize") {
      out.revokeOnReauthorize = value === true
    } else if (key === "refreshWithoutRotation") {
      out.refreshWithoutRotation = value === true
    } else if (key === "tokenAnswerFields") {
      if (typeof value !== "object" || Array.isArray(value))
        throw new Error("tokenAnswerFields must be an object")
      out.tokenAnswerFields = { ...(value as Record<string, unknown>) }
    } else {
      throw new Error(`unknown shape "${key}"`)
    }
  }
  return out
}
