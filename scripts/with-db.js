#!/usr/bin/env node
/**
 * Runs a command with a PostgreSQL database in its environment:
 *
 *   node scripts/with-db.js medusa plugin:db:generate
 *   node scripts/with-db.js medusa db:migrate
 *
 * The server: DATABASE_URL, else DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD, else the persistent
 * embedded PostgreSQL of the demo (data in .demo/pg, port 54329 or LINE_GIFT_PG_PORT; an
 * already running one is reused and left running). The database: the one in DATABASE_URL,
 * else DB_NAME (default medusa_line_gift), created if missing.
 *
 * The command gets DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_NAME and DATABASE_URL.
 * Messages go to stderr; the exit code is the command's.
 */
"use strict"

const {
  ensurePostgres,
  createDatabase,
  describePostgres,
  demoPostgresOptions,
  databaseUrl,
  dbEnv,
  runChild,
  DEFAULT_DB_NAME,
} = require("./lib/postgres")

async function main() {
  const [command, ...args] = process.argv.slice(2)
  if (!command) {
    console.error("usage: node scripts/with-db.js <command> [args…]")
    return 2
  }

  let pg
  try {
    pg = await ensurePostgres(demoPostgresOptions())
  } catch (e) {
    console.error(`with-db: could not provide a PostgreSQL.\n${e.message}`)
    return 1
  }

  try {
    let name
    let url
    if (pg.source === "DATABASE_URL") {
      name = pg.database
      url = pg.databaseUrl
    } else {
      name = (process.env.DB_NAME || "").trim() || DEFAULT_DB_NAME
      url = databaseUrl(pg.env, name)
    }
    console.error(`${describePostgres(pg)}, database ${name || "(default)"}`)

    if (name) {
      try {
        if (await createDatabase(pg.env, name))
          console.error(`Created database ${name}`)
      } catch (e) {
        // No CREATE DATABASE right is fine if the database exists; the command will tell.
        console.error(
          `with-db: could not check/create database ${name}: ${e.message}`
        )
        if (pg.embedded) return 1
      }
    }

    return await runChild(command, args, {
      ...process.env,
      ...dbEnv(pg),
      DB_NAME: name || "",
      DATABASE_URL: url,
    })
  } finally {
    await pg.stop()
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err)
    process.exit(1)
  }
)
