#!/usr/bin/env node
/**
 * `npm test`: Jest with a PostgreSQL for the integration tests.
 *
 * Uses DATABASE_URL or DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD when given; otherwise starts a
 * throw-away embedded PostgreSQL (temp data dir, free port) and removes it afterwards.
 * Medusa's @medusajs/test-utils read DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD (not
 * DATABASE_URL), so those are always exported to Jest; each suite creates its own databases.
 *
 *   npm test                                  all suites
 *   npm test -- integration-tests/unit        extra arguments go to Jest
 *   npm test -- integration-tests/http/import.spec.ts -t "second time"   one test by name
 */
"use strict"

const dns = require("dns/promises")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { spawnSync } = require("child_process")

const {
  ensurePostgres,
  describePostgres,
  canConnect,
  dbEnv,
  runChild,
  REPO_ROOT,
} = require("./lib/postgres")
const { splitJestArgs } = require("./lib/jest-args")

/**
 * Medusa's module loaders use dynamic import(), which Jest's VM only allows with
 * --experimental-vm-modules (Medusa's own starter sets it the same way); without it every
 * moduleIntegrationTestRunner / medusaIntegrationTestRunner suite fails with
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG. Its "experimental" warning is silenced.
 */
function nodeOptions(existing = "") {
  const opts = existing.split(/\s+/).filter(Boolean)
  if (!opts.includes("--experimental-vm-modules"))
    opts.push("--experimental-vm-modules")
  if (
    process.allowedNodeEnvironmentFlags.has("--disable-warning") &&
    !opts.some((o) => o.startsWith("--disable-warning"))
  ) {
    opts.push("--disable-warning=ExperimentalWarning")
  }
  return opts.join(" ")
}

/**
 * Medusa's medusaIntegrationTestRunner connects with SSL unless the database URL contains
 * "localhost" (test-utils' configLoaderOverride), so a given DB_HOST=127.0.0.1 fails against
 * a server without SSL (the machines' PostgreSQL has ssl=off). When localhost is 127.0.0.1,
 * hand Jest "localhost": the same server, without SSL.
 */
async function hostForTestUtils(host) {
  if (host !== "127.0.0.1") return host
  const addresses = await dns.lookup("localhost", { all: true }).catch(() => [])
  return addresses.some((a) => a.address === "127.0.0.1") ? "localhost" : host
}

async function main() {
  const jestArgs = process.argv.slice(2)

  let pg
  try {
    pg = await ensurePostgres({ persistent: false })
  } catch (e) {
    console.error(
      `npm test: could not provide a PostgreSQL for the tests.\n${e.message}`
    )
    return 1
  }
  console.log(describePostgres(pg))
  if (!pg.embedded) {
    const ok = await canConnect(pg.env)
    if (ok !== true) {
      // Unit tests can still run; the database suites will fail with the same error.
      console.warn(
        `Warning: cannot connect to PostgreSQL at ${pg.env.DB_HOST}:${pg.env.DB_PORT}: ${ok.message}`
      )
    }
  }

  try {
    const jest = require.resolve("jest/bin/jest", { paths: [REPO_ROOT] })
    const db = dbEnv(pg)
    const host = await hostForTestUtils(db.DB_HOST)
    if (host !== db.DB_HOST) {
      console.log(
        `(tests get DB_HOST=${host}: same server; Medusa's test runner would use SSL for ${db.DB_HOST})`
      )
      db.DB_HOST = host
    }
    const env = {
      ...process.env,
      ...db,
      NODE_OPTIONS: nodeOptions(process.env.NODE_OPTIONS),
    }
    return await runSuites(jest, jestArgs, env)
  } finally {
    await pg.stop()
  }
}

/**
 * Runs the selected test files: the plain ones (unit tests, browser tests) in one Jest process,
 * and each file that boots Medusa through @medusajs/test-utils in a Jest process of its own —
 * two such suites in one process fail to boot ("Map.prototype.set called on incompatible
 * receiver"). Prints one closing line `Summary: N passed, N failed, N skipped` over all runs.
 * @returns 0 when every run passed
 */
async function runSuites(jest, jestArgs, env) {
  const { options: flags, patterns } = splitJestArgs(jestArgs)
  const listed = spawnSync(
    process.execPath,
    [jest, "--listTests", ...flags, ...patterns],
    {
      cwd: REPO_ROOT,
      env,
      encoding: "utf8",
    }
  )
  if (listed.status !== 0) {
    process.stderr.write(listed.stderr || "")
    return listed.status || 1
  }
  const files = listed.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .sort()
  if (!files.length) {
    console.error("npm test: no test file matches.")
    return 1
  }
  const ownProcess = (f) =>
    /IntegrationTestRunner\(/.test(fs.readFileSync(f, "utf8"))
  const groups = [
    files.filter((f) => !ownProcess(f)),
    ...files.filter(ownProcess).map((f) => [f]),
  ].filter((g) => g.length)

  const total = { passed: 0, failed: 0, skipped: 0 }
  let exitCode = 0
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "line-gift-jest-"))
  try {
    for (const [i, group] of groups.entries()) {
      const out = path.join(outDir, `run-${i}.json`)
      const code = await runChild(
        process.execPath,
        [
          jest,
          "--runInBand",
          "--forceExit",
          ...flags,
          "--json",
          `--outputFile=${out}`,
          "--runTestsByPath",
          ...group,
        ],
        env,
        { cwd: REPO_ROOT }
      )
      if (code !== 0) exitCode = code
      try {
        const r = JSON.parse(fs.readFileSync(out, "utf8"))
        total.passed += r.numPassedTests
        total.failed += r.numFailedTests + r.numRuntimeErrorTestSuites
        total.skipped += r.numPendingTests + r.numTodoTests
      } catch {
        total.failed += 1 // the run died before writing its results
        if (exitCode === 0) exitCode = 1
      }
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true })
  }
  if (total.failed && exitCode === 0) exitCode = 1
  console.log(
    `\nSummary: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`
  )
  return exitCode
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err)
    process.exit(1)
  }
)
