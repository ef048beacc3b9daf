#!/usr/bin/env node
/**
 * `npm run bench`: how fast the plugin imports, side by side with Medusa's core.
 *
 *   npm run bench                      default sizes (≈ 5 minutes on an idle 2-core machine):
 *                                      200 orders core vs plugin, 2,500-order backlog (memory),
 *                                      re-fetch of those 2,500 (25 pages), 100 pushes
 *   npm run bench -- --orders 500      N orders for the core-vs-plugin comparison
 *   npm run bench -- --backlog 10000   the issue's 10,000-order memory figure (≈ +5 minutes)
 *   npm run bench -- --refetch 2500 --push 100 --per-order 3
 *   npm run bench -- --profile 10      also time both import paths step by step
 *   npm run bench -- --growth 100,1000,10000   time per order and sampled peak RSS per backlog size,
 *                                      then the no-change re-fetch of the largest one; PASS/FAIL
 *                                      (a backlog under 1,000: the median of 5 imports)
 *   npm run bench -- --growth 100,1000,10000 --plot   also writes bench-results/growth.svg
 *   npm run bench -- --only shops      ten shops due in one tick, one behind a slow LINE Gift
 *                                      (in the default run; --shops N for another count)
 *   (the speed row also times the floor: orderModule.createOrders alone, same prepared orders,
 *   pages of 100, and prints plugin ÷ core and plugin ÷ floor; the three run in turn, in
 *   rounds of 100 orders, each round after an ANALYZE)
 *   NODE_OPTIONS=--max-old-space-size=1536 npm run bench -- --only growth   the growth rows under
 *                                      the heap limit docs/production.md recommends (the peaks
 *                                      follow V8's heap limit)
 *   npm run bench -- --only speed      only some rows (speed,memory,refetch,push,profile,growth,shops)
 *   npm run bench -- --keep-db         keep the bench database (name printed) for inspection
 *   npm run bench -- --db NAME         reuse a kept database (no migrations; for development)
 *
 * What it does: PostgreSQL (DATABASE_URL / DB_HOST, else a throw-away embedded one), a FRESH
 * database, `medusa db:migrate`, then `medusa exec scripts/bench/run.ts` — the whole Medusa
 * app with this plugin, in one process, against a sandbox (local LINE Gift) on loopback.
 * The exec script writes its measurements as JSON; this script prints ONE table and keeps
 * the JSON in bench-results/latest.json (gitignored; `node scripts/bench/plot.js` redraws it).
 *
 * Numbers are measurements, never assertions: nothing here fails on a slow machine.
 * Plain CommonJS: it runs before anything is compiled.
 */
"use strict"

const crypto = require("crypto")
const fs = require("fs")
const os = require("os")
const path = require("path")
const {
  ensurePostgres,
  createDatabase,
  databaseUrl,
  describePostgres,
  dbEnv,
  runChild,
  REPO_ROOT,
} = require("./lib/postgres")
const { parseArgs, printTable } = require("./bench/format")
const { plotGrowth } = require("./bench/plot")

/** Where the bench writes its JSON results and chart (gitignored). */
const RESULTS_DIR = path.join(REPO_ROOT, "bench-results")

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (opts.help) {
    const doc = fs.readFileSync(__filename, "utf8").split("\n")
    console.log(
      doc
        .slice(
          2,
          doc.findIndex((l) => l.startsWith(" * What it does"))
        )
        .map((l) => l.replace(/^ \* ?/, ""))
        .join("\n")
    )
    return 0
  }

  const pg = await ensurePostgres({ persistent: false })
  const dbName = opts.db || `line_gift_bench_${Date.now().toString(36)}`
  if (opts.db) opts.keepDb = true
  const out = path.join(os.tmpdir(), `${dbName}.json`)
  console.error(`${describePostgres(pg)}, database ${dbName}`)
  let dropped = false
  const dropDb = async () => {
    if (opts.keepDb || dropped) return
    dropped = true
    await dropDatabase(pg.env, dbName).catch(() => {})
  }
  try {
    await createDatabase(pg.env, dbName)
    // The plugin reads the LINE Gift base URL at boot: the sandbox's port is chosen here.
    const sandboxPort = await freePort()
    const env = {
      ...process.env,
      ...dbEnv(pg),
      DB_NAME: dbName,
      DATABASE_URL: databaseUrl(pg.env, dbName),
      // A throw-away key for a throw-away database; a kept one (--keep-db) is reused with --db
      // later and needs the same key again: derived from its name.
      LINE_GIFT_ENCRYPTION_KEY:
        process.env.LINE_GIFT_ENCRYPTION_KEY ||
        (opts.keepDb
          ? crypto
              .createHash("sha256")
              .update(`bench:${dbName}`)
              .digest("base64")
          : crypto.randomBytes(32).toString("base64")),
      LINE_GIFT_PAGE_DELAY_MS: "0",
      LINE_GIFT_SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
      BENCH_SANDBOX_PORT: String(sandboxPort),
      MEDUSA_ADMIN_DISABLE: "true",
      MEDUSA_DISABLE_TELEMETRY: "true",
      LOG_LEVEL: process.env.LOG_LEVEL || "error",
      BENCH_OPTIONS: JSON.stringify(opts),
      // The memory row measures RSS after a full GC.
      NODE_OPTIONS: [process.env.NODE_OPTIONS, "--expose-gc"]
        .filter(Boolean)
        .join(" "),
      BENCH_OUT: out,
    }
    const medusa = path.join(REPO_ROOT, "node_modules", ".bin", "medusa")
    const t0 = Date.now()
    console.error("▶ migrations (medusa db:migrate)")
    if (
      !opts.db &&
      (await runChild(medusa, ["db:migrate", "--skip-scripts"], env, {
        cwd: REPO_ROOT,
      })) !== 0
    ) {
      throw new Error(
        "medusa db:migrate failed (rerun with LOG_LEVEL=info to see why)"
      )
    }
    console.error(`  ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    console.error("▶ bench (medusa exec scripts/bench/run.ts)")
    const code = await runChild(
      medusa,
      ["exec", "./scripts/bench/run.ts"],
      env,
      { cwd: REPO_ROOT }
    )
    if (!fs.existsSync(out)) {
      throw new Error(`the bench script ended (exit ${code}) without results`)
    }
    const results = JSON.parse(fs.readFileSync(out, "utf8"))
    fs.rmSync(out, { force: true })
    // Kept for the chart and for later reading (bench-results/ is gitignored).
    fs.mkdirSync(RESULTS_DIR, { recursive: true })
    const saved = path.join(RESULTS_DIR, "latest.json")
    fs.writeFileSync(saved, JSON.stringify({ options: opts, results }, null, 2))
    printTable(results, opts)
    console.log(`(results: ${path.relative(process.cwd(), saved)})`)
    if (opts.plot) {
      if (results.growth) {
        const chart = await plotGrowth(
          results,
          path.join(RESULTS_DIR, "growth.svg")
        )
        console.log(`(growth chart: ${path.relative(process.cwd(), chart)})`)
      } else {
        console.log("(no chart: --plot draws the growth rows; add --growth)")
      }
    }
    if (opts.keepDb) console.log(`(database kept: ${dbName})`)
    return results.error ? 1 : 0
  } finally {
    await dropDb()
    await pg.stop()
  }
}

/** A free TCP port on loopback. */
function freePort() {
  const net = require("net")
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Drops the bench database (terminating leftover connections first). */
async function dropDatabase(env, name) {
  let pgLib
  try {
    pgLib = require("pg")
  } catch {
    pgLib = require("@medusajs/framework/pg")
  }
  const client = new pgLib.Client({
    host: env.DB_HOST,
    port: parseInt(env.DB_PORT || "5432", 10),
    user: env.DB_USERNAME || "postgres",
    password: env.DB_PASSWORD || undefined,
    database: "postgres",
  })
  await client.connect()
  try {
    await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [name]
    )
    await client.query(
      `DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`
    )
  } finally {
    await client.end().catch(() => {})
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.message ? err.message : err)
    process.exit(1)
  }
)
