/**
 * Page data carried through the workflow engine as ONE JSON string.
 *
 * Medusa's workflow engine resolves every step and transform input by walking it and
 * deep-copying it (`resolveValue` → `parseStringifyIfNecessary`), and every property read on a
 * step's output (`prepared.payments`) is a transform that resolves — walks and copies — the
 * whole output first. A page of 100 orders (payloads, parsed orders, prepared order inputs with
 * their lines and tax lines) is hundreds of kilobytes of objects: carried as objects it was
 * walked and copied about a dozen times per page (measured: 10 % of a page's time). A string is
 * a leaf the engine hands on as is; the one step that needs the data parses it once.
 */

/** A value of type T, serialised as JSON (Dates become ISO strings, as the engine does). */
export type Packed<T> = string & { readonly __packed?: T }

/** Serialises `value` for the engine (see file comment). */
export function pack<T>(value: T): Packed<T> {
  return JSON.stringify(value) as Packed<T>
}

/** The value `pack` serialised. @throws SyntaxError on a string pack did not make */
export function unpack<T>(packed: Packed<T>): T {
  return JSON.parse(packed) as T
}
