#!/usr/bin/env node
/**
 * `npm run test:stock-app`: the plugin as a merchant installs it. Builds a minimal stock Medusa
 * 2.21.2 app from the npm registry (its package.json, medusa-config.ts and tsconfig.json are
 * written here, versions pinned; no starter from this repository, no network beyond the
 * registry), installs the packed plugin tarball (`npm run build` + `npm pack`), runs
 * `medusa db:migrate`, creates an admin with `medusa user`, seeds a Japanese store, starts the
 * LINE Gift sandbox and Medusa, and checks in a real browser (scripts/lib/browser.js) that
 * Settings → LINE Gift renders (setup check all set), the OAuth flow returns to the shop page,
 * an import through the sandbox creates orders, and the orders list and order page show the
 * plugin's widgets and the customer named after the shop.
 *
 * PostgreSQL as for `npm test`: DATABASE_URL or DB_* when set, else an embedded one.
 * The app lives in STOCK_APP_DIR (default: a temp dir, removed afterwards unless
 * STOCK_APP_KEEP=1). Screenshots: test-artifacts/stock-app-*.png. Exit 0 when every check passed.
 */
"use strict"

const crypto = require("crypto")
const fs = require("fs")
const net = require("net")
const os = require("os")
const path = require("path")
const { spawn, spawnSync } = require("child_process")

const pgScripts = require("./lib/postgres")
const { findChromium } = require("./lib/browser")

const REPO_ROOT = path.resolve(__dirname, "..")
const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts")
const MEDUSA_VERSION = "2.21.2"
const SHOP_NAME = "LINEギフト 1号店"
const ADMIN = { email: "admin@example.com", password: "supersecret" }

/** The stock app's dependencies: what create-medusa-app's starter declares, pinned. */
const APP_PACKAGE = {
  name: "line-gift-stock-app",
  version: "0.0.0",
  private: true,
  scripts: {
    build: "medusa build",
    start: "medusa start",
    dev: "medusa develop",
  },
  dependencies: {
    "@medusajs/admin-sdk": MEDUSA_VERSION,
    "@medusajs/cli": MEDUSA_VERSION,
    "@medusajs/framework": MEDUSA_VERSION,
    "@medusajs/medusa": MEDUSA_VERSION,
  },
  devDependencies: {
    "@swc/core": "1.15.3",
    "@types/node": "20.19.43",
    "@types/react": "18.3.32",
    "@types/react-dom": "18.3.7",
    react: "18.3.1",
    "react-dom": "18.3.1",
    "ts-node": "10.9.2",
    typescript: "5.9.3",
  },
  engines: { node: ">=20" },
}

const MEDUSA_CONFIG = `import { loadEnv, defineConfig } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { backendUrl: process.env.MEDUSA_BACKEND_URL },
  plugins: [
    {
      resolve: "medusa-line-gift",
      options: {
        encryptionKey: process.env.LINE_GIFT_ENCRYPTION_KEY,
        backendUrl: process.env.MEDUSA_BACKEND_URL,
        baseUrl: process.env.LINE_GIFT_SANDBOX_URL,
      },
    },
  ],
})
`

const TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    esModuleInterop: true,
    module: "Node16",
    moduleResolution: "Node16",
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    outDir: "./.medusa/server",
    rootDir: "./",
    jsx: "react-jsx",
    forceConsistentCasingInFileNames: true,
    resolveJsonModule: true,
    checkJs: false,
    strictNullChecks: true,
  },
  "ts-node": { swc: true },
  include: ["**/*", ".medusa/types/*"],
  exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
}

const started = Date.now()
const log = (msg) =>
  console.log(
    `[stock-app +${Math.round((Date.now() - started) / 1000)}s] ${msg}`
  )
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const checks = []

/** One check: prints it; throws (ends the run) when it fails. */
async function check(name, fn) {
  try {
    await fn()
    checks.push(name)
    log(`ok   ${name}`)
  } catch (e) {
    log(`FAIL ${name}`)
    throw e
  }
}

/** Runs a command to completion; rejects with its last output when it fails. */
function run(cmd, args, { cwd, env = process.env, quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    const keep = (d) => {
      out = (out + d).slice(-8000)
      if (!quiet) process.stdout.write(d)
    }
    child.stdout.on("data", keep)
    child.stderr.on("data", keep)
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${out}`))
    )
  })
}

/** Starts a long-running process in its own process group; `stop()` ends the group. */
function startBackground(cmd, args, { cwd, env }) {
  const child = spawn(cmd, args, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  })
  let out = ""
  const keep = (d) => (out = (out + d).slice(-8000))
  child.stdout.on("data", keep)
  child.stderr.on("data", keep)
  const stop = async () => {
    if (child.exitCode !== null) return
    try {
      process.kill(-child.pid, "SIGTERM")
    } catch {
      child.kill("SIGTERM")
    }
    await Promise.race([
      new Promise((r) => child.once("exit", r)),
      sleep(10_000),
    ])
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL")
      } catch {
        // gone
      }
    }
  }
  return { child, log: () => out, stop }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitFor(url, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(
        `exited (${proc.child.exitCode}) before ${url} answered:\n${proc.log()}`
      )
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
      if (res.status < 500) return
    } catch {
      // not up yet
    }
    await sleep(500)
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs / 1000}s:\n${proc.log()}`
  )
}

/** Stage 1: `npm run build` and `npm pack` → the tarball a merchant would install. */
async function packPlugin(dir) {
  log("building the plugin (medusa plugin:build)")
  await run("npm", ["run", "build"], { cwd: REPO_ROOT })
  const packing = spawnSync(
    "npm",
    ["pack", "--json", "--pack-destination", dir],
    { cwd: REPO_ROOT, encoding: "utf8" }
  )
  if (packing.status !== 0)
    throw new Error(`npm pack exited ${packing.status}:\n${packing.stderr}`)
  const [packed] = JSON.parse(packing.stdout)
  const tarball = path.join(dir, packed.filename)
  log(`packed ${packed.filename} (${packed.entryCount} files)`)
  return tarball
}

/** Stage 2: the stock app's files, the store seed (copied, so it runs on the app's Medusa), install. */
async function writeAndInstallApp(appDir, tarball) {
  fs.mkdirSync(path.join(appDir, "src"), { recursive: true })
  const pkg = {
    ...APP_PACKAGE,
    dependencies: {
      ...APP_PACKAGE.dependencies,
      "medusa-line-gift": `file:${tarball}`,
    },
  }
  fs.writeFileSync(
    path.join(appDir, "package.json"),
    JSON.stringify(pkg, null, 2) + "\n"
  )
  fs.writeFileSync(path.join(appDir, "medusa-config.ts"), MEDUSA_CONFIG)
  fs.writeFileSync(
    path.join(appDir, "tsconfig.json"),
    JSON.stringify(TSCONFIG, null, 2) + "\n"
  )
  // The demo's store seed: scripts/lib/seed-store.ts imports ../../sandbox/catalogue.
  fs.mkdirSync(path.join(appDir, "seed", "lib"), { recursive: true })
  fs.mkdirSync(path.join(appDir, "sandbox"), { recursive: true })
  fs.copyFileSync(
    path.join(REPO_ROOT, "scripts", "lib", "seed-store.ts"),
    path.join(appDir, "seed", "lib", "seed-store.ts")
  )
  fs.copyFileSync(
    path.join(REPO_ROOT, "sandbox", "catalogue.ts"),
    path.join(appDir, "sandbox", "catalogue.ts")
  )
  fs.writeFileSync(
    path.join(appDir, "seed", "seed.ts"),
    `import fs from "fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { seedDemoStore } from "./lib/seed-store"

export default async function seed({ container }: ExecArgs) {
  const seeded = await seedDemoStore(container)
  fs.writeFileSync(process.env.SEED_OUT as string, JSON.stringify(seeded))
}
`
  )
  log("npm install (registry only; the first time on a machine takes minutes)")
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: appDir,
  })
  const installed = require(
    path.join(appDir, "node_modules", "@medusajs", "medusa", "package.json")
  ).version
  if (installed !== MEDUSA_VERSION)
    throw new Error(
      `installed @medusajs/medusa ${installed}, expected ${MEDUSA_VERSION}`
    )
}

/** Logs in through the admin API → a bearer token. */
async function adminToken(baseUrl) {
  const res = await fetch(`${baseUrl}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  })
  const body = await res.json()
  if (!body.token)
    throw new Error(`admin login failed: ${res.status} ${JSON.stringify(body)}`)
  return body.token
}

function adminApi(baseUrl, token) {
  return async (method, route, body) => {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const data = await res.json().catch(() => null)
    if (res.status >= 400)
      throw new Error(
        `${method} ${route} → ${res.status} ${JSON.stringify(data)}`
      )
    return data
  }
}

/** Stage 4: the checks in the browser (and the admin API where a form is not the point). */
async function browserChecks({ baseUrl, seeded, sandboxUrl }) {
  const { chromium } = require(
    require.resolve("playwright-core", { paths: [REPO_ROOT] })
  )
  const browserInfo = await findChromium()
  log(`browser: ${browserInfo.source} (${browserInfo.executablePath})`)
  const browser = await chromium.launch({
    executablePath: browserInfo.executablePath,
    env: browserInfo.env,
    args: browserInfo.args,
    headless: true,
  })
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: "en-US",
    timezoneId: "Asia/Tokyo",
  })
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  const shot = (name) =>
    page
      .screenshot({
        path: path.join(ARTIFACTS, `stock-app-${name}.png`),
        fullPage: true,
      })
      .catch(() => {})
  const api = adminApi(baseUrl, await adminToken(baseUrl))
  let shopId
  let orderIds = []
  try {
    await check("admin login page loads and the admin logs in", async () => {
      await page.goto(`${baseUrl}/app/login`, {
        waitUntil: "commit",
        timeout: 300_000,
      })
      await page.locator('input[name="email"]').waitFor({ timeout: 300_000 })
      await page.locator('input[name="email"]').fill(ADMIN.email)
      await page.locator('input[name="password"]').fill(ADMIN.password)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL(/\/app\/orders/, { timeout: 120_000 })
    })

    await check(
      "Settings → LINE Gift renders, with the first-import check all set",
      async () => {
        await page.goto(`${baseUrl}/app/settings/line-gift`, {
          waitUntil: "domcontentloaded",
        })
        await page.getByTestId("add-shop").waitFor()
        await page
          .locator('[data-testid="line-gift-setup-check"][data-ready="true"]')
          .waitFor()
        await shot("settings")
      }
    )

    await check(
      "a shop is created and connected through LINE Gift's OAuth consent page",
      async () => {
        const { shop } = await api("POST", "/admin/line-gift/shops", {
          name: SHOP_NAME,
          api_enabled: true,
          client_id: "sandbox-client-id",
          client_secret: "sandbox-client-secret",
          region_id: seeded.region_id,
          sales_channel_id: seeded.sales_channel_id,
          shipping_option_id: seeded.shipping_option_id,
        })
        shopId = shop.id
        await page.goto(`${baseUrl}/app/settings/line-gift/${shopId}`, {
          waitUntil: "domcontentloaded",
        })
        await page.getByTestId("get-refresh-token").click()
        await page
          .waitForURL((u) => u.href.startsWith(`${sandboxUrl}/`), {
            timeout: 60_000,
          })
          .catch(() => {})
        // The sandbox runs with --auto-approve: the consent page sends the browser straight back.
        await page.waitForURL(
          new RegExp(`/app/settings/line-gift/${shopId}$`),
          { timeout: 60_000 }
        )
        const { shop: after } = await api(
          "GET",
          `/admin/line-gift/shops/${shopId}`
        )
        if (!after.refresh_token_set)
          throw new Error(
            `no refresh token after OAuth: ${JSON.stringify(after)}`
          )
        await shot("shop")
      }
    )

    await check(
      "an import through the sandbox creates Medusa orders",
      async () => {
        const from = new Date(Date.now() - 7 * 86400_000).toISOString()
        const result = await api(
          "POST",
          `/admin/line-gift/shops/${shopId}/import`,
          { from, wait: true }
        )
        orderIds = (result.orders ?? [])
          .map((o) => o.order_id ?? o.id)
          .filter(Boolean)
        log(`  run ${result.run.state}: ${orderIds.length} orders created`)
        if (result.run.state !== "succeeded" || !orderIds.length)
          throw new Error(`import: ${JSON.stringify(result).slice(0, 2000)}`)
      }
    )

    await check(
      "the orders list shows the import widget and the customer named after the shop",
      async () => {
        await page.goto(`${baseUrl}/app/orders`, {
          waitUntil: "domcontentloaded",
        })
        await page.getByTestId("line-gift-orders-widget").waitFor()
        await page
          .locator("table tbody tr", { hasText: SHOP_NAME })
          .first()
          .waitFor()
        const text = await page.locator("table").first().innerText()
        if (text.includes("@example.invalid"))
          throw new Error("the orders list shows the placeholder email")
        await shot("orders")
      }
    )

    await check(
      "an imported order shows the LINE Gift order widget",
      async () => {
        await page.goto(`${baseUrl}/app/orders/${orderIds[0]}`, {
          waitUntil: "domcontentloaded",
        })
        const widget = page.getByTestId("line-gift-order-widget")
        await widget.waitFor()
        await widget.getByTestId("line-gift-order-id").waitFor()
        await widget.getByTestId("line-gift-bought-at").waitFor()
        await shot("order")
      }
    )
  } finally {
    await browser.close().catch(() => {})
  }
}

async function main() {
  const keep = process.env.STOCK_APP_KEEP === "1"
  const workDir =
    process.env.STOCK_APP_DIR ||
    fs.mkdtempSync(path.join(os.tmpdir(), "line-gift-stock-app-"))
  const appDir = path.join(workDir, "app")
  fs.mkdirSync(appDir, { recursive: true })
  const cleanups = []
  try {
    const tarball = await packPlugin(workDir)
    await writeAndInstallApp(appDir, tarball)

    const pg = await pgScripts.ensurePostgres({ persistent: false })
    cleanups.push(() => pg.stop())
    const db = pgScripts.dbEnv(pg)
    const dbName = `line_gift_stock_app_${process.pid}`
    await pgScripts.createDatabase(db, dbName)
    cleanups.push(() =>
      pgScripts.withAdminClient(db, (c) =>
        c.query(
          `DROP DATABASE IF EXISTS ${c.escapeIdentifier(dbName)} WITH (FORCE)`
        )
      )
    )

    const sandboxPort = await freePort()
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`
    const port = await freePort()
    const baseUrl = `http://localhost:${port}`
    const seedOut = path.join(workDir, "seeded.json")
    const env = {
      ...process.env,
      NODE_OPTIONS: "",
      DATABASE_URL: pgScripts.databaseUrl(db, dbName),
      MEDUSA_BACKEND_URL: baseUrl,
      PORT: String(port),
      STORE_CORS: baseUrl,
      ADMIN_CORS: baseUrl,
      AUTH_CORS: baseUrl,
      LINE_GIFT_SANDBOX_URL: sandboxUrl,
      LINE_GIFT_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
      MEDUSA_DISABLE_TELEMETRY: "true",
      LOG_LEVEL: process.env.STOCK_APP_LOG_LEVEL || "error",
      SEED_OUT: seedOut,
    }
    const medusa = path.join(appDir, "node_modules", ".bin", "medusa")

    await check(
      "medusa db:migrate runs the plugin's migrations and links",
      async () => {
        await run(medusa, ["db:migrate"], { cwd: appDir, env })
      }
    )
    log("seeding the store and the admin user")
    await run(medusa, ["exec", "./seed/seed.ts"], { cwd: appDir, env })
    await run(medusa, ["user", "-e", ADMIN.email, "-p", ADMIN.password], {
      cwd: appDir,
      env,
    })
    const seeded = JSON.parse(fs.readFileSync(seedOut, "utf8"))

    const sandbox = startBackground(
      process.execPath,
      [
        path.join(REPO_ROOT, "scripts", "sandbox.js"),
        "--port",
        String(sandboxPort),
        "--orders",
        "60",
        "--auto-approve",
        "--quiet",
      ],
      { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: "" } }
    )
    cleanups.push(() => sandbox.stop())
    await waitFor(`${sandboxUrl}/__sandbox/calls`, sandbox, 60_000)

    // NODE_ENV=development: the admin (with the plugin's extensions from the tarball) is served
    // by Vite's middleware, as `medusa develop` does, without a production admin build.
    log("starting Medusa")
    const server = startBackground(medusa, ["start"], {
      cwd: appDir,
      env: { ...env, NODE_ENV: "development" },
    })
    cleanups.push(() => server.stop())
    await waitFor(`${baseUrl}/health`, server, 240_000)
    await waitFor(`${baseUrl}/app/login`, server, 300_000)

    await browserChecks({ baseUrl, seeded, sandboxUrl })
    console.log(`\nstock-app: all ${checks.length} checks ok`)
    return 0
  } catch (e) {
    console.error(
      `\nstock-app: failed after ${checks.length} checks ok:\n${e && e.stack ? e.stack : e}`
    )
    return 1
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c()
      } catch {
        // best effort
      }
    }
    if (!keep && !process.env.STOCK_APP_DIR)
      fs.rmSync(workDir, { recursive: true, force: true })
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err)
    process.exit(1)
  }
)
