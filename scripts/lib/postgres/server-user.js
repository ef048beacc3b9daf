/**
 * The OS user the embedded server runs as, and its data directory's ownership and reach.
 * As root, PostgreSQL refuses to run: it runs as the `postgres` OS user (created if missing),
 * which must own the data dir and be able to reach it. Otherwise it runs as ourselves.
 */
"use strict"

const fs = require("fs")
const fsp = require("fs/promises")
const os = require("os")
const path = require("path")
const { spawnSync, execFileSync } = require("child_process")
const { REPO_ROOT } = require("./settings")

/** True when this process runs as root (uid 0). */
function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0
}

/** { uid, gid } of OS user `name`, or null. */
function lookupUser(name) {
  try {
    const uid = parseInt(
      execFileSync("id", ["-u", name], {
        stdio: ["ignore", "pipe", "ignore"],
      }).toString(),
      10
    )
    const gid = parseInt(
      execFileSync("id", ["-g", name], {
        stdio: ["ignore", "pipe", "ignore"],
      }).toString(),
      10
    )
    return Number.isFinite(uid) && Number.isFinite(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}

/** As root: the `postgres` OS user (created if missing), else null (run as ourselves). */
function ensureServerUser() {
  if (!isRoot()) return null
  let ids = lookupUser("postgres")
  if (ids) return ids
  try {
    spawnSync("groupadd", ["--system", "postgres"], { stdio: "ignore" })
    execFileSync(
      "useradd",
      [
        "--system",
        "-g",
        "postgres",
        "-M",
        "-s",
        "/usr/sbin/nologin",
        "postgres",
      ],
      {
        stdio: ["ignore", "ignore", "pipe"],
      }
    )
  } catch (e) {
    throw new Error(
      `Running as root, embedded PostgreSQL must run as the 'postgres' user, which does not exist and could not be created: ${String(e.stderr || e.message).trim()}`,
      { cause: e }
    )
  }
  ids = lookupUser("postgres")
  if (!ids)
    throw new Error(
      "Could not create the 'postgres' OS user for embedded PostgreSQL"
    )
  return ids
}

/**
 * Creates dataDir (mode 0700) and, as root, hands it to the server user. Directories this
 * call had to create on the way are handed over too; existing parents must already be
 * searchable by that user (checked later by the preflight).
 */
async function prepareDataDir(dataDir, ids) {
  const created = []
  let dir = dataDir
  while (!fs.existsSync(dir)) {
    created.unshift(dir)
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 })
  if (ids) {
    for (const d of created) {
      if (d !== dataDir) await fsp.chmod(d, 0o755).catch(() => {})
    }
    await fsp.chown(dataDir, ids.uid, ids.gid)
  }
  await fsp.chmod(dataDir, 0o700)
}

/** True when `dir` is `root` or below it. */
function isInside(dir, root) {
  const rel = path.relative(root, dir)
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))
}

/**
 * As root: every directory above dataDir must be searchable by the server user (which runs
 * without supplementary groups). Inside the repository or the temp dir, add the missing
 * search bit; elsewhere refuse with an explanation rather than change system directories.
 */
function ensureReachable(dataDir, ids) {
  if (!ids) return
  const tmp = fs.realpathSync(os.tmpdir())
  let dir = path.dirname(dataDir)
  for (;;) {
    const st = fs.statSync(dir)
    const bit = st.uid === ids.uid ? 0o100 : st.gid === ids.gid ? 0o010 : 0o001
    if (!(st.mode & bit)) {
      if (
        isInside(dir, REPO_ROOT) ||
        isInside(dir, tmp) ||
        isInside(dir, os.tmpdir())
      ) {
        fs.chmodSync(dir, (st.mode & 0o7777) | bit)
      } else {
        throw new Error(
          `The 'postgres' user cannot reach the data directory ${dataDir}: ${dir} is not searchable by it (chmod o+x it, or use another directory)`
        )
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
}

module.exports = { ensureServerUser, prepareDataDir, ensureReachable }
