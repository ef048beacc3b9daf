/**
 * The development / test host. This repository is a Medusa plugin; this file makes the repo
 * root a Medusa application whose project is the plugin's own `src/` (modules, api, jobs,
 * subscribers, links, admin), so `npm run dev`, the demo and the HTTP tests run the plugin
 * exactly as an installed one would run.
 *
 * A real store does not use this file: it adds the plugin to its own medusa-config
 * (see README "Add it to your Medusa app").
 */
const { loadEnv, defineConfig } = require("@medusajs/framework/utils")

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const sandboxUrl = process.env.LINE_GIFT_SANDBOX_URL
const backendUrl = process.env.MEDUSA_BACKEND_URL || "http://localhost:9000"

/** Plugin options; the same object a store passes in `plugins: [{ resolve, options }]`. */
const lineGiftOptions = {
  // 32 bytes, base64 or hex. Required before any client_secret or token can be stored.
  encryptionKey: process.env.LINE_GIFT_ENCRYPTION_KEY,
  // Both LINE Gift hosts; the sandbox serves both on one URL.
  ...(sandboxUrl ? { baseUrl: sandboxUrl } : {}),
  // Where LINE Gift's OAuth sends the browser back to (this server), and where the callback
  // then sends the merchant (the admin).
  backendUrl,
  adminUrl: process.env.LINE_GIFT_ADMIN_URL || `${backendUrl}/app`,
  // Test/bench knobs: pause between order pages, per-attempt timeout (ms).
  http: {
    ...(process.env.LINE_GIFT_PAGE_DELAY_MS
      ? { pageDelayMs: Number(process.env.LINE_GIFT_PAGE_DELAY_MS) }
      : {}),
    ...(process.env.LINE_GIFT_HTTP_TIMEOUT_MS
      ? { timeoutMs: Number(process.env.LINE_GIFT_HTTP_TIMEOUT_MS) }
      : {}),
  },
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.MEDUSA_REDIS_URL,
    workerMode: process.env.MEDUSA_WORKER_MODE || "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors:
        process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors:
        process.env.AUTH_CORS || "http://localhost:9000,http://localhost:5173",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLE === "true",
    backendUrl,
  },
  modules: [
    {
      resolve: "./src/modules/line-gift",
      options: lineGiftOptions,
    },
  ],
})
