/**
 * `medusa exec ./integration-tests/e2e/seed.ts`: the browser test's store — the demo store
 * (scripts/lib/seed-store.ts) and an admin user — written to E2E_SEED_OUT as JSON.
 * Unlike scripts/seed-demo.ts it does not touch .demo/ (the demo's own data).
 */
import fs from "fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { seedDemoStore } from "../../scripts/lib/seed-store"

export const E2E_ADMIN_EMAIL = "admin@example.com"
export const E2E_ADMIN_PASSWORD = "supersecret"

export default async function seedE2e({ container }: ExecArgs) {
  const seeded = await seedDemoStore(container)
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const [existing] = await userModule.listUsers({ email: E2E_ADMIN_EMAIL })
  if (!existing) {
    const user = await userModule.createUsers({ email: E2E_ADMIN_EMAIL })
    const { authIdentity, error } = await authModule.register("emailpass", {
      body: { email: E2E_ADMIN_EMAIL, password: E2E_ADMIN_PASSWORD },
    } as any)
    if (error || !authIdentity)
      throw new Error(`could not create the e2e admin: ${error}`)
    await authModule.updateAuthIdentities({
      id: authIdentity.id,
      app_metadata: { user_id: user.id },
    })
  }
  const out = process.env.E2E_SEED_OUT
  if (out)
    fs.writeFileSync(
      out,
      JSON.stringify({ ...seeded, admin_email: E2E_ADMIN_EMAIL }, null, 2)
    )
}
