/**
 * What the demo and `npm run dev` share: the persistent database (embedded PostgreSQL in
 * .demo/pg unless DATABASE_URL / DB_HOST is set), a local encryption key kept in
 * .demo/encryption-key (so secrets stored by the demo can be read by `npm run dev`), the
 * sandbox URL, and a helper to run the Medusa CLI with that environment.
 *
 * Plain CommonJS: it runs before anything is compiled.
 */
"use strict"

const crypto = require("crypto")
const fs = require("fs")
const path = require("path")
const {
  ensurePostgres,
  createDatabase,
  databaseUrl,
  demoPostgresOptions,
  describePostgres,
  dbEnv,
  runChild,
  DEFAULT_DB_NAME,
  REPO_ROOT,
} = require("./postgres")

const DEMO_DIR = path.join(REPO_ROOT, ".demo")
const SANDBOX_PORT = Number(process.env.LINE_GIFT_SANDBOX_PORT || 7755)
const MEDUSA_PORT = Number(process.env.PORT || 9000)

/** The demo's encryption key: LINE_GIFT_ENCRYPTION_KEY, else one generated once into .demo/. */
function demoEncryptionKey() {
  if (process.env.LINE_GIFT_ENCRYPTION_KEY)
    return process.env.LINE_GIFT_ENCRYPTION_KEY
  const file = path.join(DEMO_DIR, "encryption-key")
  fs.mkdirSync(DEMO_DIR, { recursive: true })
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64") + "\n", {
      mode: 0o600,
    })
  }
  return fs.readFileSync(file, "utf8").trim()
}

/**
 * Starts (or finds) the database and returns the environment for Medusa.
 * @returns {Promise<{ env: Record<string,string>, description: string, stop: () => Promise<void> }>}
 */
async function prepareDemoEnvironment() {
  const pg = await ensurePostgres(demoPostgresOptions())
  let name
  let url
  if (pg.source === "DATABASE_URL") {
    name = pg.database
    url = pg.databaseUrl
  } else {
    name = (process.env.DB_NAME || "").trim() || DEFAULT_DB_NAME
    url = databaseUrl(pg.env, name)
    await createDatabase(pg.env, name)
  }
  const backendUrl =
    process.env.MEDUSA_BACKEND_URL || `http://localhost:${MEDUSA_PORT}`
  const env = {
    ...process.env,
    ...dbEnv(pg),
    DB_NAME: name,
    DATABASE_URL: url,
    LINE_GIFT_ENCRYPTION_KEY: demoEncryptionKey(),
    LINE_GIFT_SANDBOX_URL:
      process.env.LINE_GIFT_SANDBOX_URL || `http://127.0.0.1:${SANDBOX_PORT}`,
    MEDUSA_BACKEND_URL: backendUrl,
    PORT: String(MEDUSA_PORT),
    MEDUSA_DISABLE_TELEMETRY: "true",
  }
  return {
    env,
    description: `${describePostgres(pg)}, database ${name}`,
    stop: () => pg.stop(),
  }
}

/** Runs `medusa <args>` from the repo root with `env`. @returns exit code */
function medusa(args, env) {
  const bin = path.join(REPO_ROOT, "node_modules", ".bin", "medusa")
  return runChild(bin, args, env, { cwd: REPO_ROOT })
}

/** Starts the sandbox in this process (TypeScript through ts-node). @returns the Sandbox */
async function startSandbox(port = SANDBOX_PORT) {
  require("ts-node").register({
    transpileOnly: true,
    swc: true,
    compilerOptions: { module: "commonjs" },
  })
  const { createSandbox } = require(path.join(REPO_ROOT, "sandbox"))
  // One persistent "LINE Gift" for the demo and `npm run dev`: tokens issued during the
  // demo stay valid, and shipments pushed stay recorded.
  const sandbox = createSandbox({
    stateFile: path.join(DEMO_DIR, "sandbox-state.json"),
  })
  await sandbox.listen(port, "127.0.0.1")
  return sandbox
}

module.exports = {
  prepareDemoEnvironment,
  medusa,
  startSandbox,
  demoEncryptionKey,
  DEMO_DIR,
  SANDBOX_PORT,
  MEDUSA_PORT,
  REPO_ROOT,
}
