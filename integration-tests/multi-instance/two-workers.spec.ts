/**
 * Several instances, for real: two Medusa processes in worker mode on one database, with the
 * Redis event bus, Redis workflow engine and Redis locking (./medusa-config.redis.js, as
 * docs/production.md describes), the LINE Gift sandbox in this process. A shop is due; the
 * minute tick fires in the cluster; the fetch must run once and import each order once.
 *
 * Slow by nature (~2–3 min: migrations, two boots, waiting for the next minute's tick). Needs
 * PostgreSQL (DB_* env, as every integration suite) and Redis at MEDUSA_REDIS_URL or
 * redis://127.0.0.1:6379 (the machines and CI run one).
 */
import { spawn, type ChildProcess } from "child_process"
import path from "path"
import { Client } from "pg"
import { createSandbox } from "../../sandbox"

jest.setTimeout(420_000)

const ROOT = path.resolve(__dirname, "../..")
const MEDUSA_BIN = path.join(ROOT, "node_modules", ".bin", "medusa")
const WORKER = path.join(__dirname, "worker.js")
// A Redis database of its own (1–15), so this run's queues and locks meet no one else's.
const REDIS_BASE = (
  process.env.MEDUSA_REDIS_URL || "redis://127.0.0.1:6379"
).replace(/\/\d*$/, "")
const REDIS_URL = `${REDIS_BASE}/${1 + (process.pid % 15)}`

const pgConfig = {
  host: process.env.DB_HOST || "localhost",
  port: Number(process.env.DB_PORT || 5432),
  user: process.env.DB_USERNAME || "postgres",
  password: process.env.DB_PASSWORD || undefined,
}
const dbName = `lg_multi_${Date.now()}_${process.pid}`
const auth = pgConfig.password
  ? `${encodeURIComponent(pgConfig.user)}:${encodeURIComponent(pgConfig.password)}`
  : encodeURIComponent(pgConfig.user)
const DATABASE_URL = `postgres://${auth}@${pgConfig.host}:${pgConfig.port}/${dbName}`

const sandbox = createSandbox({ orderCount: 0 })
const workers: Array<{ child: ChildProcess; log: string[] }> = []
let db: Client

/** Environment of the Medusa child processes (no Jest flags, no admin build). */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...env } = process.env
  return {
    ...env,
    DATABASE_URL,
    LINE_GIFT_SANDBOX_URL: sandbox.url,
    LINE_GIFT_PAGE_DELAY_MS: "0",
    MEDUSA_ADMIN_DISABLE: "true",
    NODE_ENV: "development",
    ...extra,
  }
}

/** Runs a command to its end. @returns its output. @throws with the output when it fails */
function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env })
    let out = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (out += d))
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(
              `${path.basename(cmd)} ${args.join(" ")} exited ${code}:\n${out.slice(-4000)}`
            )
          )
    )
  })
}

function startWorker(port: number) {
  const log: string[] = []
  const child = spawn(
    process.execPath,
    [WORKER, "start", "--port", String(port)],
    {
      cwd: ROOT,
      env: childEnv({
        MEDUSA_WORKER_MODE: "worker",
        MEDUSA_REDIS_URL: REDIS_URL,
        PORT: String(port),
      }),
      detached: true, // own process group: afterAll ends it and its children
    }
  )
  child.stdout!.on("data", (d) => log.push(String(d)))
  child.stderr!.on("data", (d) => log.push(String(d)))
  workers.push({ child, log })
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs: number
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== null) return value
    if (Date.now() > until) {
      const logs = workers
        .map((w, i) => `--- worker ${i}:\n${w.log.join("").slice(-3000)}`)
        .join("\n")
      throw new Error(`timed out waiting for ${what}\n${logs}`)
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
}

const freePort = () => 20000 + Math.floor(Math.random() * 20000)

let shopId: string
const ordersToImport: string[] = []

beforeAll(async () => {
  await sandbox.listen(0)
  const now = Math.floor(Date.now() / 1000)
  for (let i = 0; i < 3; i++) {
    ordersToImport.push(
      sandbox.addOrder({ status: "payment", bought_on: now - 3600 * (i + 1) })
        .id
    )
  }
  sandbox.addOrder({
    status: "gift_message_send",
    address: {},
    bought_on: now - 600,
  })
  const tokens = sandbox.issueTokens()

  const admin = new Client({ ...pgConfig, database: "postgres" })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${dbName}"`)
  await admin.end()

  await run(MEDUSA_BIN, ["db:migrate", "--skip-scripts"], childEnv())
  const seeded = await run(
    MEDUSA_BIN,
    ["exec", "./integration-tests/multi-instance/seed.ts"],
    childEnv({
      LG_MULTI_ACCESS_TOKEN: tokens.access_token,
      LG_MULTI_REFRESH_TOKEN: tokens.refresh_token,
    })
  )
  shopId = /LG_MULTI_SHOP=(\S+)/.exec(seeded)![1]

  db = new Client({ ...pgConfig, database: dbName })
  await db.connect()
})

afterAll(async () => {
  for (const { child } of workers) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM")
      } catch {
        // already gone
      }
    }
  }
  await new Promise((r) => setTimeout(r, 2000))
  for (const { child } of workers) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL")
      } catch {
        // already gone
      }
    }
  }
  await db?.end().catch(() => undefined)
  const admin = new Client({ ...pgConfig, database: "postgres" })
  await admin.connect()
  await admin
    .query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
    .catch(() => undefined)
  await admin.end()
  await sandbox.close()
})

it("two worker processes: a due fetch runs once and imports each order once", async () => {
  startWorker(freePort())
  startWorker(freePort())

  // The cluster's minute tick (cron "* * * * *") finds the shop due and runs its import.
  const run = await waitFor(
    "the automatic import run to finish",
    async () => {
      const { rows } = await db.query(
        `SELECT * FROM line_gift_sync_run WHERE shop_id = $1 AND state <> 'running'`,
        [shopId]
      )
      return rows.length ? rows[0] : null
    },
    300_000
  )
  // Both processes were up (each logs its boot), so both had the tick job.
  for (const w of workers) {
    expect(w.child.exitCode).toBeNull()
  }

  // Give a duplicate (if any) time to show: both processes are still ticking.
  await new Promise((r) => setTimeout(r, 5000))
  const { rows: runs } = await db.query(
    `SELECT id, trigger, state, created_count FROM line_gift_sync_run WHERE shop_id = $1`,
    [shopId]
  )
  expect(runs).toHaveLength(1)
  expect(run).toMatchObject({
    trigger: "automatic",
    state: "succeeded",
    created_count: 3,
  })

  const { rows: records } = await db.query(
    `SELECT line_gift_order_id, state FROM line_gift_order WHERE shop_id = $1 AND state = 'imported'`,
    [shopId]
  )
  expect(records.map((r) => r.line_gift_order_id).sort()).toEqual(
    [...ordersToImport].sort()
  )
  const { rows: orders } = await db.query(
    `SELECT count(*)::int AS n FROM "order" WHERE deleted_at IS NULL`
  )
  expect(orders[0].n).toBe(3)
  // One run read LINE Gift once (one page): nobody else fetched.
  expect(sandbox.calls.filter((c) => c.kind === "order_search")).toHaveLength(1)

  const { rows: shop } = await db.query(
    `SELECT next_fetch_at, last_fetched_at FROM line_gift_shop WHERE id = $1`,
    [shopId]
  )
  expect(new Date(shop[0].next_fetch_at).getTime()).toBeGreaterThan(
    Date.now() + 25 * 60_000
  )
})
