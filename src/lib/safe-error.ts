/**
 * Error messages fit for a log line, a run's errors or a record's failure_reason: never the
 * values a database statement carried.
 *
 * knex puts the whole statement, every bound value written out, in front of PostgreSQL's
 * message (`insert into "x" (…) values ('…', '…') - <message>`), and MikroORM appends the
 * error's detail (`\n - detail: Key (…)=(…) already exists.`, `Failing row contains (…)`),
 * which holds values too. A LINE Gift order's values are a recipient's name, address and
 * phone number: such a message must never be logged or stored as it is.
 */
import { storableText } from "./storable-text"

/** Longest message kept (a PostgreSQL message is one short line). */
const MAX_DB_MESSAGE = 300

/** A SQLSTATE: two-character class, three-character subclass (digits and capitals). */
const SQLSTATE = /^[0-9A-Z]{5}$/

/**
 * Where a SQL statement starts in a message (knex's "<statement> - <message>"): a statement
 * keyword that is followed, later, by the " - " knex writes before PostgreSQL's message.
 */
const STATEMENT_START =
  /\b(?:insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s|select\s[\s\S]*?\sfrom\s|with\s+\S+\s+as\s*\()[\s\S]* - /i

/**
 * Double-quoted text in a PostgreSQL message is kept only right after one of these words
 * (an identifier: `unique constraint "x"`, `relation "y"`); any other (`invalid input syntax
 * for type integer: "…"`, `value "…" is out of range`) may be a value and is withheld.
 */
const IDENTIFIER_BEFORE_QUOTE =
  /(?:relation|table|constraint|column|index|type|schema|function|sequence|database|role|operator|extension|trigger|view|enum)\s+$/i

/** Fields of a driver error (pg's DatabaseError, MikroORM's DriverException copies them). */
type DriverErrorFields = {
  message?: unknown
  code?: unknown
  severity?: unknown
  routine?: unknown
  table?: unknown
  constraint?: unknown
  /** Values (`Key (…)=(…)`, `Failing row contains (…)`): never kept. */
  detail?: unknown
  hint?: unknown
}

/**
 * The message of any thrown value, safe to log and to store:
 * - an error of the database driver / ORM (a SQLSTATE `code` with pg's `severity` or
 *   `routine`, or a message holding a knex statement "<statement> - <message>"): only
 *   PostgreSQL's own message — the statement before it and MikroORM's `detail` / `hint`
 *   after it are dropped, double-quoted text that is not an identifier is withheld (`"…"`) —
 *   followed by `(SQLSTATE <code>, table <t>, constraint <c>)` as far as the error has them;
 *   text before the statement (a prefix a caller added) is kept;
 * - any other Error (or object with `message`): its message; anything else: its string form.
 * The result is storable text (NUL and unpaired surrogates → U+FFFD, storableText).
 * Client errors of LINE Gift (LineGiftApiError) are already free of secrets and pass as they are.
 * @returns the message; never throws.
 */
export function safeErrorMessage(e: unknown): string {
  let text: string
  try {
    text = describe(e)
  } catch {
    text = "error (its message could not be read)"
  }
  return storableText(text)
}

function describe(e: unknown): string {
  const fields: DriverErrorFields =
    e && typeof e === "object" ? (e as DriverErrorFields) : {}
  const raw =
    e && typeof e === "object" && "message" in e
      ? String(fields.message)
      : String(e)
  const code =
    typeof fields.code === "string" && SQLSTATE.test(fields.code)
      ? fields.code
      : null
  const fromDriver =
    code !== null &&
    (typeof fields.severity === "string" || typeof fields.routine === "string")
  const statement = STATEMENT_START.exec(raw)
  if (!statement && !fromDriver) return raw
  const prefix = statement ? raw.slice(0, statement.index) : ""
  const pgMessage = postgresMessage(
    statement ? raw.slice(statement.index) : raw,
    !!statement,
    fields
  )
  const facts = [
    code && `SQLSTATE ${code}`,
    typeof fields.table === "string" && fields.table && `table ${fields.table}`,
    typeof fields.constraint === "string" &&
      fields.constraint &&
      `constraint ${fields.constraint}`,
  ].filter(Boolean)
  return `${prefix}${pgMessage}${facts.length ? ` (${facts.join(", ")})` : ""}`
}

/**
 * PostgreSQL's message out of "<statement> - <message>[\n - detail: …][\n - hint: …]" (or of
 * "<message>[\n - detail: …]" when there is no statement): its first line, values withheld.
 * MikroORM's suffixes are cut exactly when the error still has its `detail` / `hint`, else at
 * their last marker (a serialised error); the message is what follows the last " - " left.
 */
function postgresMessage(
  text: string,
  hasStatement: boolean,
  fields: DriverErrorFields
): string {
  let rest = text
  for (const [marker, value] of [
    ["\n - hint: ", fields.hint],
    ["\n - detail: ", fields.detail],
  ] as const) {
    const exact = typeof value === "string" ? `${marker}${value}` : null
    if (exact && rest.endsWith(exact)) rest = rest.slice(0, -exact.length)
    else if (rest.includes(marker))
      rest = rest.slice(0, rest.lastIndexOf(marker))
  }
  if (hasStatement) rest = rest.slice(rest.lastIndexOf(" - ") + 3)
  let message = rest.split("\n")[0].trim()
  if (/^(detail|hint):/i.test(message)) message = ""
  message = withholdQuotedValues(message)
  if (!message) return "database error"
  return message.length > MAX_DB_MESSAGE
    ? `${message.slice(0, MAX_DB_MESSAGE - 1)}…`
    : message
}

/** `"…"` for every double-quoted text of a PostgreSQL message that is not an identifier. */
function withholdQuotedValues(message: string): string {
  return message.replace(/"[^"]*"/g, (quoted, offset: number) =>
    IDENTIFIER_BEFORE_QUOTE.test(message.slice(0, offset)) ? quoted : '"…"'
  )
}
