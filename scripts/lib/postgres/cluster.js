/**
 * A cluster's data directory from the outside: free ports, the postmaster recorded in its
 * lock file (alive, zombie or stale), and temporary data dirs left by killed runs.
 */
"use strict"

const fs = require("fs")
const net = require("net")
const os = require("os")
const path = require("path")
const { sleep } = require("./processes")

const LOOPBACK = "127.0.0.1"

/** A port free on 127.0.0.1 right now. */
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

/** Resolves true when `port` on 127.0.0.1 cannot be bound. */
function portInUse(port) {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.unref()
    srv.once("error", () => resolve(true))
    srv.listen(port, LOOPBACK, () => srv.close(() => resolve(false)))
  })
}

/** True when process `pid` exists (even if not ours). */
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

/** Name prefix of temporary data dirs in the OS temp dir. */
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

module.exports = {
  TEMP_PREFIX,
  getFreePort,
  portInUse,
  runningPostmaster,
  waitForDeadPostmaster,
  cleanStaleTempDirs,
}
