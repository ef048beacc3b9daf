/**
 * Which Chromium the browser tests drive, so that `npm ci && npm test` runs them on a machine
 * where nothing was installed by hand.
 *
 *   1. `E2E_CHROMIUM` when set (a path to any Chromium / Chrome / headless shell);
 *   2. the system's Chromium (`/usr/bin/chromium`, as `.ci/run` installs from Debian), when present;
 *   3. otherwise the headless shell shipped inside the npm package `@sparticuz/chromium`
 *      (a devDependency: Chromium brotli-compressed in the package itself, with the NSS/NSPR/expat
 *      libraries it links against and a small font set). It is unpacked once into
 *      `node_modules/.cache/medusa-line-gift-chromium/<version>/` — no download at install or
 *      test time, nothing outside the npm registry.
 *
 * Japanese screens need CJK glyphs: every launch gets a fontconfig file that keeps the system's
 * fonts (when there is a system configuration) and adds Noto Sans JP from the npm package
 * `@expo-google-fonts/noto-sans-jp` (regular and bold), plus the package's own fonts for the
 * fallback browser.
 *
 * Plain CommonJS: used by the Jest harness (integration-tests/e2e/harness.ts) and by
 * scripts/stock-app-test.js.
 */
"use strict"

const fs = require("fs")
const path = require("path")
const zlib = require("zlib")
const { pipeline } = require("stream/promises")

const REPO_ROOT = path.resolve(__dirname, "..", "..")
const SYSTEM_CHROMIUM = "/usr/bin/chromium"

/** Flags for machines without outside network (no updates, sync or telemetry). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

/** The installed package's directory, or null (its "exports" may hide package.json). */
function resolvePackageDir(name) {
  let entry
  try {
    entry = require.resolve(name, { paths: [REPO_ROOT] })
  } catch {
    return null
  }
  for (
    let dir = path.dirname(entry);
    dir !== path.dirname(dir);
    dir = path.dirname(dir)
  ) {
    const file = path.join(dir, "package.json")
    if (
      fs.existsSync(file) &&
      JSON.parse(fs.readFileSync(file, "utf8")).name === name
    )
      return dir
  }
  return null
}

function cacheRoot() {
  return path.join(
    REPO_ROOT,
    "node_modules",
    ".cache",
    "medusa-line-gift-chromium"
  )
}

/** Brotli file → file (streamed: the browser is ~190 MB unpacked). */
async function unbrotli(src, dest) {
  const tmp = `${dest}.tmp-${process.pid}`
  await pipeline(
    fs.createReadStream(src),
    zlib.createBrotliDecompress(),
    fs.createWriteStream(tmp)
  )
  fs.renameSync(tmp, dest)
}

/** Brotli tar → directory, with tar-fs (a dependency of @sparticuz/chromium). */
async function untarBrotli(src, destDir, pkgDir) {
  const tar = require(require.resolve("tar-fs", { paths: [pkgDir] }))
  fs.mkdirSync(destDir, { recursive: true })
  await pipeline(
    fs.createReadStream(src),
    zlib.createBrotliDecompress(),
    tar.extract(destDir)
  )
}

/**
 * Unpacks @sparticuz/chromium's headless shell once (guarded by a `.complete` marker, so a run
 * killed half-way unpacks again).
 * @returns {{ executablePath: string, libDir: string, fontDir: string } | null} null when the
 *   package is not installed
 */
async function unpackPackagedChromium() {
  const pkgDir = resolvePackageDir("@sparticuz/chromium")
  if (!pkgDir) return null
  const version = require(path.join(pkgDir, "package.json")).version
  const dir = path.join(cacheRoot(), version)
  const out = {
    executablePath: path.join(dir, "chromium"),
    libDir: path.join(dir, "al2023", "lib"),
    fontDir: path.join(dir, "fonts", "fonts"),
  }
  if (fs.existsSync(path.join(dir, ".complete"))) return out
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const bin = path.join(pkgDir, "bin")
  await unbrotli(path.join(bin, "chromium.br"), out.executablePath)
  fs.chmodSync(out.executablePath, 0o755)
  await untarBrotli(
    path.join(bin, "al2023.tar.br"),
    path.join(dir, "al2023"),
    pkgDir
  )
  await untarBrotli(
    path.join(bin, "fonts.tar.br"),
    path.join(dir, "fonts"),
    pkgDir
  )
  await untarBrotli(
    path.join(bin, "swiftshader.tar.br"),
    path.join(dir, "swiftshader"),
    pkgDir
  )
  fs.writeFileSync(path.join(dir, ".complete"), new Date().toISOString())
  return out
}

const escapeXml = (s) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/**
 * Writes the fontconfig file: the system configuration when there is one, Noto Sans JP from
 * npm, and any extra font directories.
 * @returns {string | null} its path, or null when no Japanese font package is installed
 */
function writeFontConfig(extraDirs) {
  const noto = resolvePackageDir("@expo-google-fonts/noto-sans-jp")
  const dirs = [...extraDirs]
  if (noto) dirs.push(path.join(noto, "400Regular"), path.join(noto, "700Bold"))
  if (!dirs.length) return null
  const root = cacheRoot()
  fs.mkdirSync(path.join(root, "fontconfig-cache"), { recursive: true })
  const file = path.join(root, "fonts.conf")
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    "<fontconfig>",
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ...dirs.map((d) => `  <dir>${escapeXml(d)}</dir>`),
    `  <cachedir>${escapeXml(path.join(root, "fontconfig-cache"))}</cachedir>`,
    "</fontconfig>",
    "",
  ].join("\n")
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== xml)
    fs.writeFileSync(file, xml)
  return file
}

/**
 * Finds (and if needed unpacks) the Chromium to drive.
 * @returns {Promise<{ executablePath: string, source: "env" | "system" | "npm", args: string[],
 *   env: NodeJS.ProcessEnv }>} what to hand to playwright-core's launch: `env` is the full
 *   environment for the browser process (fontconfig file, and for the npm browser its libraries).
 * @throws Error when no Chromium can be found (only when @sparticuz/chromium is not installed)
 */
async function findChromium() {
  const env = { ...process.env }
  let found
  if (process.env.E2E_CHROMIUM) {
    found = {
      executablePath: process.env.E2E_CHROMIUM,
      source: "env",
      fontDirs: [],
    }
  } else if (fs.existsSync(SYSTEM_CHROMIUM)) {
    found = { executablePath: SYSTEM_CHROMIUM, source: "system", fontDirs: [] }
  } else {
    const packaged = await unpackPackagedChromium()
    if (!packaged) {
      throw new Error(
        `No Chromium: ${SYSTEM_CHROMIUM} is missing and the npm package @sparticuz/chromium is not installed (npm ci installs it).`
      )
    }
    found = {
      executablePath: packaged.executablePath,
      source: "npm",
      fontDirs: [packaged.fontDir],
    }
    // Its own NSS/NSPR/expat first: a fresh machine may have none of them.
    env.LD_LIBRARY_PATH = [packaged.libDir, process.env.LD_LIBRARY_PATH]
      .filter(Boolean)
      .join(":")
  }
  const fontConfig = writeFontConfig(found.fontDirs)
  if (fontConfig) env.FONTCONFIG_FILE = fontConfig
  const args = [...CHROMIUM_ARGS]
  if (found.source === "npm") args.push("--no-zygote")
  return {
    executablePath: found.executablePath,
    source: found.source,
    args,
    env,
  }
}

module.exports = {
  findChromium,
  resolvePackageDir,
  CHROMIUM_ARGS,
  SYSTEM_CHROMIUM,
}
