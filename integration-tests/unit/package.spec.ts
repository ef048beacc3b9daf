/**
 * The package as a merchant's installer sees it: peer ranges that accept other Medusa 2.x
 * patches, no test-only peers, the admin bundle's run-time imports declared, a LICENSE that
 * matches package.json, and test-only browsers kept out of what a store installs.
 */
import fs from "fs"
import path from "path"

const ROOT = path.join(__dirname, "..", "..")
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"))
const lock = JSON.parse(
  fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")
)

/** Bare package names the admin code imports (src/admin/**). */
function adminImports(): Set<string> {
  const names = new Set<string>()
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.(tsx?|jsx?)$/.test(e.name)) {
        for (const m of fs
          .readFileSync(p, "utf8")
          .matchAll(/from\s+"([^".][^"]*)"/g)) {
          const parts = m[1].split("/")
          names.add(
            m[1].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]
          )
        }
      }
    }
  }
  walk(path.join(ROOT, "src", "admin"))
  return names
}

describe("package.json", () => {
  it("declares Medusa peers as ranges from the tested version, not exact pins", () => {
    for (const name of [
      "@medusajs/framework",
      "@medusajs/medusa",
      "@medusajs/admin-sdk",
      "@medusajs/js-sdk",
      "@medusajs/icons",
    ]) {
      expect([name, pkg.peerDependencies[name]]).toEqual([name, "^2.21.2"])
      expect(pkg.devDependencies[name]).toBe("2.21.2")
    }
    expect(pkg.peerDependencies["@medusajs/ui"]).toBe("^4.2.6")
    expect(pkg.devDependencies["@medusajs/ui"]).toBe("4.2.6")
  })

  it("has no test-only peers", () => {
    expect(pkg.peerDependencies["@medusajs/test-utils"]).toBeUndefined()
    expect(pkg.peerDependencies["@medusajs/cli"]).toBeUndefined()
  })

  it("declares every package the admin bundle imports as a peer (Medusa's types are build-time only)", () => {
    const missing = [...adminImports()].filter(
      (n) =>
        n !== "@medusajs/types" &&
        !(n in pkg.peerDependencies) &&
        !(n in (pkg.dependencies ?? {}))
    )
    expect(missing).toEqual([])
    for (const n of [
      "react",
      "react-dom",
      "react-i18next",
      "react-router-dom",
      "@tanstack/react-query",
    ]) {
      expect(pkg.peerDependencies[n]).toBeTruthy()
      expect(pkg.peerDependenciesMeta[n]).toEqual({ optional: true })
    }
  })

  it("keeps package-lock.json in step (npm ci refuses a lock out of step)", () => {
    const root = lock.packages[""]
    expect(root.peerDependencies).toEqual(pkg.peerDependencies)
    expect(root.devDependencies).toEqual(pkg.devDependencies)
    expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {})
  })

  it("ships the browser for tests only: a devDependency, never a dependency", () => {
    expect(pkg.devDependencies["@sparticuz/chromium"]).toMatch(
      /^\d+\.\d+\.\d+$/
    )
    expect(pkg.devDependencies["@expo-google-fonts/noto-sans-jp"]).toMatch(
      /^\d+\.\d+\.\d+$/
    )
    expect(pkg.dependencies["@sparticuz/chromium"]).toBeUndefined()
  })

  it("has a LICENSE file matching its license field", () => {
    expect(pkg.license).toBe("MIT")
    const text = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8")
    expect(text).toMatch(/^MIT License/)
    expect(text).toContain("Permission is hereby granted, free of charge")
  })
})
