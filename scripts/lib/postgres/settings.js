/**
 * Where PostgreSQL is: the repository's fixed places and credentials, and the DB_* settings
 * read from `DATABASE_URL` or `DB_HOST`… (see ../postgres.js for the resolution order).
 * Pure functions; nothing here connects or starts anything.
 */
"use strict"

const path = require("path")

/** The repository root (scripts/lib/postgres → ../../..). */
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..")

/** The persistent cluster used by the demo, `npm run dev` and with-db.js. */
const DEMO_DATA_DIR = path.join(REPO_ROOT, ".demo", "pg")
/** Port of the persistent cluster unless LINE_GIFT_PG_PORT says otherwise. */
const DEMO_PORT = 54329
/** Database the demo and dev use. */
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

/** DB_* settings (and DATABASE_URL_BASE) of an embedded server on `port`. */
function embeddedEnv(port) {
  const db = {
    DB_HOST: EMBEDDED_HOST,
    DB_PORT: String(port),
    DB_USERNAME: EMBEDDED_USER,
    DB_PASSWORD: EMBEDDED_PASSWORD,
  }
  return { ...db, DATABASE_URL_BASE: buildUrlBase(db) }
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
  REPO_ROOT,
  DEMO_DATA_DIR,
  DEMO_PORT,
  DEFAULT_DB_NAME,
  EMBEDDED_USER,
  EMBEDDED_PASSWORD,
  EMBEDDED_HOST,
  parseDatabaseUrl,
  buildUrlBase,
  databaseUrl,
  settingsFromEnv,
  describePostgres,
  embeddedEnv,
  demoPostgresOptions,
  dbEnv,
}
