#!/usr/bin/env node
/**
 * `npm run dev` — the plugin in a running Medusa with its admin, on the demo's data:
 * the same database (embedded PostgreSQL in .demo/pg unless DATABASE_URL / DB_HOST is set),
 * the same encryption key, migrations applied, the sandbox on :7755 (a local LINE Gift), and
 * `medusa develop` on :9000 (admin at http://localhost:9000/app). Ctrl-C stops everything.
 *
 * Run `npm run demo` first for a seeded store and an admin user (admin@example.com / supersecret).
 */
"use strict"

const path = require("path")
const { spawn } = require("child_process")
const {
  prepareDemoEnvironment,
  medusa,
  startSandbox,
  MEDUSA_PORT,
  REPO_ROOT,
} = require("./lib/demo-env")

async function main() {
  const db = await prepareDemoEnvironment()
  console.log(db.description)
  if (
    (await medusa(["db:migrate", "--skip-scripts"], {
      ...db.env,
      LOG_LEVEL: "error",
    })) !== 0
  ) {
    throw new Error("medusa db:migrate failed")
  }
  const sandbox = await startSandbox()
  console.log(
    `LINE Gift sandbox: ${sandbox.url} (client_id sandbox-client-id / client_secret sandbox-client-secret)`
  )
  console.log(`Medusa admin:      http://localhost:${MEDUSA_PORT}/app`)

  const server = spawn(
    path.join(REPO_ROOT, "node_modules", ".bin", "medusa"),
    ["develop"],
    {
      cwd: REPO_ROOT,
      env: db.env,
      stdio: "inherit",
      detached: true,
    }
  )
  const stop = async (code) => {
    try {
      process.kill(-server.pid, "SIGTERM")
    } catch {
      // already gone
    }
    await sandbox.close().catch(() => {})
    await db.stop().catch(() => {})
    process.exit(code)
  }
  process.on("SIGINT", () => stop(130))
  process.on("SIGTERM", () => stop(143))
  server.on("exit", (code) => stop(code ?? 0))
}

main().catch((err) => {
  console.error(`dev failed: ${err.message}`)
  process.exit(1)
})
