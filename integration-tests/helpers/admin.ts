/**
 * Test helper: an admin user with a session token, made through Medusa's own user and auth
 * modules and its real login route.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

export const ADMIN_EMAIL = "admin@example.com"
export const ADMIN_PASSWORD = "supersecret-test-password"

/** Creates the admin (once per database) and returns axios options with its bearer token. */
export async function adminHeaders(
  container: MedusaContainer,
  api: any
): Promise<{ headers: Record<string, string> }> {
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const [existing] = await userModule.listUsers({ email: ADMIN_EMAIL })
  if (!existing) {
    const user = await userModule.createUsers({ email: ADMIN_EMAIL })
    const { authIdentity, error } = await authModule.register("emailpass", {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    } as any)
    if (error || !authIdentity) {
      throw new Error(`admin registration failed: ${error}`)
    }
    await authModule.updateAuthIdentities({
      id: authIdentity.id,
      app_metadata: { user_id: user.id },
    })
  }
  const { data } = await api.post("/auth/user/emailpass", {
    email: ADMIN_EMAIL,
    password: ADMIN_PASSWORD,
  })
  return { headers: { authorization: `Bearer ${data.token}` } }
}
