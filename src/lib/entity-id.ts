/**
 * Ids for the Medusa rows the bulk import writes itself, chosen before the write.
 */
import { randomFillSync } from "node:crypto"
import { factory } from "ulid"

/** Random bytes drawn from the OS at a time (then handed out one per ULID character). */
const POOL_BYTES = 4096
const pool = Buffer.allocUnsafe(POOL_BYTES)
let next = POOL_BYTES

/**
 * A number in [0, 1) from one cryptographically random byte (multiples of 1/256: each of
 * ULID's 32 characters equally likely), refilling the pool with `crypto.randomFillSync`
 * when it is used up.
 */
function pooledRandom(): number {
  if (next >= POOL_BYTES) {
    randomFillSync(pool)
    next = 0
  }
  return pool[next++] / 256
}

const pooledUlid = factory(pooledRandom)

/**
 * A new id in Medusa's format, `<prefix>_<ULID>` — what `generateEntityId(undefined, prefix)`
 * of `@medusajs/framework/utils` returns — for a row the plugin writes with its id given
 * (a Medusa model keeps a given id). Same ulid library and the same OS randomness, but drawn
 * 4 KB at a time: ulid's default asks `crypto.randomBytes(1)` for each of the 16 random
 * characters, which cost 60–140 µs per id on the bench machine and was ≈ 12 % of a bulk
 * page's CPU profile (docs/architecture.md, "Import speed").
 * @param prefix the model's id prefix, e.g. "order", "ordli", "pay_col" (as in its DML)
 * @returns e.g. "order_01JF3Q8Z5X4M2N7P9R6T0V1W2Y"
 */
export function newEntityId(prefix: string): string {
  return `${prefix}_${pooledUlid()}`
}
