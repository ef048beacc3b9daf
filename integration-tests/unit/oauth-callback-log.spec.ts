/**
 * The OAuth callback's request line as Medusa logs it: Medusa mounts morgan with `:url`
 * (`req.originalUrl`, read when the response ends) at its default LOG_LEVEL "http", so
 * `GET /line-gift/oauth/callback?code=…&state=…` would put LINE Gift's authorization code in
 * every store's log. The route redacts it once read.
 */
import express from "express"
import http from "http"
import type { AddressInfo } from "net"
import { GET } from "../../src/api/line-gift/oauth/callback/route"

// morgan has no types here (Medusa's own dependency): required and typed by hand.
const morgan = require("morgan") as (
  format: string,
  opts: { stream: { write: (line: string) => void } }
) => express.RequestHandler

describe("OAuth callback: the request log line holds no authorization code", () => {
  it("logs the path with code and state redacted, and still answers with the redirect", async () => {
    const lines: string[] = []
    const app = express()
    // As Medusa's express-loader (development format; production logs the same :url as JSON).
    app.use(
      morgan(":method :url (:status)", {
        stream: { write: (l) => lines.push(l.trim()) },
      })
    )
    app.use((req, _res, next) => {
      const service = {
        getOptions: () => ({ backendUrl: "https://shop.example.jp" }),
        consumeOAuthStateToken: async () => {
          throw new Error("This authorisation was already used")
        },
      }
      Object.assign(req, { scope: { resolve: () => service } })
      next()
    })
    app.get("/line-gift/oauth/callback", (req, res) => {
      void GET(req as never, res as never)
    })
    const server = http.createServer(app)
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    try {
      const { port } = server.address() as AddressInfo
      const res = await fetch(
        `http://127.0.0.1:${port}/line-gift/oauth/callback?code=AUTHCODE-very-secret-123&state=STATE-abc.def`,
        { redirect: "manual" }
      )
      expect(res.status).toBe(302)
      expect(res.headers.get("location")).toMatch(
        /^https:\/\/shop\.example\.jp\/app\/settings\/line-gift\?oauth=error/
      )
      await new Promise((r) => setTimeout(r, 50))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^GET \/line-gift\/oauth\/callback\?/)
      expect(lines[0]).not.toContain("AUTHCODE-very-secret-123")
      expect(lines[0]).not.toContain("STATE-abc.def")
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
