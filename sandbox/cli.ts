/**
 * `npm run sandbox`: starts the LINE Gift sandbox on 127.0.0.1 and prints how to use it.
 *
 * Options: `--port N` (default: env LINE_GIFT_SANDBOX_PORT, else 7755), `--seed N`
 * (default 20261129), `--orders N` (default 300), `--auto-approve` (the authorize page
 * approves at once), `--quiet` (no request log). Stops on SIGINT/SIGTERM.
 *
 * The request log shows method, path (never the query string, so never a token), status and
 * kind. Nothing personal is printed; the banner shows only the fixed sandbox test credentials.
 */
import {
  createSandbox,
  SANDBOX_DEFAULT_CLIENT,
  type Sandbox,
  type SandboxCall,
} from "./server"
import { DEFAULT_ORDER_COUNT, DEFAULT_SEED } from "./seed"

/** Default port of `npm run sandbox`. */
export const DEFAULT_SANDBOX_PORT = 7755

/** Parsed command line of the sandbox CLI. */
export type SandboxCliArgs = {
  port: number
  seed: number
  orders: number
  autoApprove: boolean
  /** --state FILE: persist orders and tokens across restarts. */
  stateFile?: string
  quiet: boolean
  help: boolean
}

/**
 * Parses `argv` (without node and script) and `env` into CLI arguments.
 * @throws Error with a readable message on an unknown flag or a bad number.
 */
export function parseSandboxArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env
): SandboxCliArgs {
  const args: SandboxCliArgs = {
    port: DEFAULT_SANDBOX_PORT,
    seed: DEFAULT_SEED,
    orders: DEFAULT_ORDER_COUNT,
    autoApprove: false,
    quiet: false,
    help: false,
  }
  const number = (
    name: string,
    raw: string | undefined,
    min: number,
    max: number
  ): number => {
    if (raw === undefined || !/^\d+$/.test(raw.trim()))
      throw new Error(`${name} needs a whole number, got "${raw ?? ""}"`)
    const n = Number(raw.trim())
    if (n < min || n > max)
      throw new Error(`${name} must be between ${min} and ${max}, got ${n}`)
    return n
  }
  if (env.LINE_GIFT_SANDBOX_PORT)
    args.port = number(
      "LINE_GIFT_SANDBOX_PORT",
      env.LINE_GIFT_SANDBOX_PORT,
      0,
      65535
    )
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const value = () => (inline !== undefined ? inline : argv[++i])
    switch (flag) {
      case "--port":
      case "-p":
        args.port = number("--port", value(), 0, 65535)
        break
      case "--seed":
        args.seed = number("--seed", value(), 0, 2 ** 32 - 1)
        break
      case "--orders":
        args.orders = number("--orders", value(), 0, 100000)
        break
      case "--auto-approve":
        args.autoApprove = true
        break
      case "--state":
        args.stateFile = value()
        if (!args.stateFile) throw new Error("--state needs a file path")
        break
      case "--quiet":
      case "-q":
        args.quiet = true
        break
      case "--help":
      case "-h":
        args.help = true
        break
      default:
        throw new Error(`unknown option "${flag}" (try --help)`)
    }
  }
  return args
}

const HELP = `LINE Gift sandbox: a local stand-in for the LINE Gift shop API (both hosts on one port).

Usage: npm run sandbox -- [--port 7755] [--seed 20261129] [--orders 300] [--auto-approve] [--state FILE] [--quiet]

  --port N        port on 127.0.0.1 (default: $LINE_GIFT_SANDBOX_PORT, else 7755; 0 = any free port)
  --seed N        seed of the generated orders (same seed and day → same orders)
  --orders N      number of generated orders
  --auto-approve  the authorize page approves at once (no click needed)
  --state FILE    keep orders and tokens in FILE across restarts (the demo uses .demo/sandbox-state.json)
  --quiet         do not log requests
`

function describe(call: SandboxCall): string {
  const time = new Date().toISOString().slice(11, 19)
  const status = call.status === 0 ? "no answer" : String(call.status)
  return `${time}  ${call.method.padEnd(6)} ${call.path}  → ${status}  (${call.kind})`
}

/** The banner printed once listening: URLs, the fixed sandbox test credentials, control endpoints. */
function bannerText(
  url: string,
  args: SandboxCliArgs,
  orderCount: number
): string {
  const { clientId, clientSecret } = SANDBOX_DEFAULT_CLIENT
  const authorize = `${url}/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent("http://localhost:9000/app")}&state=xyz`
  return `LINE Gift sandbox (LINEギフト サンドボックス) listening on ${url}

  Base URL (both hosts):  ${url}
    orders host:          ${url}/shop/api/1/order/search
    shop admin / OAuth:   ${url}/api/v1/oauth2/token, ${url}/api/v1/shops/{shop_id}/items
  Test app credentials (sandbox only):
    client_id:            ${clientId}
    client_secret:        ${clientSecret}
  Authorize page (example): ${authorize}
  Orders:                 ${orderCount} generated (seed ${args.seed})${args.autoApprove ? "\n  Authorize:              auto-approve is ON" : ""}

  Control endpoints (JSON):
    GET    ${url}/__sandbox/calls             DELETE ${url}/__sandbox/calls
    GET    ${url}/__sandbox/faults            POST   ${url}/__sandbox/faults   (merge)   DELETE ${url}/__sandbox/faults
    POST   ${url}/__sandbox/reset
    GET    ${url}/__sandbox/orders            GET    ${url}/__sandbox/orders/:id
    POST   ${url}/__sandbox/orders            PATCH  ${url}/__sandbox/orders/:id
    POST   ${url}/__sandbox/expire-access-tokens
    POST   ${url}/__sandbox/tokens            (a fresh token pair for ${clientId})

  e.g. curl -X POST ${url}/__sandbox/faults -H 'Content-Type: application/json' -d '{"rateLimit":{"count":2,"retryAfterSec":1}}'
Press Ctrl+C to stop.`
}

/**
 * Request log: method, path (no query string, so no token), status, every 200 ms. A call
 * still unanswered is waited for up to 10 s, so lines keep arrival order. Returns the timer.
 */
function startRequestLog(sandbox: Sandbox, quiet: boolean): NodeJS.Timeout {
  let seen: SandboxCall[] = sandbox.calls
  let next = 0
  const pendingSince = new Map<SandboxCall, number>()
  return setInterval(() => {
    if (quiet) return
    if (sandbox.calls !== seen) {
      seen = sandbox.calls
      next = 0
      pendingSince.clear()
    }
    while (next < seen.length) {
      const call = seen[next]
      if (call.status === 0) {
        const since = pendingSince.get(call) ?? Date.now()
        pendingSince.set(call, since)
        if (Date.now() - since < 10_000) break
      }
      pendingSince.delete(call)
      console.log(describe(call))
      next++
    }
  }, 200)
}

/** On the first SIGINT/SIGTERM: stop the log, close the sandbox, exit 0 (1 if closing failed). */
function stopOnSignals(sandbox: Sandbox, poll: NodeJS.Timeout): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    clearInterval(poll)
    console.log(`\n${signal}: stopping the sandbox…`)
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once("SIGINT", () => stop("SIGINT"))
  process.once("SIGTERM", () => stop("SIGTERM"))
}

/** Starts the sandbox on 127.0.0.1; undefined (exit code 1 set, reason printed) when it cannot listen. */
async function start(
  args: SandboxCliArgs
): Promise<{ sandbox: Sandbox; url: string } | undefined> {
  const sandbox = createSandbox({
    seed: args.seed,
    orderCount: args.orders,
    autoApprove: args.autoApprove,
    stateFile: args.stateFile,
  })
  try {
    return { sandbox, url: await sandbox.listen(args.port, "127.0.0.1") }
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    console.error(
      e.code === "EADDRINUSE"
        ? `sandbox: port ${args.port} is already in use. Try --port ${args.port + 1} (or LINE_GIFT_SANDBOX_PORT).`
        : `sandbox: could not start: ${e.message}`
    )
    process.exitCode = 1
    return undefined
  }
}

/** Runs the CLI: starts the sandbox, prints the banner, logs requests, stops on SIGINT/SIGTERM. */
export async function main(
  argv: string[] = process.argv.slice(2)
): Promise<void> {
  let args: SandboxCliArgs
  try {
    args = parseSandboxArgs(argv)
  } catch (err) {
    console.error(`sandbox: ${(err as Error).message}`)
    process.exitCode = 2
    return
  }
  if (args.help) {
    console.log(HELP)
    return
  }
  const started = await start(args)
  if (!started) return
  const { sandbox, url } = started
  console.log(bannerText(url, args, sandbox.orders.length))
  stopOnSignals(sandbox, startRequestLog(sandbox, args.quiet))
}

if (require.main === module) {
  void main()
}
