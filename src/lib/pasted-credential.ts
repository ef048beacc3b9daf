/**
 * Pasted LINE Gift credentials (client_id, client_secret, an authorization code, a refresh
 * token) as merchants paste them: from LINE chats, PDFs, e-mails, the browser's address bar,
 * through a Japanese input method. One normaliser for the API's validators (and anything else
 * that takes such a value).
 *
 * What is removed — only what can never be part of a credential:
 * - invisible format characters anywhere: U+200B ZERO WIDTH SPACE, U+200C ZWNJ, U+200D ZWJ,
 *   U+2060 WORD JOINER, U+FEFF (BOM / ZWNBSP);
 * - whitespace around the value (spaces, tabs, line breaks, U+00A0 NO-BREAK SPACE, U+3000
 *   IDEOGRAPHIC SPACE — everything JavaScript's `trim` removes);
 * - one or more matching pairs of quotes around it: "…" '…' `…` “…” ‘…’ 「…」 『…』 ＂…＂ ＇…＇.
 * For `authorization_code` only: a pasted redirect address (`https://…/callback?code=X&state=Y`)
 * or query string (`?code=X&state=Y`, `code=X&state=Y`) gives its `code` parameter (decoded as
 * a query string is); an `error` parameter there (LINE Gift refused the authorisation, e.g.
 * `error=access_denied`) is refused naming that error code.
 *
 * What is refused, never repaired: OAuth 2.0 allows only visible ASCII in these values
 * (RFC 6749 Appendix A: client_id, client_secret, code and refresh_token are `*VSCHAR`,
 * %x20-7E, and our values carry no inner space). So a value that still holds whitespace or a
 * line break inside, a control character, a full-width letter (ａ, １ — typed with the Japanese
 * input method in full-width mode) or any other non-ASCII character is an error naming the
 * field and the kind of problem. Deliberately NOT done: Unicode NFKC (or any) folding — a
 * full-width "Ａ" is not known to be the "A" the secret has, and a secret silently changed
 * would only fail later at LINE Gift with a less useful message; joining lines of a value
 * broken across lines (two values pasted together would be joined too).
 *
 * Messages never contain the value (it is a secret): only the field name and the problem.
 * Pure; no imports (the admin bundle may use it as it is).
 */

/** The pasted fields this normaliser knows. */
export type PastedCredentialField =
  "client_id" | "client_secret" | "authorization_code" | "refresh_token"

/** The normalised value, or the reason it is refused (field named, value never echoed). */
export type PastedCredentialResult =
  { ok: true; value: string } | { ok: false; message: string }

/** Invisible format characters removed wherever they are (U+200B–U+200D, U+2060, U+FEFF). */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g

/** Opening → closing quote of the pairs stripped around a value. */
const QUOTE_PAIRS: Record<string, string> = {
  '"': '"',
  "'": "'",
  "`": "`",
  "\u201C": "\u201D", // “ ”
  "\u2018": "\u2019", // ‘ ’
  "\u300C": "\u300D", // 「 」
  "\u300E": "\u300F", // 『 』
  "\uFF02": "\uFF02", // ＂ ＂
  "\uFF07": "\uFF07", // ＇ ＇
}

/**
 * Removes what copying adds around a pasted value — invisible format characters anywhere,
 * outer whitespace, matching outer quotes (repeatedly) — and nothing else. Also for pasted
 * values that are not secrets (LINE Gift's shop id).
 */
export function unwrapPasted(raw: string): string {
  let v = raw.replace(INVISIBLE, "").trim()
  for (;;) {
    const close = v.length >= 2 ? QUOTE_PAIRS[v[0]] : undefined
    if (close === undefined || v[v.length - 1] !== close) return v
    v = v.slice(1, -1).trim()
  }
}

/**
 * The problem of a stripped value that is not visible ASCII, or null. Whitespace first (a
 * line break or a space inside), then control characters, full-width forms, other characters.
 */
function problemOf(value: string): string | null {
  if (/[\r\n\u2028\u2029]/.test(value))
    return "has a line break inside; paste it as one line, exactly as issued"
  if (/\s/.test(value))
    return "has a space inside (half-width, full-width or no-break space); paste it exactly as issued, without spaces"
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F-\u009F]/.test(value))
    return "has an invisible control character inside; copy it again from where it was issued"
  if (/[\uFF01-\uFF5E]/.test(value))
    return "has full-width (全角) letters, digits or signs; LINE Gift's values are half-width: switch the input method to half-width and paste or type it again"
  if (/[^\x21-\x7E]/.test(value))
    return "has a character that cannot be in a LINE Gift credential (only half-width letters, digits and signs); copy it again from where it was issued"
  return null
}

/** True when a pasted code looks like an address or query string rather than a bare code. */
function looksLikeQuery(value: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
    /^[?#]/.test(value) ||
    /(^|[?&#])(code|error)=/.test(value)
  )
}

/** An OAuth error code as it may be shown (short, plain characters), else "(unreadable)". */
function shownErrorCode(error: string): string {
  const e = error.trim()
  return /^[A-Za-z0-9_.-]{1,60}$/.test(e) ? e : "(unreadable)"
}

/**
 * The `code` of a pasted redirect address or query string.
 * @returns the decoded code, or the refusal (LINE Gift's `error` parameter, no code, two codes).
 */
function codeFromQuery(value: string): PastedCredentialResult {
  const field = "authorization_code"
  const q = value.indexOf("?")
  const h = value.indexOf("#")
  const query =
    q >= 0 ? value.slice(q + 1, h > q ? h : undefined) : h >= 0 ? "" : value
  const fragment = h >= 0 ? value.slice(h + 1) : ""
  const params = [new URLSearchParams(query), new URLSearchParams(fragment)]
  const errors = params.flatMap((p) => p.getAll("error"))
  if (errors.length) {
    return {
      ok: false,
      message: `${field}: the pasted address is LINE Gift's refusal (error=${shownErrorCode(errors[0])}), not a code; start the authorisation again from the LINE Gift settings`,
    }
  }
  const codes = params.flatMap((p) => p.getAll("code"))
  if (codes.length === 0) {
    return {
      ok: false,
      message: `${field}: the pasted address has no code parameter; paste the whole address shown after authorising (…?code=…), or only the code`,
    }
  }
  if (codes.length > 1) {
    return {
      ok: false,
      message: `${field}: the pasted address has more than one code parameter; paste only the code`,
    }
  }
  return { ok: true, value: codes[0] }
}

/**
 * Normalises one pasted credential (see the module's description).
 * @param field which value it is (named in the messages; `authorization_code` also takes a
 *   redirect address or query string).
 * @param raw the text as pasted.
 * @returns `{ ok, value }` — the value exactly as issued, possibly "" (nothing but invisible
 *   characters, spaces and quotes: the caller decides whether empty is allowed) — or
 *   `{ ok: false, message }` starting with "<field>: ", never containing the value.
 */
export function normalizePastedCredential(
  field: PastedCredentialField,
  raw: string
): PastedCredentialResult {
  let value = unwrapPasted(raw)
  if (field === "authorization_code" && looksLikeQuery(value)) {
    const fromQuery = codeFromQuery(value)
    if (!fromQuery.ok) return fromQuery
    value = unwrapPasted(fromQuery.value)
    if (!value) {
      return {
        ok: false,
        message: `${field}: the code parameter of the pasted address is empty; start the authorisation again from the LINE Gift settings`,
      }
    }
  }
  const problem = problemOf(value)
  return problem
    ? { ok: false, message: `${field}: ${problem}` }
    : { ok: true, value }
}
