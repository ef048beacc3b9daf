/**
 * Process bookkeeping of the PostgreSQL plumbing: the embedded servers and temporary data
 * dirs this process owns, child processes started with runChild, and what happens on
 * SIGINT/SIGTERM/SIGHUP and at exit.
 */
"use strict"

const fs = require("fs")
const fsp = require("fs/promises")
const os = require("os")
const path = require("path")
const { spawn } = require("child_process")
const { REPO_ROOT } = require("./settings")

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

/** Installs the signal and exit handlers once (idempotent). */
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

/** Stops every embedded server of this process and removes the temporary data dirs. */
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

/** Resolves after `ms` milliseconds. */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** True once a signal started the shutdown (starts in progress give up quietly). */
function isShuttingDown() {
  return shuttingDown
}

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

module.exports = {
  servers,
  tempDirs,
  installHandlers,
  isShuttingDown,
  stopAll,
  runChild,
  sleep,
}
