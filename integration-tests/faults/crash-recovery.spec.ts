/**
 * Crash recovery of imports, against real PostgreSQL:
 * - the two states a dead import can leave, set up exactly (claimed with no order yet;
 *   claimed with its Medusa order created but nothing after): recovery retries the first and
 *   finishes the second on its existing order — never a second order;
 * - kill -9 of a separate importing process (`medusa exec` of helpers/import-child.ts) at
 *   random moments, then a rerun → exactly one Medusa order per LINE Gift order, none missing.
 * And, as this suite has a database with stored secrets and starts app processes anyway: the
 * start-up key check and the `rotate-key` CLI, each in a real `medusa exec` process.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { LinkDefinition } from "@medusajs/framework/types"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { sandboxForSuite } from "../helpers/line-gift"
import { createAutomaticPromotion } from "../helpers/orders"
import { seedDemoStore, type SeededStore } from "../../scripts/lib/seed-store"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import lineGiftOrderOrderLink from "../../src/links/line-gift-order-order"
import {
  runLineGiftImport,
  lineGiftCustomerEmail,
} from "../../src/workflows/import/run-import"
import { parseLineGiftOrder } from "../../src/lib/line-gift/schemas"
import { lineGiftSku, mapLineGiftOrder } from "../../src/lib/mapping"
import { decryptSecret, parseEncryptionKey } from "../../src/lib/crypto"
import {
  INTERRUPTED_IMPORT_REASON,
  recoverInterruptedLineGiftImports,
} from "../../src/workflows/recovery/recover-interrupted-imports"
import type { RecoveryPaymentModule } from "../../src/workflows/recovery/payment-module"
import {
  importLineGiftOrdersBulkWorkflow,
  type ImportLineGiftOrdersBulkInput,
} from "../../src/workflows/import-bulk/workflows/import-line-gift-orders-bulk"
import { KEPT_IMPORTING_REASON } from "../../src/modules/line-gift/service"
import { retryLineGiftOrderRecord } from "../../src/workflows/records/retry-line-gift-order"
import { importLineGiftOrderWorkflow } from "../../src/workflows/import/workflows/import-line-gift-order"
import {
  importLineGiftOrdersPage,
  type ImportPageResult,
} from "../../src/workflows/import-bulk/run-page"

jest.setTimeout(600_000)

const REPO_ROOT = path.join(__dirname, "../..")
const sandbox = sandboxForSuite()

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ getContainer, dbConfig }) => {
    let store: SeededStore
    let shopId: string
    const service = () =>
      getContainer().resolve(LINE_GIFT_MODULE) as LineGiftModuleService

    beforeAll(async () => {
      store = await seedDemoStore(getContainer())
      const shop = await service().createShop({
        name: "クラッシュ試験店",
        client_id: "sandbox-client-id",
        client_secret: "sandbox-client-secret",
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
      })
      shopId = shop.id
    })

    beforeEach(async () => {
      sandbox.reset()
      const pair = sandbox.issueTokens()
      await service().saveTokens(shopId, {
        accessToken: pair.access_token,
        accessTokenExpiresAt: new Date(Date.now() + 30 * 86400_000),
        refreshToken: pair.refresh_token,
        refreshTokenExpiresAt: new Date(Date.now() + 90 * 86400_000),
      })
    })

    /**
     * Orders we add, with a SKU the demo store has (so stock is reserved).
     * @param idPrefix LINE Gift order ids `<idPrefix>-1`…, for orders no other test of the suite
     *   imports (the sandbox's own ids start over after each reset)
     */
    const addOrders = (n: number, idPrefix?: string) => {
      const sku = Object.keys(store.variants)[0]
      return Array.from({ length: n }, (_, k) => {
        const o = sandbox.addOrder(
          (idPrefix ? { id: `${idPrefix}-${k + 1}` } : {}) as any
        ) as any
        o.variation = { ...(o.variation ?? {}), code: sku }
        return o.id as string
      })
    }

    const ordersByLineGiftId = async (): Promise<Map<string, string[]>> => {
      const orders = (await getContainer()
        .resolve(Modules.ORDER)
        .listOrders({}, {
          select: ["id", "metadata"],
          take: null,
        } as any)) as any[]
      const map = new Map<string, string[]>()
      for (const o of orders) {
        const id = o.metadata?.line_gift?.order_id
        if (id) map.set(id, [...(map.get(id) ?? []), o.id])
      }
      return map
    }

    /** Exactly one order per id, paid, stock reserved, linked to an `imported` record. */
    const expectExactlyOnceAndComplete = async (ids: string[]) => {
      const byId = await ordersByLineGiftId()
      const counts = ids.map((id) => [id, byId.get(id)?.length ?? 0])
      expect(counts).toEqual(ids.map((id) => [id, 1]))
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "line_gift_order",
        fields: ["line_gift_order_id", "state", "order.id"],
        filters: { shop_id: shopId, line_gift_order_id: ids },
      })
      expect(
        (data as any[])
          .map((r) => [r.line_gift_order_id, r.state, r.order?.id])
          .sort()
      ).toEqual(ids.map((id) => [id, "imported", byId.get(id)![0]]).sort())
      const orderIds = ids.map((id) => byId.get(id)![0])
      const { data: orders } = await query.graph({
        entity: "order",
        fields: ["id", "items.id", "payment_collections.status"],
        filters: { id: orderIds },
      })
      const inventory = getContainer().resolve(Modules.INVENTORY)
      for (const o of orders as any[]) {
        expect(o.payment_collections.map((pc: any) => pc.status)).toEqual([
          "completed",
        ])
        const reservations = await inventory.listReservationItems({
          line_item_id: o.items.map((i: any) => i.id),
        })
        expect(reservations.length).toBeGreaterThanOrEqual(1)
      }
    }

    const importWindow = () => ({
      from: new Date(Date.now() - 5 * 60_000),
      to: new Date(Date.now() + 30 * 60_000),
    })
    const childEnv = (extra: Record<string, string> = {}) => {
      const w = importWindow()
      return {
        ...process.env,
        DATABASE_URL: dbConfig.clientUrl,
        LINE_GIFT_SANDBOX_URL: sandbox.url,
        LINE_GIFT_IMPORT_LEASE_SECONDS: "0",
        LINE_GIFT_TEST_SHOP_ID: shopId,
        LINE_GIFT_TEST_FROM: w.from.toISOString(),
        LINE_GIFT_TEST_TO: w.to.toISOString(),
        LOG_LEVEL: "error",
        NODE_ENV: "test",
        ...extra,
      }
    }
    const medusa = path.join(REPO_ROOT, "node_modules", ".bin", "medusa")

    /**
     * Runs the importing process (helpers/import-child.ts); kills it `killAfterMs` after
     * IMPORT_START (null: let it finish, or let its own crash hook kill it — see `extra`).
     */
    const runChild = (
      killAfterMs: number | null,
      extra: Record<string, string> = {}
    ) =>
      new Promise<{ killed: boolean; done: any; output: string }>(
        (resolve, reject) => {
          const child = spawn(
            medusa,
            ["exec", "./integration-tests/faults/helpers/import-child.ts"],
            {
              cwd: REPO_ROOT,
              env: childEnv(extra),
              stdio: ["ignore", "pipe", "pipe"],
            }
          )
          let output = ""
          let killed = false
          let timer: NodeJS.Timeout | undefined
          const onData = (chunk: Buffer) => {
            output += String(chunk)
            if (
              killAfterMs !== null &&
              !timer &&
              output.includes("IMPORT_START")
            ) {
              timer = setTimeout(() => {
                killed = child.exitCode === null
                child.kill("SIGKILL")
              }, killAfterMs)
            }
          }
          child.stdout.on("data", onData)
          child.stderr.on("data", onData)
          child.on("error", reject)
          child.on("exit", () => {
            if (timer) clearTimeout(timer)
            const line = output
              .split("\n")
              .find((l) => l.startsWith("IMPORT_DONE "))
            resolve({
              killed,
              done: line ? JSON.parse(line.slice("IMPORT_DONE ".length)) : null,
              output,
            })
          })
        }
      )

    /**
     * What is wrong with the import of each given LINE Gift order (empty: nothing): exactly one
     * Medusa order; its record `imported` and linked to it once; exactly one payment
     * collection linked, completed, with one payment captured once for the order total and one
     * order transaction for it (paid_total == total, pending_difference 0); one reservation per
     * managed line item and inventory item, for the right quantity.
     * @param shop the shop the orders were imported for (default: the suite's)
     */
    const importProblems = async (
      ids: string[],
      shop: string = shopId
    ): Promise<string[]> => {
      const problems: string[] = []
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const payment: any = container.resolve(Modules.PAYMENT)
      const orderModule: any = container.resolve(Modules.ORDER)
      const inventory = container.resolve(Modules.INVENTORY)
      const byId = await ordersByLineGiftId()
      for (const id of ids) {
        const orderIds = byId.get(id) ?? []
        if (orderIds.length !== 1) {
          problems.push(`${id}: ${orderIds.length} Medusa orders`)
          continue
        }
        const [orderId] = orderIds
        const { data: records } = await query.graph({
          entity: "line_gift_order",
          fields: ["id", "state", "order.id"],
          filters: { shop_id: shop, line_gift_order_id: id },
        })
        const record = records[0] as any
        if (record?.state !== "imported" || record?.order?.id !== orderId) {
          problems.push(
            `${id}: record ${record?.state} linked to ${record?.order?.id ?? "nothing"}`
          )
        }
        const { data: recordLinks } = await query.graph({
          entity: lineGiftOrderOrderLink.entryPoint,
          fields: ["*"],
          filters: { order_id: orderId },
        })
        if (recordLinks.length !== 1)
          problems.push(
            `${id}: ${recordLinks.length} record links to the order`
          )
        const { data: pcLinks } = await query.graph({
          entity: "order_payment_collection",
          fields: ["order_id", "payment_collection_id"],
          filters: { order_id: orderId },
        })
        const { data: orders } = await query.graph({
          entity: "order",
          fields: [
            "id",
            "total",
            "summary.*",
            "items.*",
            "items.variant.manage_inventory",
            "items.variant.inventory_items.*",
          ],
          filters: { id: orderId },
        })
        const order = orders[0] as any
        const total = Number(order.total)
        const collectionIds = (pcLinks as any[]).map(
          (l) => l.payment_collection_id
        )
        if (collectionIds.length !== 1)
          problems.push(
            `${id}: ${collectionIds.length} payment collections linked`
          )
        const collections = collectionIds.length
          ? ((await payment.listPaymentCollections({
              id: collectionIds,
            })) as any[])
          : []
        for (const pc of collections) {
          if (
            pc.status !== "completed" ||
            Number(pc.amount) !== total ||
            Number(pc.captured_amount) !== total
          ) {
            problems.push(
              `${id}: collection ${pc.status} amount ${pc.amount} captured ${pc.captured_amount} (total ${total})`
            )
          }
        }
        const payments = collectionIds.length
          ? ((await payment.listPayments(
              { payment_collection_id: collectionIds },
              { relations: ["captures"] }
            )) as any[])
          : []
        const captures = payments.flatMap((p) => p.captures ?? [])
        if (
          payments.length !== 1 ||
          captures.length !== 1 ||
          Number(captures[0]?.amount) !== total
        ) {
          problems.push(
            `${id}: ${payments.length} payments, captures ${JSON.stringify(captures.map((c) => Number(c.amount)))} (total ${total})`
          )
        }
        const transactions = (await orderModule.listOrderTransactions({
          order_id: orderId,
        })) as any[]
        const captureIds = new Set(captures.map((c) => c.id))
        if (
          transactions.length !== 1 ||
          Number(transactions[0].amount) !== total ||
          !captureIds.has(transactions[0].reference_id)
        ) {
          problems.push(
            `${id}: order transactions ${JSON.stringify(transactions.map((t) => [t.reference, Number(t.amount)]))} (total ${total})`
          )
        }
        const paid = Number(order.summary?.paid_total)
        const pending = Number(order.summary?.pending_difference)
        if (paid !== total || pending !== 0)
          problems.push(
            `${id}: paid_total ${paid}, pending_difference ${pending} (total ${total})`
          )
        for (const item of order.items ?? []) {
          if (!item.variant?.manage_inventory) continue
          const reservations = (await inventory.listReservationItems({
            line_item_id: item.id,
          })) as any[]
          const want = (item.variant.inventory_items ?? []).map((ii: any) => [
            ii.inventory_item_id,
            Number(item.quantity) * Number(ii.required_quantity ?? 1),
          ])
          const got = reservations.map((r) => [
            r.inventory_item_id,
            Number(r.quantity),
          ])
          if (JSON.stringify(got.sort()) !== JSON.stringify(want.sort())) {
            problems.push(
              `${id}: reservations ${JSON.stringify(got)}, want ${JSON.stringify(want)}`
            )
          }
        }
      }
      // No captured money outside an order: every collection that is not `not_paid` is linked.
      const all = (await payment.listPaymentCollections(
        {},
        { take: null }
      )) as any[]
      const { data: allLinks } = await query.graph({
        entity: "order_payment_collection",
        fields: ["payment_collection_id", "order_id"],
      })
      // Linked to an order that exists (a link left to a deleted order links to nothing).
      const liveOrders = new Set(
        (
          (await orderModule.listOrders(
            { id: (allLinks as any[]).map((l) => l.order_id) },
            { select: ["id"], take: null }
          )) as any[]
        ).map((o) => o.id)
      )
      const linked = new Set(
        (allLinks as any[])
          .filter((l) => liveOrders.has(l.order_id))
          .map((l) => l.payment_collection_id)
      )
      const orphans = all.filter(
        (pc) => pc.status !== "not_paid" && !linked.has(pc.id)
      )
      if (orphans.length)
        problems.push(
          `${orphans.length} paid/captured payment collection(s) linked to no order`
        )
      return problems
    }

    /**
     * Stops an import at EVERY step boundary of an import path (nested core workflows
     * included), one new order per boundary, all in one importing process (freeze mode of
     * helpers/import-child.ts: the import of order k stops right after boundary k, then the
     * process is SIGKILLed), then recovers (lease over) and re-runs the import.
     * @returns the boundaries, and per boundary what is wrong afterwards (see importProblems)
     */
    const crashAtEveryBoundary = async (
      importPath: "bulk" | "per-order",
      spare = 80
    ) => {
      const ids = addOrders(spare)
      const child = await runChild(null, {
        LINE_GIFT_TEST_PATH: importPath,
        LINE_GIFT_TEST_FREEZE_ORDERS_JSON: JSON.stringify(
          ids.map((id) => sandbox.getOrder(id))
        ),
      })
      const line = child.output
        .split("\n")
        .find((l) => l.startsWith("BOUNDARIES "))
      if (!line) throw new Error(`no boundaries: ${child.output.slice(-3000)}`)
      const boundaries = JSON.parse(
        line.slice("BOUNDARIES ".length)
      ) as string[]
      const problems: string[] = []
      const frozen = new Map<number, string>()
      for (const l of child.output
        .split("\n")
        .filter((l) => l.startsWith("FROZEN "))) {
        const [, k, outcome, id] = l.split(" ")
        frozen.set(Number(k), id)
        // Steps that core runs in parallel may finish in another order from one import to the
        // next: what counts is that import k stopped after k steps, at a step of the path.
        if (!boundaries.includes(outcome))
          problems.push(`boundary ${k}: not stopped (${outcome})`)
      }
      if (boundaries.length >= spare)
        problems.push(`more boundaries (${boundaries.length}) than orders`)
      for (let k = 1; k <= Math.min(boundaries.length, spare - 1); k++) {
        if (!frozen.has(k))
          problems.push(`boundary ${k} ${boundaries[k - 1]}: not reached`)
      }
      const recovery = await recoverInterruptedLineGiftImports(
        getContainer(),
        shopId,
        { leaseMs: 0 }
      )
      if (recovery.errors.length)
        problems.push(`recovery errors ${JSON.stringify(recovery.errors)}`)
      await runLineGiftImport(getContainer(), {
        shop_id: shopId,
        ...importWindow(),
      })
      for (const [k, id] of frozen) {
        for (const p of await importProblems([id]))
          problems.push(`after step ${k} ${boundaries[k - 1]}: ${p}`)
      }
      for (const p of await importProblems([ids[0]]))
        problems.push(`uninterrupted import: ${p}`)

      console.info(
        `${importPath}: stopped after each of ${boundaries.length} step boundaries: ${boundaries.map((b, i) => `${i + 1} ${b}`).join(", ")}`
      )
      return { boundaries, problems }
    }

    it("retries an import that died before creating its order, and finishes one that died after, on its existing order", async () => {
      const [before, after] = addOrders(2)
      const lineGift = (id: string) => {
        const parsed = parseLineGiftOrder(sandbox.getOrder(id))
        if (!parsed.ok) throw new Error(parsed.reason)
        return parsed.order
      }
      // Both claimed by an import that then died…
      for (const id of [before, after]) {
        const order = lineGift(id)
        await service().claimOrder({
          shop_id: shopId,
          line_gift_order_id: id,
          line_gift_status: order.status,
          raw: sandbox.getOrder(id),
          run_id: null,
        })
      }
      // …the second one after createOrderWorkflow (no payment, reservation, link yet).
      const order = lineGift(after)
      const sku = lineGiftSku(order)!
      const mapped = mapLineGiftOrder(order, {
        shopId,
        regionId: store.region_id,
        salesChannelId: store.sales_channel_id,
        currencyCode: "jpy",
        email: lineGiftCustomerEmail(shopId),
        shippingOptionId: store.shipping_option_id,
        variantsBySku: new Map([
          [
            sku,
            {
              id: store.variants[sku],
              sku,
              title: null,
              product_title: null,
              manage_inventory: true,
            },
          ],
        ]),
      })
      const { result: orphan } = await createOrderWorkflow(getContainer()).run({
        input: mapped.input as any,
      })

      // A run meanwhile (within the lease) leaves both alone: someone may still be importing them.
      const within = await runLineGiftImport(getContainer(), {
        shop_id: shopId,
        from: new Date(Date.now() - 5 * 60_000),
        to: new Date(Date.now() + 60_000),
      })
      expect(within.created).toEqual([])
      expect(
        await recoverInterruptedLineGiftImports(getContainer(), shopId)
      ).toEqual({
        finished: [],
        released: [],
        errors: [],
      })

      // Once the lease is over: recovery.
      const recovery = await recoverInterruptedLineGiftImports(
        getContainer(),
        shopId,
        { leaseMs: 0 }
      )
      expect(recovery).toEqual({
        finished: [{ line_gift_order_id: after, order_id: orphan.id }],
        released: [before],
        errors: [],
      })
      const [released] = await service().listLineGiftOrders({
        shop_id: shopId,
        line_gift_order_id: before,
      })
      expect(released).toMatchObject({
        state: "failed",
        failure_reason: INTERRUPTED_IMPORT_REASON,
      })

      const rerun = await runLineGiftImport(getContainer(), {
        shop_id: shopId,
        from: new Date(Date.now() - 5 * 60_000),
        to: new Date(Date.now() + 60_000),
      })
      expect(rerun.created.map((c) => c.line_gift_order_id)).toEqual([before])
      await expectExactlyOnceAndComplete([before, after])
      expect((await ordersByLineGiftId()).get(after)).toEqual([orphan.id])
    })

    it("kill -9 of the importing process at random moments, then a rerun: exactly one order per LINE Gift order, none missing", async () => {
      const ids = addOrders(8)
      // Random kill points over the import (8 orders take seconds); logged with what each kill
      // left behind: orders created so far, claims left `importing`, and orders created whose
      // record was not marked imported yet (the window recovery must finish, not duplicate).
      // The bulk path imports a page in well under a second, so LINE Gift is slowed down (each
      // order page answers after 400 ms; ≥ 4 pages): the first kill always lands while the
      // import runs, the others anywhere in it or after it.
      sandbox.setFaults({ delayMs: 400, delayOn: "orders" })
      const delays = [
        Math.floor(200 + Math.random() * 800),
        Math.floor(200 + Math.random() * 3500),
        Math.floor(200 + Math.random() * 3500),
      ]
      const kills: Array<Record<string, unknown>> = []
      for (const delay of delays) {
        const { killed } = await runChild(delay)
        const byId = await ordersByLineGiftId()
        const records = (await service().listLineGiftOrders({
          shop_id: shopId,
          line_gift_order_id: ids,
        })) as any[]
        const importing = records
          .filter((r) => r.state === "importing")
          .map((r) => r.line_gift_order_id)
        kills.push({
          delay,
          killed,
          ordersSoFar: ids.filter((id) => byId.has(id)).length,
          importing: importing.length,
          createdNotMarked: importing.filter((id) => byId.has(id)).length,
        })
        // Never a duplicate, even between crashes.
        expect(ids.filter((id) => (byId.get(id)?.length ?? 0) > 1)).toEqual([])
      }

      console.info(
        `kill -9 points (ms after IMPORT_START): ${JSON.stringify(kills)}`
      )
      expect(kills.some((k) => k.killed)).toBe(true)

      const final = await runChild(null)
      expect(final.done).not.toBeNull()
      expect(final.done.state).toBe("succeeded")
      expect(final.done.recovery.errors).toEqual([])
      await expectExactlyOnceAndComplete(ids)
    })

    it("a crash at every step boundary of the bulk import, then recovery: one captured payment equal to the total, reservations and links once", async () => {
      const { boundaries, problems } = await crashAtEveryBoundary("bulk")
      expect(boundaries.length).toBeGreaterThanOrEqual(6)
      expect(problems).toEqual([])

      // A real kill -9 right after the payments, before the orders (the bulk path writes the
      // captured collections first): recovery deletes them and releases the record; the next
      // run imports the order once (importProblems also finds any captured collection left
      // without an order).
      const early = await killAfterBulkStep(
        boundaries,
        "capture-line-gift-payments-bulk"
      )
      expect(early.recovery).toMatchObject({
        released: [early.order],
        finished: [],
        errors: [],
      })
      await runLineGiftImport(getContainer(), {
        shop_id: shopId,
        ...importWindow(),
      })
      expect(await importProblems([early.order])).toEqual([])

      // And right after the orders, before the reservations: finished on its existing order.
      const late = await killAfterBulkStep(
        boundaries,
        "create-line-gift-orders-bulk"
      )
      expect(late.at).toBeGreaterThan(early.at)
      expect(late.recovery).toMatchObject({
        finished: [{ line_gift_order_id: late.order }],
        errors: [],
      })
      expect(await importProblems([late.order])).toEqual([])
    })

    /**
     * One new sandbox order; an import process killed (-9) right after the bulk workflow's
     * `step` (its number among `boundaries`); then recovery with no lease.
     * @returns the LINE Gift order id, the step boundary and what recovery did
     */
    const killAfterBulkStep = async (boundaries: string[], step: string) => {
      const at = boundaries.indexOf(`import-line-gift-orders-bulk:${step}`) + 1
      expect(at).toBeGreaterThan(0)
      const [order] = addOrders(1)
      const crashed = await runChild(null, {
        LINE_GIFT_TEST_CRASH_AFTER_STEP: String(at),
      })
      expect(crashed.output).toContain(`CRASH_AT ${at} `)
      expect(crashed.done).toBeNull()
      const recovery = await recoverInterruptedLineGiftImports(
        getContainer(),
        shopId,
        { leaseMs: 0 }
      )
      return { order, at, recovery }
    }

    it("a crash at every step boundary of the per-order import, then recovery: one captured payment equal to the total, reservations and links once", async () => {
      // With an automatic promotion active: createOrderWorkflow applies it, the import takes it
      // off (the total is LINE Gift's price); an import stopped in between is repaired by
      // recovery, else the order's total would not equal its captured payment.
      const promotionId = await createAutomaticPromotion(
        getContainer(),
        "LG-CRASH-AUTO10"
      )
      try {
        const { boundaries, problems } = await crashAtEveryBoundary("per-order")
        expect(boundaries.length).toBeGreaterThanOrEqual(10)
        expect(boundaries).toContain(
          "import-line-gift-order:remove-line-gift-order-promotions"
        )
        expect(problems).toEqual([])
      } finally {
        await getContainer()
          .resolve(Modules.PROMOTION)
          .deletePromotions([promotionId])
      }
    })

    /** A shop of its own on the demo store: its records and recoveries stay apart from `shopId`'s. */
    const separateShop = async (name: string): Promise<string> => {
      const shop = await service().createShop({
        name,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
      })
      return shop.id
    }

    /** The bulk import page of these sandbox orders for `shop`, as an import run builds it. */
    const bulkPage = (
      shop: string,
      ids: string[]
    ): ImportLineGiftOrdersBulkInput => ({
      shop_id: shop,
      run_id: null,
      region_id: store.region_id,
      sales_channel_id: store.sales_channel_id,
      shipping_option_id: store.shipping_option_id,
      email: lineGiftCustomerEmail(shop),
      orders: ids.map((id) => {
        const raw = sandbox.getOrder(id)
        const parsed = parseLineGiftOrder(raw)
        if (!parsed.ok) throw new Error(parsed.reason)
        return { order: parsed.order, raw }
      }),
    })

    /**
     * Runs `work` with these faults installed (failFirstCalls), then removes them.
     * @returns what `work` threw — the engine may rethrow a step's error serialised, a plain
     *   object with its message, which `rejects.toThrow` does not read — or null
     */
    const runWithFaults = async (
      faults: Array<{ restore(): void }>,
      work: () => Promise<unknown>
    ): Promise<unknown> => {
      try {
        return await work().then(
          () => null,
          (e: unknown) => e
        )
      } finally {
        for (const f of faults) f.restore()
      }
    }

    /** The per-order import input of one sandbox order for `shop`, as an import run builds it. */
    const perOrderInput = (shop: string, id: string) => {
      const raw = sandbox.getOrder(id)
      const parsed = parseLineGiftOrder(raw)
      if (!parsed.ok) throw new Error(parsed.reason)
      return {
        shop_id: shop,
        run_id: null,
        order: parsed.order,
        raw,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
        email: lineGiftCustomerEmail(shop),
      }
    }

    it("a bulk page whose one link call fails after the record links committed leaves no order, link or payment behind, and the next import imports each order once", async () => {
      const container = getContainer()
      const shop = await separateShop("リンク失敗試験店")
      const ids = addOrders(2, "link-fails")
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const writeLinks = link.create.bind(link)
      const attempted: LinkDefinition[] = []
      let recordLinksCommitted = 0
      // The page's link call (record ↔ order and order ↔ payment collection links) really
      // writes the record ↔ order links, then fails: one link kind is committed.
      const failing = jest
        .spyOn(link, "create")
        .mockImplementation(async (definitions) => {
          const all = Array.isArray(definitions) ? definitions : [definitions]
          if (!all.some((d) => Modules.PAYMENT in d))
            return writeLinks(definitions)
          attempted.push(...all)
          const recordLinks = all.filter((d) => LINE_GIFT_MODULE in d)
          await writeLinks(recordLinks)
          const { data } = await query.graph({
            entity: lineGiftOrderOrderLink.entryPoint,
            fields: ["order_id"],
            filters: {
              order_id: recordLinks.map((d) => d[Modules.ORDER].order_id),
            },
          })
          recordLinksCommitted = data.length
          throw new Error("link write failed (test)")
        })
      let failure: unknown
      try {
        // The engine may rethrow a step's error serialised (a plain object with its message,
        // not an Error, which `rejects.toThrow` does not read): the message is compared.
        failure = await importLineGiftOrdersBulkWorkflow(container)
          .run({ input: bulkPage(shop, ids) })
          .then(
            () => null,
            (e: unknown) => e
          )
      } finally {
        failing.mockRestore()
      }
      expect(failure).toMatchObject({
        message: expect.stringContaining("link write failed (test)"),
      })
      const orderIds = [
        ...new Set(attempted.map((d) => d[Modules.ORDER].order_id as string)),
      ]
      const collectionIds = attempted
        .filter((d) => Modules.PAYMENT in d)
        .map((d) => d[Modules.PAYMENT].payment_collection_id as string)
      // The failure came after the orders and the record links were written.
      expect(orderIds).toHaveLength(ids.length)
      expect(collectionIds).toHaveLength(ids.length)
      expect(recordLinksCommitted).toBe(ids.length)

      // Nothing of the page is left: no order (deleted ones included), no link of either kind,
      // no payment collection; the records are `failed` (retried by the next run).
      const byId = await ordersByLineGiftId()
      expect(ids.filter((id) => byId.has(id))).toEqual([])
      const orderModule = container.resolve<{
        listOrders(
          filters: { id: string[] },
          config: { select: string[]; withDeleted: boolean }
        ): Promise<Array<{ id: string }>>
      }>(Modules.ORDER)
      expect(
        await orderModule.listOrders(
          { id: orderIds },
          { select: ["id"], withDeleted: true }
        )
      ).toEqual([])
      const records = await service().listLineGiftOrders({
        shop_id: shop,
        line_gift_order_id: ids,
      })
      expect(
        records
          .map((r) => [r.line_gift_order_id, r.state, r.failure_reason])
          .sort()
      ).toEqual(ids.map((id) => [id, "failed", "import rolled back"]).sort())
      const { data: recordLinks } = await query.graph({
        entity: lineGiftOrderOrderLink.entryPoint,
        fields: ["order_id", "line_gift_order_id"],
        filters: { line_gift_order_id: records.map((r) => r.id) },
      })
      expect(recordLinks).toEqual([])
      const { data: linksToOrders } = await query.graph({
        entity: lineGiftOrderOrderLink.entryPoint,
        fields: ["order_id"],
        filters: { order_id: orderIds },
      })
      expect(linksToOrders).toEqual([])
      const { data: collectionLinks } = await query.graph({
        entity: "order_payment_collection",
        fields: ["order_id", "payment_collection_id"],
        filters: { order_id: orderIds },
      })
      expect(collectionLinks).toEqual([])
      expect(
        await container
          .resolve(Modules.PAYMENT)
          .listPaymentCollections({ id: collectionIds }, { select: ["id"] })
      ).toEqual([])

      // The next import of the page (link writes work again): each order once, paid once.
      const { result } = await importLineGiftOrdersBulkWorkflow(container).run({
        input: bulkPage(shop, ids),
      })
      expect(ids.map((id) => result[id]?.status)).toEqual(
        ids.map(() => "created")
      )
      expect(await importProblems(ids, shop)).toEqual([])
    })

    it("recovery does not pay again an order whose capture transaction names a capture that is gone", async () => {
      const container = getContainer()
      const shop = await separateShop("決済欠落試験店")
      const ids = addOrders(2, "capture-gone")
      const { result } = await importLineGiftOrdersBulkWorkflow(container).run({
        input: bulkPage(shop, ids),
      })
      const imported = ids.map((id) => {
        const r = result[id]
        if (r?.status !== "created") throw new Error(JSON.stringify(r))
        return r
      })
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const payment = container.resolve(Modules.PAYMENT)
      const paymentRows = container.resolve<RecoveryPaymentModule>(
        Modules.PAYMENT
      )
      const orderIds = imported.map((r) => r.order_id)
      const { data: collectionLinks } = await query.graph({
        entity: "order_payment_collection",
        fields: ["order_id", "payment_collection_id"],
        filters: { order_id: orderIds },
      })
      const collectionOf = new Map(
        (
          collectionLinks as Array<{
            order_id: string
            payment_collection_id: string
          }>
        ).map((l) => [l.order_id, l.payment_collection_id])
      )
      expect(collectionOf.size).toBe(2)

      // The state of a bulk import that died right after writing the orders (with their
      // `capture` transactions), before the links and reservations; and the capture row gone
      // since — of the first order only the capture, of the second its whole collection.
      await container.resolve(ContainerRegistrationKeys.LINK).dismiss(
        imported.flatMap((r): LinkDefinition[] => [
          {
            [LINE_GIFT_MODULE]: { line_gift_order_id: r.record_id },
            [Modules.ORDER]: { order_id: r.order_id },
          },
          {
            [Modules.ORDER]: { order_id: r.order_id },
            [Modules.PAYMENT]: {
              payment_collection_id: collectionOf.get(r.order_id)!,
            },
          },
        ])
      )
      const { data: items } = await query.graph({
        entity: "order",
        fields: ["items.id"],
        filters: { id: orderIds },
      })
      const inventory = container.resolve(Modules.INVENTORY)
      const reservations = await inventory.listReservationItems({
        line_item_id: (items as Array<{ items: Array<{ id: string }> }>)
          .flatMap((o) => o.items)
          .map((i) => i.id),
      })
      await inventory.deleteReservationItems(reservations.map((r) => r.id))
      const [captureOnly, wholeCollection] = orderIds.map((id) =>
        collectionOf.get(id)!
      )
      const paymentsOf = (collectionId: string) =>
        paymentRows.listPayments(
          { payment_collection_id: collectionId },
          { relations: ["captures"] }
        )
      for (const p of await paymentsOf(captureOnly)) {
        await paymentRows.deleteCaptures((p.captures ?? []).map((c) => c.id))
      }
      const gone = await paymentsOf(wholeCollection)
      await paymentRows.deleteCaptures(
        gone.flatMap((p) => (p.captures ?? []).map((c) => c.id))
      )
      await paymentRows.deletePayments(gone.map((p) => p.id))
      const sessions = await paymentRows.listPaymentSessions(
        { payment_collection_id: wholeCollection },
        { select: ["id"] }
      )
      await paymentRows.deletePaymentSessions(sessions.map((s) => s.id))
      await paymentRows.deletePaymentCollections([wholeCollection])
      await service().updateLineGiftOrders(
        imported.map((r) => ({
          id: r.record_id,
          state: "importing" as const,
          imported_at: null,
        }))
      )

      /** What paying the orders again would change: payment rows, transactions, paid totals. */
      const paidState = async () => {
        const { data: orders } = await query.graph({
          entity: "order",
          fields: [
            "id",
            "summary.*",
            "transactions.*",
            "payment_collections.id",
          ],
          filters: { id: orderIds },
        })
        return {
          collections: (
            await payment.listPaymentCollections(
              {},
              { select: ["id"], take: null }
            )
          ).length,
          payments: (
            await payment.listPayments({}, { select: ["id"], take: null })
          ).length,
          captures: (
            await payment.listCaptures({}, { select: ["id"], take: null })
          ).length,
          orders: (
            orders as Array<{
              id: string
              summary?: { paid_total?: unknown } | null
              transactions?: Array<{
                id: string
                reference_id?: string | null
                amount: unknown
              } | null> | null
              payment_collections?: Array<{ id: string } | null> | null
            }>
          )
            .map((o) => ({
              id: o.id,
              paid_total: Number(o.summary?.paid_total),
              transactions: (o.transactions ?? []).map((t) => [
                t?.id,
                t?.reference_id,
                Number(t?.amount),
              ]),
              collections: (o.payment_collections ?? []).map((pc) => pc?.id),
            }))
            .sort((a, b) => (a.id < b.id ? -1 : 1)),
        }
      }
      const before = await paidState()
      expect(
        before.orders.map((o) => [
          o.paid_total > 0,
          o.transactions.length,
          o.collections,
        ])
      ).toEqual([
        [true, 1, []],
        [true, 1, []],
      ])

      const recovery = await recoverInterruptedLineGiftImports(
        container,
        shop,
        {
          leaseMs: 0,
        }
      )
      // No new collection, payment or capture; no new transaction; paid totals unchanged.
      expect(await paidState()).toEqual(before)
      expect(recovery.finished).toEqual([])
      expect(recovery.released).toEqual([])
      expect(
        [...recovery.errors].sort((a, b) =>
          a.line_gift_order_id < b.line_gift_order_id ? -1 : 1
        )
      ).toEqual(
        [...ids].sort().map((id) => ({
          line_gift_order_id: id,
          reason: expect.stringContaining("not paid again"),
        }))
      )
      const records = await service().listLineGiftOrders({
        shop_id: shop,
        line_gift_order_id: ids,
      })
      expect(records.map((r) => r.state)).toEqual(["importing", "importing"])

      // The remains of the first order's collection, so that no captured-looking collection
      // without an order is left to the suite's later checks.
      const rest = await paymentsOf(captureOnly)
      await paymentRows.deletePayments(rest.map((p) => p.id))
      const restSessions = await paymentRows.listPaymentSessions(
        { payment_collection_id: captureOnly },
        { select: ["id"] }
      )
      await paymentRows.deletePaymentSessions(restSessions.map((s) => s.id))
      await paymentRows.deletePaymentCollections([captureOnly])
    })

    /**
     * Makes `method` of `target` throw "<label> (test)" the first `times` calls, then behave
     * as before. @returns the restore function and the number of calls made to fail
     */
    const failFirstCalls = <T extends object>(
      target: T,
      method: keyof T & string,
      label: string,
      times: number
    ) => {
      const original = (target as Record<string, (...a: unknown[]) => unknown>)[
        method
      ].bind(target)
      let failed = 0
      const spy = jest
        .spyOn(target as Record<string, (...a: unknown[]) => unknown>, method)
        .mockImplementation(async (...args: unknown[]) => {
          if (failed < times) {
            failed++
            throw new Error(`${label} (test)`)
          }
          return original(...args)
        })
      return { restore: () => spy.mockRestore(), failed: () => failed }
    }

    it("a bulk page whose rollback cannot delete its orders keeps the records `importing` and finishes the import on those orders: no second order", async () => {
      const container = getContainer()
      const shop = await separateShop("注文削除失敗試験店")
      const ids = addOrders(2, "orders-stay")
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      // The page's link call fails, and the deletion of the page's orders with it: the orders
      // stay in place after the rollback (their payments are deleted).
      const linkFails = failFirstCalls(link, "create", "link write failed", 1)
      const deleteFails = failFirstCalls(
        container.resolve(Modules.ORDER),
        "deleteOrders",
        "order deletion failed",
        1
      )
      const service_ = service()
      let keptDuringRecovery: string[] = []
      const recoverySpy = jest
        .spyOn(service_, "listInterruptedImports")
        .mockImplementation(async (...args) => {
          const records = await service_.listLineGiftOrders(
            { shop_id: shop, line_gift_order_id: ids },
            { select: ["line_gift_order_id", "state"] }
          )
          keptDuringRecovery = records.map(
            (r) => `${r.line_gift_order_id}:${r.state}`
          )
          recoverySpy.mockRestore()
          return service_.listInterruptedImports(...args)
        })
      let page: ImportPageResult
      try {
        page = await importLineGiftOrdersPage(container, {
          ...bulkPage(shop, ids),
          run_id: "run-test-orders-stay",
        })
      } finally {
        linkFails.restore()
        deleteFails.restore()
        recoverySpy.mockRestore()
      }
      expect(linkFails.failed()).toBe(1)
      expect(deleteFails.failed()).toBe(1)
      expect(page.fallback).toContain("order deletion failed (test)")
      // The rollback kept both records claimed (not `failed`): a retry would order twice.
      expect(keptDuringRecovery.sort()).toEqual(
        ids.map((id) => `${id}:importing`).sort()
      )
      expect(ids.map((id) => page.results[id]?.status)).toEqual(
        ids.map(() => "created")
      )
      // Each finished on the order the page wrote: one order, paid once, reserved, linked.
      expect(await importProblems(ids, shop)).toEqual([])
    })

    it("a bulk page whose rollback cannot delete its payments keeps the records `importing`; recovery deletes the orphan payments before the orders are imported once", async () => {
      const container = getContainer()
      const shop = await separateShop("決済削除失敗試験店")
      const ids = addOrders(2, "payments-stay")
      const payment = container.resolve(Modules.PAYMENT)
      // Writing the orders fails, and the deletion of the page's captures with it: the
      // captured collections stay in place after the rollback, naming orders never written.
      const ordersFail = failFirstCalls(
        container.resolve(Modules.ORDER),
        "createOrders",
        "order write failed",
        1
      )
      const undoFails = failFirstCalls(
        payment,
        "deleteCaptures" as keyof typeof payment & string,
        "capture deletion failed",
        1
      )
      // Without a run id (a direct caller), nothing is recovered at once.
      const failure = await runWithFaults([ordersFail, undoFails], () =>
        importLineGiftOrdersBulkWorkflow(container).run({
          input: bulkPage(shop, ids),
        })
      )
      expect(undoFails.failed()).toBe(1)
      expect(failure).toMatchObject({
        message: expect.stringContaining("order write failed (test)"),
      })
      const records = await service().listLineGiftOrders(
        { shop_id: shop, line_gift_order_id: ids },
        { select: ["id", "line_gift_order_id", "state"] }
      )
      expect(records.map((r) => r.state)).toEqual(ids.map(() => "importing"))
      const marked = (
        await payment.listPaymentCollections({}, {
          select: ["id", "metadata"],
          take: null,
        } as never)
      ).filter((pc) =>
        records.some(
          (r) =>
            (pc.metadata?.line_gift_import as { record_id?: string })
              ?.record_id === r.id
        )
      )
      expect(marked).toHaveLength(ids.length)

      // Marked as kept by the rollback: recovery takes them over at once (the default lease
      // of 10 minutes is not waited for); the orphan payments go, the records are released.
      expect(
        (
          await service().listLineGiftOrders(
            { id: records.map((r) => r.id) },
            { select: ["failure_reason"] }
          )
        ).map((r) => r.failure_reason)
      ).toEqual(ids.map(() => KEPT_IMPORTING_REASON))
      const recovery = await recoverInterruptedLineGiftImports(container, shop)
      expect(recovery.released.sort()).toEqual([...ids].sort())
      expect(
        await payment.listPaymentCollections(
          { id: marked.map((pc) => pc.id) },
          { select: ["id"] }
        )
      ).toEqual([])
      const { result } = await importLineGiftOrdersBulkWorkflow(container).run({
        input: bulkPage(shop, ids),
      })
      expect(ids.map((id) => result[id]?.status)).toEqual(
        ids.map(() => "created")
      )
      // One order each, paid once; no captured collection without an order anywhere.
      expect(await importProblems(ids, shop)).toEqual([])
    })

    it("a failed bulk page whose rollback left payments behind is recovered within the run and imported order by order, once", async () => {
      const container = getContainer()
      const shop = await separateShop("決済残存即時回復試験店")
      const ids = addOrders(2, "payments-stay-run")
      const ordersFail = failFirstCalls(
        container.resolve(Modules.ORDER),
        "createOrders",
        "order write failed",
        1
      )
      const undoFails = failFirstCalls(
        container.resolve(Modules.PAYMENT),
        "deleteCaptures" as never,
        "capture deletion failed",
        1
      )
      let page: ImportPageResult
      try {
        page = await importLineGiftOrdersPage(container, {
          ...bulkPage(shop, ids),
          run_id: "run-test-payments-stay-run",
        })
      } finally {
        ordersFail.restore()
        undoFails.restore()
      }
      expect(undoFails.failed()).toBe(1)
      expect(page.fallback).toContain("order write failed (test)")
      expect(ids.map((id) => page.results[id]?.status)).toEqual(
        ids.map(() => "created")
      )
      expect(await importProblems(ids, shop)).toEqual([])
    })

    it("a per-order import whose rollback cannot delete its order keeps the record `importing`; recovery finishes it on that order", async () => {
      const container = getContainer()
      const shop = await separateShop("単品注文削除失敗試験店")
      const [id] = addOrders(1, "order-stays-single")
      // The first link write (order ↔ payment collection, in Medusa's
      // createOrderPaymentCollectionWorkflow) fails, and the order's deletion.
      const linkFails = failFirstCalls(
        container.resolve(ContainerRegistrationKeys.LINK),
        "create",
        "link write failed",
        1
      )
      const deleteFails = failFirstCalls(
        container.resolve(Modules.ORDER),
        "deleteOrders",
        "order deletion failed",
        1
      )
      const failure = await runWithFaults([linkFails, deleteFails], () =>
        importLineGiftOrderWorkflow(container).run({
          input: perOrderInput(shop, id),
        })
      )
      expect(deleteFails.failed()).toBe(1)
      expect(failure).toMatchObject({
        message: expect.stringContaining("link write failed (test)"),
      })
      const [record] = await service().listLineGiftOrders(
        { shop_id: shop, line_gift_order_id: id },
        { select: ["id", "state"] }
      )
      expect(record.state).toBe("importing")
      const recovery = await recoverInterruptedLineGiftImports(container, shop)
      expect(recovery.finished.map((f) => f.line_gift_order_id)).toEqual([id])
      expect(await importProblems([id], shop)).toEqual([])
    })

    it("the admin retry of a failed order whose rollback cannot delete its order finishes the import on that order: imported, not ordered twice", async () => {
      const container = getContainer()
      const shop = await separateShop("再試行注文削除失敗試験店")
      const [id] = addOrders(1, "retry-order-stays")
      const raw = sandbox.getOrder(id)
      await service().recordUnimportable({
        shop_id: shop,
        line_gift_order_id: id,
        line_gift_status: "payment",
        raw,
        reason: "out of stock (test)",
        run_id: null,
      })
      const [record] = await service().listLineGiftOrders(
        { shop_id: shop, line_gift_order_id: id },
        { select: ["id"] }
      )
      const linkFails = failFirstCalls(
        container.resolve(ContainerRegistrationKeys.LINK),
        "create",
        "link write failed",
        1
      )
      const deleteFails = failFirstCalls(
        container.resolve(Modules.ORDER),
        "deleteOrders",
        "order deletion failed",
        1
      )
      let retried: Awaited<ReturnType<typeof retryLineGiftOrderRecord>>
      try {
        retried = await retryLineGiftOrderRecord(container, record.id)
      } finally {
        linkFails.restore()
        deleteFails.restore()
      }
      expect(deleteFails.failed()).toBe(1)
      expect(retried.outcome).toBe("imported")
      expect(await importProblems([id], shop)).toEqual([])
    })

    it("a failed bulk page does not take over a record another importer claimed after its clean rollback (an admin retry under the same run id)", async () => {
      const container = getContainer()
      const shop = await separateShop("再試行競合試験店")
      const [id] = addOrders(1, "retry-race")
      const runId = "run-test-retry-race"
      const records = service()
      const release = records.updateLineGiftOrders.bind(records)
      let retryClaimed: string | null = null
      // Right after the rollback releases the record (`failed`, still under the run's id), an
      // admin retry claims it as it does: run id = the record's last run id.
      const spy = jest
        .spyOn(records, "updateLineGiftOrders")
        .mockImplementation((async (data: unknown) => {
          const result = await release(data as never)
          const rows = (Array.isArray(data) ? data : [data]) as Array<{
            state?: string
          }>
          if (!retryClaimed && rows.some((r) => r.state === "failed")) {
            retryClaimed = await records.claimOrder({
              shop_id: shop,
              line_gift_order_id: id,
              line_gift_status: "payment",
              raw: sandbox.getOrder(id),
              run_id: runId,
            })
          }
          return result
        }) as never)
      const ordersFail = failFirstCalls(
        container.resolve(Modules.ORDER),
        "createOrders",
        "order write failed",
        1
      )
      let page: ImportPageResult
      try {
        page = await importLineGiftOrdersPage(container, {
          ...bulkPage(shop, [id]),
          run_id: runId,
        })
      } finally {
        ordersFail.restore()
        spy.mockRestore()
      }
      expect(retryClaimed).toMatch(/^lgord_/)
      // The retry's claim is left alone: the page reports it as someone else's import.
      expect(page.results[id]).toEqual({ status: "already_imported" })
      const [record] = await records.listLineGiftOrders(
        { shop_id: shop, line_gift_order_id: id },
        { select: ["id", "state", "failure_reason"] }
      )
      expect(record).toMatchObject({
        id: retryClaimed,
        state: "importing",
        failure_reason: null,
      })
      expect((await ordersByLineGiftId()).get(id) ?? []).toEqual([])
    })

    it("a per-order import whose rollback cannot delete its captured payment collection keeps the record `importing`; recovery deletes it before the order is imported once", async () => {
      const container = getContainer()
      const shop = await separateShop("単品決済削除失敗試験店")
      const [id] = addOrders(1, "captured-stays-single")
      const input = perOrderInput(shop, id)
      // The last step (record `imported`) fails after the capture, and the deletion of the
      // payment collection (Medusa's capture step has no compensation).
      const markFails = failFirstCalls(
        service(),
        "updateLineGiftOrders",
        "mark imported failed",
        1
      )
      const collectionStays = failFirstCalls(
        container.resolve(Modules.PAYMENT),
        "deletePaymentCollections",
        "collection deletion failed",
        1
      )
      const failure = await runWithFaults([markFails, collectionStays], () =>
        importLineGiftOrderWorkflow(container).run({ input })
      )
      expect(collectionStays.failed()).toBe(1)
      expect(failure).toMatchObject({
        message: expect.stringContaining("mark imported failed (test)"),
      })
      const [record] = await service().listLineGiftOrders(
        { shop_id: shop, line_gift_order_id: id },
        { select: ["id", "state", "failure_reason"] }
      )
      expect(record).toMatchObject({
        state: "importing",
        failure_reason: KEPT_IMPORTING_REASON,
      })
      const recovery = await recoverInterruptedLineGiftImports(container, shop)
      expect(recovery.released).toEqual([id])
      await importLineGiftOrderWorkflow(container).run({ input })
      // One order, one captured payment; no captured collection without an order anywhere.
      expect(await importProblems([id], shop)).toEqual([])
    })

    it("a recovery whose own rollback cannot delete the payment collection it captured leaves it marked: the next recovery links it, and pays nothing twice", async () => {
      const container = getContainer()
      const shop = await separateShop("復旧決済削除失敗試験店")
      const [id] = addOrders(1, "recovery-captured-stays")
      const input = perOrderInput(shop, id)
      // 1. A per-order import leaves its order behind (no payment yet): record kept.
      const linkFails = failFirstCalls(
        container.resolve(ContainerRegistrationKeys.LINK),
        "create",
        "link write failed",
        1
      )
      const deleteFails = failFirstCalls(
        container.resolve(Modules.ORDER),
        "deleteOrders",
        "order deletion failed",
        1
      )
      try {
        await importLineGiftOrderWorkflow(container)
          .run({ input })
          .catch(() => null)
      } finally {
        linkFails.restore()
        deleteFails.restore()
      }
      const [record] = await service().listLineGiftOrders(
        { shop_id: shop, line_gift_order_id: id },
        { select: ["id", "state", "failure_reason"] }
      )
      expect(record).toMatchObject({
        state: "importing",
        failure_reason: KEPT_IMPORTING_REASON,
      })
      // 2. Recovery creates and captures the order's collection; its last step (record
      //    `imported`) fails, and so does the deletion of that collection.
      const markFails = failFirstCalls(
        service(),
        "updateLineGiftOrders",
        "mark imported failed",
        1
      )
      const collectionStays = failFirstCalls(
        container.resolve(Modules.PAYMENT),
        "deletePaymentCollections",
        "collection deletion failed",
        1
      )
      let first: Awaited<ReturnType<typeof recoverInterruptedLineGiftImports>>
      try {
        first = await recoverInterruptedLineGiftImports(container, shop)
      } finally {
        markFails.restore()
        collectionStays.restore()
      }
      expect(collectionStays.failed()).toBe(1)
      expect(first.errors.map((e) => e.line_gift_order_id)).toEqual([id])
      // 3. The next recovery (lease over) finds the captured collection by its mark.
      const second = await recoverInterruptedLineGiftImports(container, shop, {
        leaseMs: 0,
      })
      expect(second.finished.map((f) => f.line_gift_order_id)).toEqual([id])
      expect(await importProblems([id], shop)).toEqual([])
    })

    it("a bulk page whose link removal fails after its orders were deleted leaves no dead link: the records are recovered and imported once within the run", async () => {
      const container = getContainer()
      const shop = await separateShop("リンク削除失敗試験店")
      const ids = addOrders(2, "dead-links")
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      const writeLinks = link.create.bind(link)
      let failedOnce = false
      // The page's link call writes the record ↔ order links, then fails; removing them fails
      // too (the orders are deleted): links from the records to orders that are gone.
      const linkFails = jest
        .spyOn(link, "create")
        .mockImplementation(async (definitions) => {
          const all = Array.isArray(definitions) ? definitions : [definitions]
          if (failedOnce || !all.some((d) => Modules.PAYMENT in d))
            return writeLinks(definitions)
          failedOnce = true
          await writeLinks(all.filter((d) => LINE_GIFT_MODULE in d))
          throw new Error("link write failed (test)")
        })
      const dismissFails = failFirstCalls(
        link,
        "dismiss",
        "link removal failed",
        1
      )
      let page: ImportPageResult
      try {
        page = await importLineGiftOrdersPage(container, {
          ...bulkPage(shop, ids),
          run_id: "run-test-dead-links",
        })
      } finally {
        linkFails.mockRestore()
        dismissFails.restore()
      }
      expect(failedOnce).toBe(true)
      expect(dismissFails.failed()).toBe(1)
      expect(page.fallback).toContain("link write failed (test)")
      expect(ids.map((id) => page.results[id]?.status)).toEqual(
        ids.map(() => "created")
      )
      expect(await importProblems(ids, shop)).toEqual([])
    })

    /** Runs `medusa exec <script>` against this suite's database. @returns exit code and output */
    const medusaExec = (script: string, extraEnv: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>(
        (resolve, reject) => {
          const child = spawn(
            path.join(REPO_ROOT, "node_modules", ".bin", "medusa"),
            ["exec", script],
            {
              cwd: REPO_ROOT,
              env: {
                ...process.env,
                DATABASE_URL: dbConfig.clientUrl,
                LINE_GIFT_SANDBOX_URL: sandbox.url,
                LOG_LEVEL: "info",
                NODE_ENV: "test",
                ...extraEnv,
              },
              stdio: ["ignore", "pipe", "pipe"],
            }
          )
          let output = ""
          child.stdout.on("data", (c) => (output += String(c)))
          child.stderr.on("data", (c) => (output += String(c)))
          child.on("error", reject)
          child.on("exit", (code) => resolve({ code, output }))
        }
      )

    it("start-up refuses a key that cannot read the stored secrets; `rotate-key` re-encrypts them to a new key", async () => {
      const currentKey = process.env.LINE_GIFT_ENCRYPTION_KEY!
      const newKey = Buffer.alloc(32, 0x5a).toString("base64")

      const refused = await medusaExec(
        "./integration-tests/faults/helpers/noop.ts",
        {
          LINE_GIFT_ENCRYPTION_KEY: newKey,
        }
      )
      expect(refused.code).not.toBe(0)
      expect(refused.output).not.toContain("BOOTED")
      expect(refused.output).toContain("does not decrypt them")
      expect(refused.output).not.toContain(newKey)

      const rotated = await medusaExec("./scripts/rotate-encryption-key.ts", {
        LINE_GIFT_ENCRYPTION_KEY_OLD: currentKey,
        LINE_GIFT_ENCRYPTION_KEY: newKey,
      })
      expect({
        code: rotated.code,
        tail: rotated.code ? rotated.output.slice(-2000) : "",
      }).toEqual({ code: 0, tail: "" })
      // Start-up saw the pending rotation and warned instead of refusing.
      expect(rotated.output).toContain("run `npm run rotate-key` now")
      expect(rotated.output).toMatch(
        /3 secret\(s\) of 1 shop\(s\) re-encrypted/
      )
      expect(rotated.output).not.toContain(currentKey)
      expect(rotated.output).not.toContain(newKey)

      const [shop] = (await service().listLineGiftShops({
        id: shopId,
      })) as any[]
      expect(
        decryptSecret(shop.client_secret_encrypted, parseEncryptionKey(newKey))
      ).toBe("sandbox-client-secret")
      expect(() =>
        decryptSecret(
          shop.client_secret_encrypted,
          parseEncryptionKey(currentKey)
        )
      ).toThrow()
    })
  },
})
