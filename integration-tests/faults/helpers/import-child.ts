/**
 * A separate importing process for the crash tests (run with `medusa exec`, against the
 * test's database): what an import run of the app does — recover interrupted imports of the
 * shop, then import — under the shop's import lock. Prints `IMPORT_START` before, and
 * `IMPORT_DONE {json}` after. The test kills it (SIGKILL) at random moments in between.
 *
 * Env: LINE_GIFT_TEST_SHOP_ID, LINE_GIFT_TEST_FROM / _TO (ISO), plus the app's own
 * (DATABASE_URL, LINE_GIFT_SANDBOX_URL, LINE_GIFT_ENCRYPTION_KEY, LINE_GIFT_IMPORT_LEASE_SECONDS).
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { LINE_GIFT_MODULE } from "../../../src/modules/line-gift"
import { importUnderLock, retrieveImportableShop, withShopImportLock } from "../../../src/workflows/import/run-import"
import { recoverInterruptedLineGiftImports } from "../../../src/workflows/recovery/recover-interrupted-imports"

export default async function importChild({ container }: ExecArgs) {
  const shopId = process.env.LINE_GIFT_TEST_SHOP_ID!
  const service: any = container.resolve(LINE_GIFT_MODULE)
  const shop = await retrieveImportableShop(service, shopId)
  process.stdout.write("IMPORT_START\n")
  const out = await withShopImportLock(container, shop, async () => {
    const recovery = await recoverInterruptedLineGiftImports(container, shopId)
    const { run, created } = await importUnderLock(container, service, shop, {
      shop_id: shopId,
      from: new Date(process.env.LINE_GIFT_TEST_FROM!),
      to: new Date(process.env.LINE_GIFT_TEST_TO!),
      statuses: ["payment"],
    })
    return { recovery, state: run.state, errors: run.errors, created: created.length }
  })
  process.stdout.write(`IMPORT_DONE ${JSON.stringify(out)}\n`)
}
