/**
 * scripts/lib/browser.js: which Chromium the browser tests drive and the fonts it gets. (The
 * fallback itself — no system Chromium — is exercised by running the browser suites under
 * a namespace that hides /usr/bin/chromium; see README "Development".)
 */
import fs from "fs"
import path from "path"

const browser = require("../../scripts/lib/browser")

describe("browser for the tests", () => {
  const saved = process.env.E2E_CHROMIUM
  afterEach(() => {
    if (saved === undefined) delete process.env.E2E_CHROMIUM
    else process.env.E2E_CHROMIUM = saved
  })

  it("uses E2E_CHROMIUM when set, with a fontconfig file that adds Noto Sans JP to the system's fonts", async () => {
    process.env.E2E_CHROMIUM = "/opt/some/chrome"
    const found = await browser.findChromium()
    expect(found).toMatchObject({
      executablePath: "/opt/some/chrome",
      source: "env",
    })
    expect(found.args).toEqual(
      expect.arrayContaining([
        "--headless",
        "--no-sandbox",
        "--disable-background-networking",
      ])
    )
    const conf = fs.readFileSync(found.env.FONTCONFIG_FILE, "utf8")
    expect(conf).toContain(
      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
    )
    const noto = browser.resolvePackageDir("@expo-google-fonts/noto-sans-jp")
    expect(conf).toContain(`<dir>${path.join(noto, "400Regular")}</dir>`)
    expect(
      fs.existsSync(path.join(noto, "400Regular", "NotoSansJP_400Regular.ttf"))
    ).toBe(true)
  })

  it("has the npm Chromium installed for machines without a system one", () => {
    const dir = browser.resolvePackageDir("@sparticuz/chromium")
    expect(dir).toBeTruthy()
    for (const f of ["chromium.br", "al2023.tar.br", "fonts.tar.br"]) {
      expect(fs.existsSync(path.join(dir, "bin", f))).toBe(true)
    }
  })

  it("finds no package that is not installed", () => {
    expect(
      browser.resolvePackageDir("no-such-package-for-line-gift")
    ).toBeNull()
  })
})
