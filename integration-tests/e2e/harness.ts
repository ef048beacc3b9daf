/**
 * The browser test's stack, started from scratch: its own database (on the PostgreSQL that
 * `npm test` provides), migrations, the demo store and admin user, the sandbox (a local LINE
 * Gift) in this process, Medusa with the admin on a free port, and Chromium driven by
 * playwright-core: the system's (/usr/bin/chromium) when there is one, otherwise the headless
 * shell shipped in the npm package @sparticuz/chromium (scripts/lib/browser.js).
 *
 * The admin is served by Medusa's development middleware (Vite, NODE_ENV=development): no
 * build step, and the plugin's admin code is compiled on the first page load. MEDUSA_BACKEND_URL
 * points at the chosen port, so LINE Gift's OAuth sends the browser back to this server.
 */
import { spawn, type ChildProcess } from "child_process"
import fs from "fs"
import net from "net"
import os from "os"
import path from "path"
import type { BrowserContext } from "playwright-core"
import { createSandbox, type Sandbox } from "../../sandbox"

// Plain CommonJS helpers shared with npm test and the demo.

const pgScripts = require("../../scripts/lib/postgres")

const browserScripts = require("../../scripts/lib/browser")

export const REPO_ROOT = path.resolve(__dirname, "..", "..")
export const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts")
/** Chromium flags for machines without outside network (scripts/lib/browser.js). */
export const CHROMIUM_ARGS: string[] = browserScripts.CHROMIUM_ARGS

export type Stack = {
  baseUrl: string
  sandbox: Sandbox
  seeded: {
    region_id: string
    sales_channel_id: string
    shipping_option_id: string
    admin_email: string
  }
  adminPassword: string
  /** A persistent context on a fresh profile directory (Playwright's way to pass --user-data-dir). */
  context: BrowserContext
  /** The last lines Medusa printed (for failure messages). */
  serverLog: () => string
  stop: () => Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

async function withPg<T>(
  env: Record<string, string>,
  fn: (client: any) => Promise<T>
): Promise<T> {
  let pg: any
  try {
    pg = require("pg")
  } catch {
    pg = require("@medusajs/framework/pg")
  }
  const client = new pg.Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT || 5432),
    user: env.DB_USERNAME || "postgres",
    password: env.DB_PASSWORD || undefined,
    database: "postgres",
  })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

async function dropDatabase(env: Record<string, string>, name: string) {
  await withPg(env, (c) =>
    c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)
  )
}

/** Runs `medusa <args>`; rejects with its output when it fails. */
function medusaCli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(REPO_ROOT, "node_modules", ".bin", "medusa"),
      args,
      {
        cwd: REPO_ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      }
    )
    let out = ""
    child.stdout!.on("data", (d) => (out = (out + d).slice(-6000)))
    child.stderr!.on("data", (d) => (out = (out + d).slice(-6000)))
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`medusa ${args.join(" ")} exited ${code}:\n${out}`))
    )
  })
}

async function waitFor(
  url: string,
  server: ChildProcess,
  log: () => string,
  timeoutMs: number
) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`Medusa exited (${server.exitCode}):\n${log()}`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
      if (res.status < 500) return
    } catch {
      // not up yet
    }
    await sleep(500)
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs / 1000}s:\n${log()}`
  )
}

/**
 * Why the browser test cannot run here, or null. Kept for the suites' beforeAll: with
 * @sparticuz/chromium installed (a devDependency) a browser is always found.
 */
export function missingChromium(): string | null {
  if (process.env.E2E_CHROMIUM || fs.existsSync(browserScripts.SYSTEM_CHROMIUM))
    return null
  return browserScripts.resolvePackageDir("@sparticuz/chromium")
    ? null
    : `No Chromium: ${browserScripts.SYSTEM_CHROMIUM} is missing and @sparticuz/chromium is not installed (run npm ci).`
}

/** Starts everything; `stop()` undoes it all (also on failure half-way). */
export async function startStack(): Promise<Stack> {
  const cleanups: Array<() => Promise<void> | void> = []
  const stop = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c()
      } catch {
        // best effort
      }
    }
  }
  try {
    const pg = await pgScripts.ensurePostgres({ persistent: false })
    cleanups.push(() => pg.stop())
    const db = pgScripts.dbEnv(pg) as Record<string, string>
    const dbName = `medusa_line_gift_e2e_${process.pid}`
    await dropDatabase(db, dbName)
    await pgScripts.createDatabase(db, dbName)
    cleanups.push(() => dropDatabase(db, dbName))

    const sandbox = createSandbox({ orderCount: 20 })
    await sandbox.listen(0, "127.0.0.1")
    cleanups.push(() => sandbox.close())

    const port = await freePort()
    const baseUrl = `http://localhost:${port}`
    const seedOut = path.join(
      os.tmpdir(),
      `line-gift-e2e-seed-${process.pid}.json`
    )
    cleanups.push(() => fs.rmSync(seedOut, { force: true }))
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...db,
      DB_NAME: dbName,
      DATABASE_URL: pgScripts.databaseUrl(db, dbName),
      LINE_GIFT_SANDBOX_URL: sandbox.url,
      MEDUSA_BACKEND_URL: baseUrl,
      PORT: String(port),
      ADMIN_CORS: baseUrl,
      AUTH_CORS: baseUrl,
      STORE_CORS: baseUrl,
      MEDUSA_DISABLE_TELEMETRY: "true",
      MEDUSA_ADMIN_DISABLE: "false",
      MEDUSA_WORKER_MODE: "shared",
      LOG_LEVEL: process.env.E2E_LOG_LEVEL || "error",
      E2E_SEED_OUT: seedOut,
      // Jest's own settings must not leak into the server.
      NODE_OPTIONS: "",
      JEST_WORKER_ID: "",
    }
    delete env.MEDUSA_REDIS_URL
    delete env.JEST_WORKER_ID

    await medusaCli(["db:migrate", "--skip-scripts"], env)
    await medusaCli(["exec", "./integration-tests/e2e/seed.ts"], env)
    const seeded = JSON.parse(fs.readFileSync(seedOut, "utf8"))

    // NODE_ENV=development: the admin is served by Vite's middleware (see file header).
    const server = spawn(
      path.join(REPO_ROOT, "node_modules", ".bin", "medusa"),
      ["start"],
      {
        cwd: REPO_ROOT,
        env: { ...env, NODE_ENV: "development" },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      }
    )
    let log = ""
    const keep = (d: Buffer) => (log = (log + d).slice(-8000))
    server.stdout!.on("data", keep)
    server.stderr!.on("data", keep)
    cleanups.push(async () => {
      if (server.exitCode !== null) return
      try {
        process.kill(-server.pid!, "SIGTERM")
      } catch {
        server.kill("SIGTERM")
      }
      const exited = new Promise((r) => server.once("exit", r))
      await Promise.race([exited, sleep(10_000)])
      if (server.exitCode === null) {
        try {
          process.kill(-server.pid!, "SIGKILL")
        } catch {
          // gone
        }
      }
    })
    await waitFor(`${baseUrl}/health`, server, () => log, 180_000)
    // The first admin request makes Vite compile the dashboard; do it before the browser.
    await waitFor(`${baseUrl}/app/login`, server, () => log, 180_000)

    const { chromium } = await import("playwright-core")
    const userDataDir = fs.mkdtempSync(
      path.join(os.tmpdir(), "line-gift-e2e-chromium-")
    )
    cleanups.push(() =>
      fs.rmSync(userDataDir, { recursive: true, force: true })
    )
    const browser = await browserScripts.findChromium()
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browser.executablePath,
      env: browser.env,
      headless: true,
      args: browser.args,
      viewport: { width: 1440, height: 1000 },
      locale: "en-US",
      timezoneId: "Asia/Tokyo",
    })
    cleanups.push(() => context.close())

    return {
      baseUrl,
      sandbox,
      seeded,
      adminPassword: "supersecret",
      context,
      serverLog: () => log,
      stop,
    }
  } catch (e) {
    await stop()
    throw e
  }
}
