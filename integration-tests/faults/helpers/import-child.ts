/**
 * A separate importing process for the crash tests (run with `medusa exec`, against the
 * test's database): what an import run of the app does — recover interrupted imports of the
 * shop, then import — under the shop's import lock. Prints `IMPORT_START` before, and
 * `IMPORT_DONE {json}` after. The test kills it (SIGKILL) at random moments in between, or
 * the process kills itself at a chosen workflow step boundary (see crash hook below).
 *
 * Env: LINE_GIFT_TEST_SHOP_ID, LINE_GIFT_TEST_FROM / _TO (ISO), plus the app's own
 * (DATABASE_URL, LINE_GIFT_SANDBOX_URL, LINE_GIFT_ENCRYPTION_KEY, LINE_GIFT_IMPORT_LEASE_SECONDS).
 * Crash hook (test only, nothing in the plugin; see installCrashHook):
 * - LINE_GIFT_TEST_LIST_STEPS=1: prints `STEP <n> <workflow>:<step>` at every step boundary
 *   (each successful workflow step, nested core workflows included) after IMPORT_START;
 * - LINE_GIFT_TEST_CRASH_AFTER_STEP=<n>: SIGKILLs itself right after the n-th such boundary —
 *   exactly what a crash between step n and step n+1 leaves behind (no compensation runs);
 * - LINE_GIFT_TEST_FREEZE_ORDERS_JSON (raw orders) with LINE_GIFT_TEST_PATH=bulk|per-order:
 *   freeze mode, one order stopped after each boundary in one process (freezeAtEveryBoundary).
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
import { importLineGiftOrdersPage } from "../../../src/workflows/import-bulk/run-page"
import { parseLineGiftOrder } from "../../../src/lib/line-gift/schemas"
import { recoverInterruptedLineGiftImports } from "../../../src/workflows/recovery/recover-interrupted-imports"

/** What the crash hook does (see the file comment). */
const hook = {
  /** Count boundaries and print them. */
  list: process.env.LINE_GIFT_TEST_LIST_STEPS === "1",
  /** SIGKILL after this boundary (0: never). */
  killAfter: Number(process.env.LINE_GIFT_TEST_CRASH_AFTER_STEP ?? 0),
  /** Freeze the import after this boundary (0: never); set per order in freeze mode. */
  freezeAfter: 0,
  n: 0,
  names: [] as string[],
  onFrozen: null as null | ((n: number, name: string) => void),
}

/**
 * Every workflow step success goes through DistributedTransaction#emit("stepSuccess"), nested
 * core workflows included, and the orchestrator awaits the transaction's saveCheckpoint()
 * before it runs any further step: a checkpoint that never resolves freezes that import right
 * after the step, exactly where a crash would leave it (its writes done, nothing after, no
 * compensation).
 */
function installCrashHook() {
  const emit = DistributedTransaction.prototype.emit
  DistributedTransaction.prototype.emit = function (
    this: any,
    event: any,
    ...args: any[]
  ) {
    const step = args[0]?.step
    if (
      event === "stepSuccess" &&
      step &&
      step.id !== "_root" &&
      !step.isCompensating?.() &&
      !this.__lgFrozen
    ) {
      hook.n++
      const name = `${this.modelId}:${step.definition?.action ?? step.id}`
      hook.names.push(name)
      if (hook.list) process.stdout.write(`STEP ${hook.n} ${name}\n`)
      if (hook.n === hook.killAfter) {
        process.stdout.write(`CRASH_AT ${hook.n} ${name}\n`)
        process.kill(process.pid, "SIGKILL")
      }
      if (hook.n === hook.freezeAfter) {
        this.__lgFrozen = true
        hook.onFrozen?.(hook.n, name)
      }
    }
    return emit.call(this, event, ...args)
  } as any
  const saveCheckpoint = DistributedTransaction.prototype.saveCheckpoint
  DistributedTransaction.prototype.saveCheckpoint = function (
    this: any,
    ...args: any[]
  ) {
    if (this.__lgFrozen) return new Promise<never>(() => {})
    return (saveCheckpoint as any).apply(this, args)
  } as any
}

/**
 * Freeze mode (LINE_GIFT_TEST_FREEZE_ORDERS_JSON, a list of raw orders): the first order is
 * imported whole and its step boundaries counted (N); then order k (1 ≤ k ≤ N) is imported and
 * frozen right after boundary k, one after the other, in this one process, which then exits
 * (SIGKILL: nothing runs after). Prints `FROZEN <k> <boundary> <LINE Gift order id>`.
 */
async function freezeAtEveryBoundary(
  importOne: (raw: any) => Promise<unknown>
) {
  const raws = JSON.parse(
    process.env.LINE_GIFT_TEST_FREEZE_ORDERS_JSON!
  ) as any[]
  hook.n = 0
  hook.names = []
  await importOne(raws[0])
  const boundaries = [...hook.names]
  process.stdout.write(`BOUNDARIES ${JSON.stringify(boundaries)}\n`)
  for (let k = 1; k <= boundaries.length && k < raws.length; k++) {
    hook.n = 0
    hook.freezeAfter = k
    const frozen = new Promise<string>(
      (resolve) => (hook.onFrozen = (_n, name) => resolve(name))
    )
    const run = importOne(raws[k]).then(
      () => "finished",
      (e) => `failed: ${e?.message ?? e}`
    )
    const outcome = await Promise.race([frozen, run])
    process.stdout.write(`FROZEN ${k} ${outcome} ${raws[k].id}\n`)
    // Let parallel siblings of the frozen step settle before the next order counts boundaries.
    await new Promise((r) => setTimeout(r, 300))
  }
  hook.freezeAfter = 0
  process.stdout.write(
    `IMPORT_DONE ${JSON.stringify({ state: "frozen", boundaries: boundaries.length })}\n`
  )
  process.kill(process.pid, "SIGKILL")
}

export default async function importChild({ container }: ExecArgs) {
  const shopId = process.env.LINE_GIFT_TEST_SHOP_ID!
  const service: any = container.resolve(LINE_GIFT_MODULE)
  const shop = await retrieveImportableShop(service, shopId)
  installCrashHook()
  process.stdout.write("IMPORT_START\n")
  const target = {
    shop_id: shopId,
    run_id: null,
    region_id: shop.region_id,
    sales_channel_id: shop.sales_channel_id ?? null,
    shipping_option_id: shop.shipping_option_id ?? null,
    email: lineGiftCustomerEmail(shopId),
  }
  const importOne = async (raw: any) => {
    const parsed = parseLineGiftOrder(raw)
    if (!parsed.ok) throw new Error(parsed.reason)
    if (process.env.LINE_GIFT_TEST_PATH === "per-order") {
      return importLineGiftOrderWorkflow(container).run({
        input: { ...target, order: parsed.order, raw },
      })
    }
    return importLineGiftOrdersPage(container, {
      ...target,
      orders: [{ order: parsed.order, raw }],
    })
  }
  if (process.env.LINE_GIFT_TEST_FREEZE_ORDERS_JSON) {
    await freezeAtEveryBoundary(importOne)
    return
  }
  const out = await withShopImportLock(container, shop, async () => {
    const recovery = await recoverInterruptedLineGiftImports(container, shopId)
    const { run, created } = await importUnderLock(container, service, shop, {
      shop_id: shopId,
      from: new Date(process.env.LINE_GIFT_TEST_FROM!),
      to: new Date(process.env.LINE_GIFT_TEST_TO!),
      statuses: ["payment"],
    })
    return {
      recovery,
      state: run.state,
      errors: run.errors,
      created: created.length,
    }
  })
  process.stdout.write(`IMPORT_DONE ${JSON.stringify(out)}\n`)
}
