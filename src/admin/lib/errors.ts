/**
 * Turns an API error into what the form shows: messages per field (inline) and the rest.
 *
 * The API answers 400 `{ type: "invalid_data", message }` where the message lists problems
 * separated by "; ", each either "field.path: message" (the plugin's own validators) or one of
 * Medusa's phrasings that name the field in quotes ("Field 'x' is required",
 * "Value for field 'x' too big, …").
 */

export type FieldErrors = Record<string, string>

export type ParsedApiError = {
  /** By top-level field name (e.g. "fetch_schedules" for "fetch_schedules.0.time"). */
  fields: FieldErrors
  /** Problems that name no known field. */
  general: string[]
  status?: number
}

/** The message of anything thrown by the SDK (FetchError has message and status). */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String(e.message)
  return String(e)
}

/**
 * Splits an API error over the given field names.
 * @param known the form's field names; a problem about another field goes to `general`.
 */
export function parseApiError(
  e: unknown,
  known: readonly string[]
): ParsedApiError {
  const status =
    e && typeof e === "object" && "status" in e ? Number(e.status) : undefined
  const message = errorMessage(e).replace(/^Invalid request:\s*/, "")
  const fields: FieldErrors = {}
  const general: string[] = []
  for (const part of message
    .split(/;\s+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const field = fieldOf(part)
    const top = field?.split(".")[0]
    if (top && known.includes(top)) {
      const text = part.replace(/^[\w.[\]]+:\s*/, "")
      fields[top] = fields[top] ? `${fields[top]}; ${text}` : text
    } else {
      general.push(part)
    }
  }
  return { fields, general, status }
}

function fieldOf(part: string): string | null {
  const prefixed = /^([a-z_][\w]*(?:\.[\w]+)*):\s/.exec(part)
  if (prefixed) return prefixed[1]
  const quoted = /field '([^']+)'/i.exec(part)
  return quoted ? quoted[1] : null
}
