/**
 * The repo's dev/test host config (../../medusa-config.js) with the production multi-instance
 * modules on Redis: event bus, workflow engine (scheduled jobs run once per cluster) and the
 * locking provider (per-shop import lock across processes). What docs/production.md tells a
 * store to configure, applied to this repo's host for the two-worker test.
 *
 * Loaded in place of ../../medusa-config.js by ./worker.js. Needs MEDUSA_REDIS_URL.
 */
const path = require("path")

const redisUrl = process.env.MEDUSA_REDIS_URL
if (!redisUrl) {
  throw new Error("MEDUSA_REDIS_URL is required (e.g. redis://127.0.0.1:6379)")
}

// defineConfig's output: `modules` is an object keyed by module key.
const base = require(path.resolve(__dirname, "../../medusa-config.js"))

module.exports = {
  ...base,
  projectConfig: { ...base.projectConfig, redisUrl },
  modules: {
    ...base.modules,
    event_bus: {
      resolve: "@medusajs/medusa/event-bus-redis",
      options: { redisUrl },
    },
    workflows: {
      resolve: "@medusajs/medusa/workflow-engine-redis",
      options: { redis: { redisUrl } },
    },
    locking: {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [
          {
            resolve: "@medusajs/medusa/locking-redis",
            id: "locking-redis",
            is_default: true,
            options: { redisUrl },
          },
        ],
      },
    },
    cache: { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
  },
}
