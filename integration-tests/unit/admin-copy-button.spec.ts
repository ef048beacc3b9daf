/**
 * Copy buttons speak the admin's language: @medusajs/ui's Copy has a fixed English tooltip
 * ("Copy" / "Copied") and aria-label, so the plugin uses its own CopyButton everywhere.
 */
import fs from "fs"
import path from "path"
import { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import i18next from "i18next"
import { I18nextProvider, initReactI18next } from "react-i18next"
import { TooltipProvider } from "@medusajs/ui"
import resources from "../../src/admin/i18n"
import { CopyButton } from "../../src/admin/components/copy-button"

const ADMIN_DIR = path.join(__dirname, "..", "..", "src", "admin")

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(p)
    return /\.tsx?$/.test(e.name) ? [p] : []
  })
}

async function render(lng: "en" | "ja", label?: string) {
  const i18n = i18next.createInstance()
  await i18n.use(initReactI18next).init({
    resources,
    lng,
    ns: ["line-gift"],
    defaultNS: "line-gift",
  })
  return renderToStaticMarkup(
    createElement(
      I18nextProvider,
      { i18n },
      createElement(
        TooltipProvider,
        null,
        createElement(CopyButton, {
          content: "https://shop.example/line-gift/oauth/callback",
          label,
          testId: "copy",
        })
      )
    )
  )
}

describe("copy buttons", () => {
  it.each([
    ["ja", "コピー", "コピーしました", "リダイレクトURIをコピー"],
    ["en", "Copy", "Copied", "Copy the Redirect URI"],
  ] as const)(
    "are labelled in the admin's language (%s)",
    async (lng, copy, copied, redirect) => {
      const texts = (resources as any)[lng]["line-gift"]
      expect([texts.common.copy, texts.common.copied]).toEqual([copy, copied])
      expect(texts.tokens.copyRedirectUri).toBe(redirect)
      expect(await render(lng)).toContain(`aria-label="${copy}"`)
      const html = await render(lng, texts.tokens.copyRedirectUri)
      expect(html).toContain(`aria-label="${redirect}"`)
      expect(html).not.toContain("Copy code snippet")
    }
  )

  it("@medusajs/ui's Copy (English tooltip) is used nowhere in the admin", () => {
    const users = sourceFiles(ADMIN_DIR).filter((file) =>
      /import\s*\{[^}]*\bCopy\b[^}]*\}\s*from\s*"@medusajs\/ui"/.test(
        fs.readFileSync(file, "utf8")
      )
    )
    expect(users.map((f) => path.relative(ADMIN_DIR, f))).toEqual([])
  })
})
