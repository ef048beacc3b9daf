/**
 * A separate importing process for the crash tests (run with `medusa exec`, against the
 * test's database): what an import run of the app does — recover interrupted imports of the
 * shop, then import — under the shop's import lock. Prints `IMPORT_START` before, and
 * `IMPORT_DONE {json}` after. The test kills it (SIGKILL) at random moments in between, or
 * the process kills itself at a chosen workflow step boundary (see crash hook below).
 *
 * Env: LINE_GIFT_TEST_SHOP_ID, LINE_GIFT_TEST_FROM / _TO (ISO), plus the app's own
 * (DATABASE_URL, LINE_GIFT_SANDBOX_URL, LINE_GIFT_ENCRYPTION_KEY, LINE_GIFT_IMPORT_LEASE_SECONDS).
 * Crash hook (test only, nothing in the plugin):
 * - LINE_GIFT_TEST_LIST_STEPS=1: prints `STEP <n> <workflow>:<step>` at every step boundary
 *   (each successful workflow step, nested core workflows included) after IMPORT_START;
 * - LINE_GIFT_TEST_CRASH_AFTER_STEP=<n>: SIGKILLs itself right after the n-th such boundary —
 *   exactly what a crash between step n and step n+1 leaves behind (no compensation runs).
 * - LINE_GIFT_TEST_PATH=per-order with LINE_GIFT_TEST_ORDER_JSON (one raw LINE Gift order):
 *   imports that order with the per-order workflow (the bulk path's fallback) instead of a run.
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { DistributedTransaction } from "@medusajs/framework/orchestration"
import { LINE_GIFT_MODULE } from "../../../src/modules/line-gift"
import {
  importUnderLock,
  lineGiftCustomerEmail,
  retrieveImportableShop,
  withShopImportLock,
} from "../../../src/workflows/import/run-import"
import { importLineGiftOrderWorkflow } from "../../../src/workflows/import/workflows/import-line-gift-order"
import { parseLineGiftOrder } from "../../../src/lib/line-gift/schemas"
import { recoverInterruptedLineGiftImports } from "../../../src/workflows/recovery/recover-interrupted-imports"

/** Every workflow step success goes through DistributedTransaction#emit("stepSuccess"). */
function installCrashHook() {
  const list = process.env.LINE_GIFT_TEST_LIST_STEPS === "1"
  const crashAfter = Number(process.env.LINE_GIFT_TEST_CRASH_AFTER_STEP ?? 0)
  if (!list && !crashAfter) return
  let n = 0
  const original = DistributedTransaction.prototype.emit
  DistributedTransaction.prototype.emit = function (this: any, event: any, ...args: any[]) {
    const step = args[0]?.step
    if (event === "stepSuccess" && step && step.id !== "_root" && !step.isCompensating?.()) {
      n++
      const name = `${this.modelId}:${step.definition?.action ?? step.id}`
      if (list) process.stdout.write(`STEP ${n} ${name}\n`)
      if (n === crashAfter) {
        process.stdout.write(`CRASH_AT ${n} ${name}\n`)
        process.kill(process.pid, "SIGKILL")
      }
    }
    return original.call(this, event, ...args)
  } as any
}

export default async function importChild({ container }: ExecArgs) {
  const shopId = process.env.LINE_GIFT_TEST_SHOP_ID!
  const service: any = container.resolve(LINE_GIFT_MODULE)
  const shop = await retrieveImportableShop(service, shopId)
  installCrashHook()
  process.stdout.write("IMPORT_START\n")
  const out = await withShopImportLock(container, shop, async () => {
    const recovery = await recoverInterruptedLineGiftImports(container, shopId)
    if (process.env.LINE_GIFT_TEST_PATH === "per-order") {
      const raw = JSON.parse(process.env.LINE_GIFT_TEST_ORDER_JSON!)
      const parsed = parseLineGiftOrder(raw)
      if (!parsed.ok) throw new Error(parsed.reason)
      const { result } = await importLineGiftOrderWorkflow(container).run({
        input: {
          shop_id: shopId,
          run_id: null,
          order: parsed.order,
          raw,
          region_id: shop.region_id,
          sales_channel_id: shop.sales_channel_id ?? null,
          shipping_option_id: shop.shipping_option_id ?? null,
          email: lineGiftCustomerEmail(shopId),
        },
      })
      return { recovery, state: "succeeded", errors: [], created: result.order_id ? 1 : 0 }
    }
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
