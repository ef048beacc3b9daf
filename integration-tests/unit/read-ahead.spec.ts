/**
 * readAhead (src/lib/read-ahead.ts): the import run reads the next LINE Gift page while it
 * imports the current one. No database.
 */
import { readAhead } from "../../src/lib/read-ahead"

/** A source of pages that logs when each is asked for and when it is closed. */
function source(pages: Array<number | Error>, log: string[]) {
  let i = 0
  const it: AsyncIterator<number> = {
    next: async () => {
      const n = i++
      log.push(`ask ${n}`)
      await new Promise((r) => setTimeout(r, 5))
      if (n >= pages.length) return { done: true, value: undefined }
      const page = pages[n]
      if (page instanceof Error) throw page
      return { done: false, value: page }
    },
    return: async () => {
      log.push("closed")
      return { done: true, value: undefined }
    },
  }
  return it
}

describe("readAhead", () => {
  it("yields every page in order and asks for the next one before the current one is worked on", async () => {
    const log: string[] = []
    const seen: number[] = []
    for await (const page of readAhead(source([10, 20, 30], log))) {
      log.push(`work ${page}`)
      seen.push(page)
    }
    expect(seen).toEqual([10, 20, 30])
    // Page 1 is requested before page 0 is worked on, and so on; nothing asked twice.
    expect(log).toEqual([
      "ask 0",
      "ask 1",
      "work 10",
      "ask 2",
      "work 20",
      "ask 3",
      "work 30",
    ])
  })

  it("a failed read surfaces when its page's turn comes, after the pages before it, never as an unhandled rejection", async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on("unhandledRejection", onUnhandled)
    try {
      const log: string[] = []
      const seen: number[] = []
      const boom = new Error("page 2 failed")
      await expect(
        (async () => {
          for await (const page of readAhead(source([1, 2, boom, 4], log))) {
            // Slow work: the failing read settles long before its turn.
            await new Promise((r) => setTimeout(r, 20))
            seen.push(page)
          }
        })()
      ).rejects.toBe(boom)
      expect(seen).toEqual([1, 2])
      await new Promise((r) => setTimeout(r, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off("unhandledRejection", onUnhandled)
    }
  })

  it("a caller that stops early (an import error) closes the source once the read in flight settles", async () => {
    const log: string[] = []
    const stop = new Error("import failed")
    await expect(
      (async () => {
        for await (const page of readAhead(source([1, 2, 3], log))) {
          if (page === 1) throw stop
        }
      })()
    ).rejects.toBe(stop)
    expect(log).toEqual(["ask 0", "ask 1", "closed"])
  })
})
