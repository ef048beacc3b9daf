/**
 * Database errors never carry values into a log or a stored reason (src/lib/safe-error.ts).
 * The errors are made as the stack makes them: pg's DatabaseError, knex's message
 * ("<statement with every value> - <message>", formatted by knex itself) and MikroORM's
 * PostgreSQL exception converter (appends "\n - detail: …", wraps the error). No database.
 */
import { DatabaseError } from "pg"
import { PostgreSqlExceptionConverter } from "@mikro-orm/postgresql"
import Knex from "knex"
import { safeErrorMessage } from "../../src/lib/safe-error"

const knex = Knex({ client: "pg" })
const PHONE = "09000001234"
const STREET = "千代田1-1 テスト101"
const NAME = "見本 花子"
const ORDER = {
  id: "8000000005",
  user_name: "見本\u0000",
  address: {
    last_name: "見本",
    first_name: "花子",
    tel: PHONE,
    address: STREET,
  },
}

/** The error a MikroORM `execute` of `sql` with `bindings` throws when PostgreSQL refuses it. */
function driverError(
  sql: string,
  bindings: unknown[],
  pg: {
    message: string
    code: string
    detail?: string
    hint?: string
    table?: string
    constraint?: string
  }
): Error {
  const e = new DatabaseError(pg.message, 0, "error")
  Object.assign(e, { severity: "ERROR", routine: "errorMissingInput" }, pg)
  e.message = pg.message
  // knex (query-executioner.js): the statement, values written out, before the message.
  e.message = `${knex.raw(sql, bindings as never[]).toString()} - ${e.message}`
  return new PostgreSqlExceptionConverter().convertException(e)
}

const CLAIM_SQL = `INSERT INTO line_gift_order
     (id, shop_id, line_gift_order_id, line_gift_status, raw, state, last_run_id, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?::jsonb, 'importing', ?, now(), now())
   ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET raw = EXCLUDED.raw
   RETURNING id`
const CLAIM_BINDINGS = [
  "lgord_1",
  "lgshop_1",
  "8000000005",
  "payment",
  JSON.stringify(ORDER),
  "lgrun_1",
]

const expectNoValues = (text: string) => {
  for (const value of [PHONE, STREET, "花子", "見本", "lgshop_1", "INSERT"]) {
    expect(text).not.toContain(value)
  }
}

describe("safeErrorMessage", () => {
  it("keeps only PostgreSQL's message and code of a refused claim holding an address and a phone", () => {
    const e = driverError(CLAIM_SQL, CLAIM_BINDINGS, {
      message: "unsupported Unicode escape sequence",
      code: "22P05",
      detail: "\\u0000 cannot be converted to text.",
    })
    // The premise: the stack's message holds the values.
    expect(e.message).toContain(PHONE)
    expect(e.message).toContain(STREET)
    const safe = safeErrorMessage(e)
    expect(safe).toBe("unsupported Unicode escape sequence (SQLSTATE 22P05)")
  })

  it("keeps the table and constraint, drops the detail's values", () => {
    const e = driverError(
      `insert into "order_address" ("id", "last_name", "first_name", "address_1", "phone") values (?, ?, ?, ?, ?)`,
      ["oaddr_1", "見本", "花子", STREET, PHONE],
      {
        message:
          'duplicate key value violates unique constraint "IDX_order_address_phone"',
        code: "23505",
        detail: `Key (phone)=(${PHONE}) already exists.`,
        table: "order_address",
        constraint: "IDX_order_address_phone",
      }
    )
    expect(e.message).toContain(`Key (phone)=(${PHONE})`)
    expect(safeErrorMessage(e)).toBe(
      'duplicate key value violates unique constraint "IDX_order_address_phone" (SQLSTATE 23505, table order_address, constraint IDX_order_address_phone)'
    )
  })

  it("withholds a value PostgreSQL quotes in its own message, keeps identifiers", () => {
    const e = driverError(
      `update "order_address" set "phone" = ? where "id" = ?`,
      [PHONE, "oaddr_1"],
      {
        message: `invalid input syntax for type bigint: "${PHONE}"`,
        code: "22P02",
        hint: `Failing row contains (oaddr_1, ${NAME}, ${PHONE}).`,
      }
    )
    expect(safeErrorMessage(e)).toBe(
      'invalid input syntax for type bigint: "…" (SQLSTATE 22P02)'
    )
    const notNull = driverError(
      `insert into "order_address" ("id", "phone") values (?, ?)`,
      ["oaddr_1", PHONE],
      {
        message:
          'null value in column "city" of relation "order_address" violates not-null constraint',
        code: "23502",
        detail: `Failing row contains (oaddr_1, ${PHONE}, null).`,
      }
    )
    expect(safeErrorMessage(notNull)).toBe(
      'null value in column "city" of relation "order_address" violates not-null constraint (SQLSTATE 23502)'
    )
  })

  it("a serialised error (message only, as a workflow may hand it back) loses its values too, its prefix kept", () => {
    const e = driverError(CLAIM_SQL, CLAIM_BINDINGS, {
      message: "unsupported Unicode escape sequence",
      code: "22P05",
      detail: `\\u0000 cannot be converted to text. ${PHONE}`,
    })
    const serialised = { message: `unexpected error: ${e.message}` }
    expect(safeErrorMessage(serialised)).toBe(
      "unexpected error: unsupported Unicode escape sequence"
    )
    expect(safeErrorMessage(e.message)).toBe(
      "unsupported Unicode escape sequence"
    )
  })

  it("a failure record refused with the claim's error inside it (values nested twice, ' - ' in a value)", () => {
    const claim = driverError(CLAIM_SQL, CLAIM_BINDINGS, {
      message: "unsupported Unicode escape sequence",
      code: "22P05",
      detail: "\\u0000 cannot be converted to text.",
    })
    const record = driverError(
      `INSERT INTO line_gift_order (id, raw, failure_reason) VALUES (?, ?::jsonb, ?)`,
      [
        "lgord_2",
        JSON.stringify({
          ...ORDER,
          note: `a - ${PHONE}\n - detail: ${STREET}`,
        }),
        claim.message,
      ],
      {
        message: "unsupported Unicode escape sequence",
        code: "22P05",
        detail: "\\u0000 cannot be converted to text.",
      }
    )
    const safe = safeErrorMessage(record)
    expect(safe).toBe("unsupported Unicode escape sequence (SQLSTATE 22P05)")
    expectNoValues(safeErrorMessage({ message: record.message }))
  })

  it("leaves other errors' messages as they are, made storable", () => {
    expect(
      safeErrorMessage(new Error("LINE Gift order search failed: HTTP 503"))
    ).toBe("LINE Gift order search failed: HTTP 503")
    expect(
      safeErrorMessage(new Error("Please select a region - then retry"))
    ).toBe("Please select a region - then retry")
    expect(safeErrorMessage("plain text")).toBe("plain text")
    expect(safeErrorMessage(new Error("reason a\u0000b\ud800"))).toBe(
      "reason a\uFFFDb\uFFFD"
    )
    expect(safeErrorMessage(undefined)).toBe("undefined")
    // A Node system error has a five-capital code but is not PostgreSQL's.
    const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" })
    expect(safeErrorMessage(epipe)).toBe("write EPIPE")
  })
})
