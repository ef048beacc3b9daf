/**
 * Preloaded (NODE_OPTIONS=--require) into every Node process of a demo run by
 * secrets-in-logs.spec.ts: appends everything the process writes to stdout and stderr to the
 * file named by LINE_GIFT_TEE_LOG, so the test sees every log line — the demo's and those
 * of the Medusa processes it starts (migrations, seeding, the server) — exactly as printed.
 */
"use strict"

const fs = require("fs")
const file = process.env.LINE_GIFT_TEE_LOG

if (file) {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream)
    stream.write = (chunk, encoding, callback) => {
      try {
        fs.appendFileSync(
          file,
          typeof chunk === "string" ? chunk : Buffer.from(chunk)
        )
      } catch {
        // The log file is a test aid: never break the process for it.
      }
      return write(chunk, encoding, callback)
    }
  }
}
