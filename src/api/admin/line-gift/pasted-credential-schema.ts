/** The zod field of a pasted credential (client_id, client_secret, code, refresh token). */
import { z } from "@medusajs/framework/zod"
import {
  normalizePastedCredential,
  type PastedCredentialField,
} from "../../../lib/pasted-credential"

/** Longest text accepted as pasted, before normalising (a whole redirect address fits). */
const MAX_PASTED_CHARS = 8000

/**
 * A string field normalised by `normalizePastedCredential`: the parsed value is the credential
 * exactly as issued; a refused one is a 400 whose message names the field and the problem and
 * never holds the value (Medusa drops the path of refinement messages, so the text starts
 * with the field's name).
 * @param options.max longest normalised value (characters); `required`: "" refused too.
 */
export function pastedCredential(
  field: PastedCredentialField,
  options: { max: number; required?: boolean }
) {
  return z.string({ error: `${field}: must be text` }).transform((raw, ctx) => {
    // Checked here, not with max(): Medusa's validator rewrites max() messages.
    if (raw.length > MAX_PASTED_CHARS) {
      ctx.addIssue({
        code: "custom",
        message: `${field}: is too long to be a credential`,
      })
      return z.NEVER
    }
    const result = normalizePastedCredential(field, raw)
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message })
      return z.NEVER
    }
    if (options.required && !result.value) {
      ctx.addIssue({ code: "custom", message: `${field}: is empty` })
      return z.NEVER
    }
    if (result.value.length > options.max) {
      ctx.addIssue({
        code: "custom",
        message: `${field}: is longer than ${options.max} characters`,
      })
      return z.NEVER
    }
    return result.value
  })
}
