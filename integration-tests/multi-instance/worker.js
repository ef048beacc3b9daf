#!/usr/bin/env node
/**
 * Starts one Medusa process of this repo's host with the Redis modules of
 * ./medusa-config.redis.js (instead of ../../medusa-config.js), e.g.
 *
 *   MEDUSA_WORKER_MODE=worker MEDUSA_REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=… \
 *     node integration-tests/multi-instance/worker.js start --port 9101
 *
 * Arguments go to the medusa CLI. Used by two-workers.spec.ts; not published.
 */
"use strict"
const path = require("path")
const Module = require("module")

const root = path.resolve(__dirname, "../..")
const rootConfig = path.join(root, "medusa-config.js")
const redisConfig = path.join(__dirname, "medusa-config.redis.js")

// The CLI loads `<cwd>/medusa-config`; hand it the Redis variant (which itself reads the root one).
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, parent, ...rest) {
  const resolved = resolve.call(this, request, parent, ...rest)
  return resolved === rootConfig && parent?.filename !== redisConfig
    ? redisConfig
    : resolved
}

process.chdir(root)
process.argv = [
  process.argv[0],
  path.join(root, "node_modules/@medusajs/cli/cli.js"),
  ...process.argv.slice(2),
]
require(path.join(root, "node_modules/@medusajs/cli/cli.js"))
