/**
 * Reading one page ahead: while the caller works on a page, the next one is already being
 * fetched (an import run's LINE Gift calls overlap its database work instead of adding to it).
 */

/**
 * Yields what `source` yields, in order, asking `source` for the next value as soon as the
 * current one is handed out. A failure of that early request surfaces where it would have
 * without reading ahead: when the caller asks for that value (never as an unhandled
 * rejection). When the caller stops early (break, throw), the request already made completes
 * in the background and its value or error is dropped; `source` is then closed.
 * @param source an async iterator (e.g. an async generator of pages)
 */
export async function* readAhead<T>(
  source: AsyncIterator<T>
): AsyncGenerator<T, void, undefined> {
  let pending = source.next()
  // Marked handled now; awaited (and so rethrown) below when its turn comes.
  pending.catch(() => undefined)
  let finished = false
  try {
    for (;;) {
      const current = await pending
      if (current.done) {
        finished = true
        return
      }
      pending = source.next()
      pending.catch(() => undefined)
      yield current.value
    }
  } finally {
    if (!finished) {
      // Stopped early: let the request in flight settle, then close the source.
      await pending.then(
        () => undefined,
        () => undefined
      )
      await source.return?.()
    }
  }
}
