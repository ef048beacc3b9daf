/**
 * Secrets and personal data never reach a log. Runs the full demo (`node scripts/demo.js`:
 * migrations, seeding, the sandbox, Medusa, OAuth, an import) as a child process with a
 * throw-away database and LOG_LEVEL=debug, captures every line printed by the demo AND by
 * every Node process it starts (helpers/tee-output.js is preloaded into each), and fails if
 * any of these appears:
 * - the app's client_secret and the encryption key;
 * - every access and refresh token the sandbox issued (its state file);
 * - every recipient's name, street address, postal code and phone number, and every buyer's
 *   and sender's name, of every order the sandbox served.
 *
 * The demo keeps its sandbox state in .demo/sandbox-state.json and writes .demo/seed.json
 * (shared with `npm run demo` / `npm run dev`): the test puts both back as they were.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { Client } from "pg"

jest.setTimeout(900_000)

const REPO_ROOT = path.join(__dirname, "../..")
const DB_NAME = "medusa_line_gift_logs"
const STATE_FILE = path.join(REPO_ROOT, ".demo", "sandbox-state.json")
const SEED_FILE = path.join(REPO_ROOT, ".demo", "seed.json")

/** The contents of the developer's demo files (null: absent), to put back afterwards. */
const saved = new Map<string, Buffer | null>()
const saveFile = (file: string) =>
  saved.set(file, fs.existsSync(file) ? fs.readFileSync(file) : null)
const restoreFiles = () => {
  for (const [file, content] of saved) {
    if (content === null) fs.rmSync(file, { force: true })
    else fs.writeFileSync(file, content)
  }
}
const CLIENT_SECRET = "sandbox-client-secret"

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** The maintenance connection of the test PostgreSQL (npm test provides DB_*). */
async function withPostgres<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || undefined,
    database: "postgres",
  })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const dropDatabase = () =>
  withPostgres((c) =>
    c.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`)
  )

/** Every personal-data string of the sandbox's orders (names, address lines, phones, postal codes). */
function personalData(orders: any[]): string[] {
  const values = new Set<string>()
  const add = (v: unknown) => {
    if (typeof v === "string" && v.trim().length >= 2) values.add(v.trim())
  }
  for (const o of orders) {
    add(o.user_name)
    const a = o.address ?? {}
    add(a.from_name)
    add(a.first_name)
    if (a.last_name && a.first_name) {
      add(`${a.last_name}${a.first_name}`)
      add(`${a.last_name} ${a.first_name}`)
      add(`${a.last_name}\u3000${a.first_name}`) // full-width space, as Japanese names are written
    }
    add(a.address)
    add(a.tel)
    add(a.tel_hyphen)
    add(a.zip)
  }
  return [...values]
}

describe("a full demo run at LOG_LEVEL=debug", () => {
  let logFile: string

  beforeAll(async () => {
    saveFile(STATE_FILE)
    saveFile(SEED_FILE)
    await dropDatabase()
    logFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "line-gift-logs-")),
      "all.log"
    )
  })

  afterAll(async () => {
    restoreFiles()
    await dropDatabase().catch(() => undefined)
  })

  it("prints no secret, token, name, address or phone number anywhere", async () => {
    const [port, sandboxPort] = [await freePort(), await freePort()]
    const tee = path.join(__dirname, "helpers", "tee-output.js")
    const env = {
      ...process.env,
      DB_NAME,
      PORT: String(port),
      MEDUSA_BACKEND_URL: `http://localhost:${port}`,
      LINE_GIFT_SANDBOX_PORT: String(sandboxPort),
      LINE_GIFT_SANDBOX_URL: "",
      LOG_LEVEL: "debug",
      LINE_GIFT_TEE_LOG: logFile,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${tee}`.trim(),
      NODE_ENV: "development",
    }
    delete (env as any).LINE_GIFT_SANDBOX_URL
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [path.join(REPO_ROOT, "scripts", "demo.js")],
        {
          cwd: REPO_ROOT,
          env,
          stdio: ["ignore", "pipe", "pipe"],
        }
      )
      // The demo's own output is teed by the preload too; drain the pipes.
      child.stdout.resume()
      child.stderr.resume()
      child.on("error", reject)
      child.on("exit", (code) => resolve(code))
    })
    const log = fs.readFileSync(logFile, "utf8")
    expect({ exitCode, tail: exitCode === 0 ? "" : log.slice(-3000) }).toEqual({
      exitCode: 0,
      tail: "",
    })

    // The run did what the demo does: the server logged at debug level, and orders were imported.
    expect(log).toMatch(/Import: last 7 days/)
    // The Medusa server's own lines are captured too (the import runs there), at debug level.
    expect(log).toMatch(
      /LINE Gift import run lgrun_\w+: succeeded; seen \d+, created [1-9]/
    )
    expect(log).toMatch(/debug/)
    expect(log.split("\n").length).toBeGreaterThan(50)

    const state = JSON.parse(fs.readFileSync(STATE_FILE, "utf8"))
    const tokens: string[] = [
      ...(state.accessTokens ?? []).map(([t]: [string]) => t),
      ...(state.refreshTokens ?? []).map(([t]: [string]) => t),
    ]
    expect(tokens.length).toBeGreaterThanOrEqual(2)
    const people = personalData(state.orders)
    expect(people.length).toBeGreaterThan(50)

    const forbidden: Array<[string, string]> = [
      ["client_secret", CLIENT_SECRET],
      ["encryption key", process.env.LINE_GIFT_ENCRYPTION_KEY!],
      ...tokens.map((t) => ["token", t] as [string, string]),
      ...people.map((p) => ["personal data", p] as [string, string]),
    ]
    const leaks = forbidden
      .filter(([, value]) => log.includes(value))
      .map(([what, value]) => {
        const line = log.split("\n").find((l) => l.includes(value))!
        return `${what}: ${line.slice(0, 300)}`
      })
    expect(leaks).toEqual([])
  })
})
