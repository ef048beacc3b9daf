/**
 * The normaliser of pasted credentials (src/lib/pasted-credential.ts): each kind of pasted
 * text, with the exact value kept or the exact refusal (field named, value never echoed).
 */
import {
  normalizePastedCredential,
  type PastedCredentialField,
} from "../../src/lib/pasted-credential"
import {
  AdminLineGiftManualCredentials,
  AdminLineGiftConnectionCheck,
} from "../../src/api/admin/line-gift/connection-validators"
import { AdminUpdateLineGiftShop } from "../../src/api/admin/line-gift/validators"

const SECRET = "s3cr3t-Value_9.x~Z"
const ok = (value: string) => ({ ok: true, value })

describe("normalizePastedCredential: what is removed", () => {
  const fields: PastedCredentialField[] = [
    "client_id",
    "client_secret",
    "authorization_code",
    "refresh_token",
  ]
  it.each([
    ["a clean value", SECRET],
    ["outer spaces, tabs and line breaks", `  \t${SECRET}\r\n`],
    ["a no-break space (U+00A0) around", `\u00A0${SECRET}\u00A0`],
    ["an ideographic space (U+3000) around", `\u3000${SECRET}\u3000\u3000`],
    ["a BOM (U+FEFF) in front", `\uFEFF${SECRET}`],
    [
      "zero-width characters inside and around (U+200B–U+200D, U+2060)",
      `\u200B${SECRET.slice(0, 4)}\u200C${SECRET.slice(4, 9)}\u200D\u2060${SECRET.slice(9)}\u200B`,
    ],
    ['straight double quotes "…"', `"${SECRET}"`],
    ["single quotes '…'", `'${SECRET}'`],
    ["back quotes `…`", `\`${SECRET}\``],
    ["curly quotes “…”", `“${SECRET}”`],
    ["curly single quotes ‘…’", `‘${SECRET}’`],
    ["Japanese corner brackets 「…」", `「${SECRET}」`],
    ["Japanese double corner brackets 『…』", `『${SECRET}』`],
    ["full-width quotes ＂…＂", `＂${SECRET}＂`],
    ["quotes and spaces nested", ` 「 "${SECRET}" 」\n`],
  ])("%s → the value exactly as issued", (_name, raw) => {
    for (const field of fields) {
      expect(normalizePastedCredential(field, raw)).toEqual(ok(SECRET))
    }
  })

  it("keeps every visible ASCII character of a secret as it is (no case or symbol folding)", () => {
    const all = "AZaz09-._~+/=!#$%&()*,:;<>?@[]^{|}\\"
    expect(normalizePastedCredential("client_secret", all)).toEqual(ok(all))
    expect(normalizePastedCredential("refresh_token", "abc==")).toEqual(
      ok("abc==")
    )
  })

  it("a quote on one side only is part of the value (not stripped)", () => {
    expect(normalizePastedCredential("client_secret", `"${SECRET}`)).toEqual(
      ok(`"${SECRET}`)
    )
  })

  it("nothing but invisible characters, spaces and quotes → empty (the caller decides)", () => {
    expect(normalizePastedCredential("client_id", " \u200B\u3000'' ")).toEqual(
      ok("")
    )
  })
})

describe("normalizePastedCredential: what is refused (field named, value never echoed)", () => {
  it.each([
    [
      "a line break inside",
      `${SECRET.slice(0, 6)}\n${SECRET.slice(6)}`,
      "client_secret: has a line break inside; paste it as one line, exactly as issued",
    ],
    [
      "a space inside",
      `${SECRET.slice(0, 6)} ${SECRET.slice(6)}`,
      "client_secret: has a space inside (half-width, full-width or no-break space); paste it exactly as issued, without spaces",
    ],
    [
      "an ideographic space inside",
      `${SECRET.slice(0, 6)}\u3000${SECRET.slice(6)}`,
      "client_secret: has a space inside (half-width, full-width or no-break space); paste it exactly as issued, without spaces",
    ],
    [
      "a no-break space inside",
      `${SECRET.slice(0, 6)}\u00A0${SECRET.slice(6)}`,
      "client_secret: has a space inside (half-width, full-width or no-break space); paste it exactly as issued, without spaces",
    ],
    [
      "a control character inside",
      `${SECRET.slice(0, 6)}\u0007${SECRET.slice(6)}`,
      "client_secret: has an invisible control character inside; copy it again from where it was issued",
    ],
    [
      "a full-width letter (typed in full-width mode) — reported, never folded to ASCII",
      `${SECRET.slice(0, 6)}Ａ${SECRET.slice(6)}`,
      "client_secret: has full-width (全角) letters, digits or signs; LINE Gift's values are half-width: switch the input method to half-width and paste or type it again",
    ],
    [
      "other non-ASCII text",
      `${SECRET}é`,
      "client_secret: has a character that cannot be in a LINE Gift credential (only half-width letters, digits and signs); copy it again from where it was issued",
    ],
  ])("%s", (_name, raw, message) => {
    const result = normalizePastedCredential("client_secret", raw)
    expect(result).toEqual({ ok: false, message })
    expect(JSON.stringify(result)).not.toContain(SECRET.slice(0, 6))
  })
})

describe("normalizePastedCredential: a pasted redirect address gives its code", () => {
  const code = "Ab3-_.~xYz"
  it.each([
    [
      "the whole address from the address bar",
      `https://shop.example.com/line-gift/oauth/callback?code=${code}&state=st.ate-1`,
    ],
    [
      "the address, code last",
      `https://shop.example.com/cb?state=xyz&code=${code}`,
    ],
    ["an address without scheme", `shop.example.com/cb?code=${code}&state=1`],
    ["an address with a fragment", `https://x.example/cb?code=${code}#top`],
    ["the code in the fragment", `https://x.example/cb#code=${code}&state=1`],
    ["the query string with ?", `?code=${code}&state=1`],
    ["the query string without ?", `code=${code}&state=1`],
    ["percent-encoded code", `https://x.example/cb?code=Ab3%2D_.~xYz&state=1`],
    [
      "the address in quotes with a line break after",
      `「https://x.example/cb?code=${code}&state=1」\n`,
    ],
  ])("%s → the code", (_name, raw) => {
    expect(normalizePastedCredential("authorization_code", raw)).toEqual(
      ok(code)
    )
  })

  it("a bare code that merely contains '=' (base64) stays as it is", () => {
    expect(
      normalizePastedCredential("authorization_code", "QWJcode==")
    ).toEqual(ok("QWJcode=="))
  })

  it("the address of a refused authorisation → refused, naming LINE Gift's error code", () => {
    expect(
      normalizePastedCredential(
        "authorization_code",
        "https://x.example/cb?error=access_denied&error_description=The+user+denied&state=1"
      )
    ).toEqual({
      ok: false,
      message:
        "authorization_code: the pasted address is LINE Gift's refusal (error=access_denied), not a code; start the authorisation again from the LINE Gift settings",
    })
    expect(
      normalizePastedCredential("authorization_code", "error=<script>&state=1")
    ).toEqual({
      ok: false,
      message:
        "authorization_code: the pasted address is LINE Gift's refusal (error=(unreadable)), not a code; start the authorisation again from the LINE Gift settings",
    })
  })

  it("an address without code, with two codes, or with an empty code → refused", () => {
    expect(
      normalizePastedCredential(
        "authorization_code",
        "https://x.example/cb?state=1"
      )
    ).toEqual({
      ok: false,
      message:
        "authorization_code: the pasted address has no code parameter; paste the whole address shown after authorising (…?code=…), or only the code",
    })
    expect(
      normalizePastedCredential("authorization_code", "?code=a&code=b")
    ).toEqual({
      ok: false,
      message:
        "authorization_code: the pasted address has more than one code parameter; paste only the code",
    })
    expect(
      normalizePastedCredential("authorization_code", "?code=&state=1")
    ).toEqual({
      ok: false,
      message:
        "authorization_code: the code parameter of the pasted address is empty; start the authorisation again from the LINE Gift settings",
    })
  })

  it("the code of an address is checked like a pasted one (a space inside → refused)", () => {
    expect(
      normalizePastedCredential("authorization_code", "?code=ab+cd&state=1")
    ).toEqual({
      ok: false,
      message:
        "authorization_code: has a space inside (half-width, full-width or no-break space); paste it exactly as issued, without spaces",
    })
  })

  it("a refresh token or client secret is never read as an address", () => {
    expect(
      normalizePastedCredential("refresh_token", "code=abc&state=1")
    ).toEqual(ok("code=abc&state=1"))
  })
})

describe("the validators use it", () => {
  it("manual credentials: a pasted address becomes its code, a pasted token is cleaned", () => {
    expect(
      AdminLineGiftManualCredentials.parse({
        authorization_code:
          "\u200Bhttps://x.example/cb?code=abc123&state=s\u3000",
      })
    ).toEqual({ authorization_code: "abc123" })
    expect(
      AdminLineGiftManualCredentials.parse({ refresh_token: `"${SECRET}"\n` })
    ).toEqual({ refresh_token: SECRET })
  })

  it("manual credentials: refusals name the field; an empty paste is refused", () => {
    const bad = AdminLineGiftManualCredentials.safeParse({
      refresh_token: `${SECRET} ${SECRET}`,
    })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      "refresh_token: has a space inside (half-width, full-width or no-break space); paste it exactly as issued, without spaces",
    ])
    expect(JSON.stringify(bad.error?.issues)).not.toContain(SECRET)
    const empty = AdminLineGiftManualCredentials.safeParse({
      authorization_code: "\u200B ",
    })
    expect(empty.error?.issues.map((i) => i.message)).toContain(
      "authorization_code: is empty"
    )
  })

  it("shop settings: client_id / client_secret cleaned; a full-width secret refused; null and empty kept", () => {
    expect(
      AdminUpdateLineGiftShop.parse({
        client_id: "\u00A0「1234567890」",
        client_secret: `\uFEFF${SECRET}\u200B`,
      })
    ).toEqual({ client_id: "1234567890", client_secret: SECRET })
    expect(
      AdminUpdateLineGiftShop.parse({ client_id: null, client_secret: "" })
    ).toEqual({ client_id: null, client_secret: "" })
    const bad = AdminUpdateLineGiftShop.safeParse({
      client_secret: "ｓｅｃｒｅｔ",
    })
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      "client_secret: has full-width (全角) letters, digits or signs; LINE Gift's values are half-width: switch the input method to half-width and paste or type it again",
    ])
  })

  it("the connection check's LINE Gift shop id, pasted, is unwrapped the same way; still checked as an id", () => {
    expect(AdminLineGiftConnectionCheck.parse({})).toEqual({})
    expect(
      AdminLineGiftConnectionCheck.parse({
        line_gift_shop_id: "\u200B「shop_123」\u3000",
      })
    ).toEqual({ line_gift_shop_id: "shop_123" })
    expect(
      AdminLineGiftConnectionCheck.safeParse({ line_gift_shop_id: "shop 123" })
        .success
    ).toBe(false)
  })
})
