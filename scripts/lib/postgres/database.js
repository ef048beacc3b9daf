/**
 * Talking to a PostgreSQL server through `pg`: the maintenance connection, and creating or
 * checking databases. `env` is the DB_* settings (see ./settings).
 */
"use strict"

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

/** True when database `name` exists on the server. */
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

module.exports = { withAdminClient, databaseExists, createDatabase, canConnect }
