import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { ShopInput } from "../../../modules/line-gift/service"

/**
 * Turns a validated shop body into workflow input without any clear secret (issue 15 item 5b):
 * `client_secret` is sealed (encrypted) here, before the workflow, and travels as
 * `client_secret_encrypted`. The workflow engine may store inputs (its `workflow_execution`
 * table during a run, Redis, retention), so a clear secret must never be one.
 */
export function shopWorkflowInput<T extends ShopInput>(
  service: LineGiftModuleService,
  body: T
): Omit<T, "client_secret"> & { client_secret_encrypted?: string | null } {
  const { client_secret, ...rest } = body
  if (client_secret === undefined) return rest
  return {
    ...rest,
    client_secret_encrypted:
      client_secret === null || client_secret === ""
        ? null
        : service.sealSecret(client_secret),
  }
}
