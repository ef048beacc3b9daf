/**
 * `medusa exec ./scripts/seed-demo.ts`: seeds the demo store (see scripts/lib/seed-store.ts)
 * and an admin user, then writes what it made to .demo/seed.json for the demo script.
 */
import fs from "fs"
import path from "path"
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { seedDemoStore } from "./lib/seed-store"

export const DEMO_ADMIN_EMAIL =
  process.env.DEMO_ADMIN_EMAIL || "admin@example.com"
export const DEMO_ADMIN_PASSWORD =
  process.env.DEMO_ADMIN_PASSWORD || "supersecret"

export default async function seedDemo({ container }: ExecArgs) {
  const seeded = await seedDemoStore(container)

  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const [existing] = await userModule.listUsers({ email: DEMO_ADMIN_EMAIL })
  if (!existing) {
    const user = await userModule.createUsers({ email: DEMO_ADMIN_EMAIL })
    const { authIdentity, error } = await authModule.register("emailpass", {
      body: { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD },
    } as any)
    if (error || !authIdentity) {
      throw new Error(`could not create the demo admin: ${error}`)
    }
    await authModule.updateAuthIdentities({
      id: authIdentity.id,
      app_metadata: { user_id: user.id },
    })
  }

  const out = path.join(process.cwd(), ".demo", "seed.json")
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(
    out,
    JSON.stringify({ ...seeded, admin_email: DEMO_ADMIN_EMAIL }, null, 2)
  )
}
