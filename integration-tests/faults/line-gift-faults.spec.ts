/**
 * Fault injection against a real Medusa + PostgreSQL and the sandbox's switches: what LINE
 * Gift does wrong (HTTP-200 body errors, 429 with Retry-After, 5xx bursts, timeouts,
 * truncated JSON, string paging), what recipients type (a 10,000-character name, emoji,
 * full-/half-width digits), tokens (expiring mid-run, two refreshers of a single-use refresh
 * token), the encryption key (rotation), and a long LINE Gift outage while shipments are
 * made (every shipment delivered exactly once after it returns).
 *
 * Each test imports only the few orders it adds (`sandbox.addOrder`, a window of the last
 * minutes): the seeded orders are older. Whatever the fault, the invariant is the same:
 * exactly one Medusa order per LINE Gift order, none missing once LINE Gift answers again,
 * and a clear recorded reason when a run or an order cannot be imported.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { sandboxForSuite } from "../helpers/line-gift"
import { seedDemoStore, type SeededStore } from "../../scripts/lib/seed-store"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { runLineGiftImport } from "../../src/workflows/import/run-import"
import { getLineGiftClient } from "../../src/workflows/helpers/line-gift-client"
import { refreshLineGiftAccessTokenWorkflow } from "../../src/workflows/tokens/workflows"
import {
  decryptSecret,
  encryptSecret,
  parseEncryptionKey,
} from "../../src/lib/crypto"
import rotateEncryptionKey from "../../scripts/rotate-encryption-key"
import { createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { runLineGiftExportSweep } from "../../src/workflows/export/run-export"

jest.setTimeout(240_000)

const SECRET = "sandbox-client-secret"
const sandbox = sandboxForSuite()

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits until `predicate` holds (behavioural wait; fails after `timeoutMs`). */
async function waitFor(
  predicate: () => boolean,
  what: string,
  timeoutMs = 30_000
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await sleep(20)
  }
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ getContainer }) => {
    let store: SeededStore
    let shopId: string
    const service = () =>
      getContainer().resolve(LINE_GIFT_MODULE) as LineGiftModuleService

    /** Fast, bounded HTTP behaviour for the faults (module options are read per client). */
    const setHttp = (http: Record<string, number>) => {
      ;(service().getOptions() as any).http = {
        pageDelayMs: 0,
        timeoutMs: 1500,
        maxRetries: 3,
        baseDelayMs: 50,
        maxDelayMs: 200,
        maxRetryAfterMs: 5000,
        ...http,
      }
    }

    beforeAll(async () => {
      // Part of the database template every test starts from.
      store = await seedDemoStore(getContainer())
      const shop = await service().createShop({
        name: "障害テスト店",
        client_id: "sandbox-client-id",
        client_secret: SECRET,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
      })
      shopId = shop.id
    })

    beforeEach(async () => {
      // Fresh orders (those added by earlier tests leave the window) and no tokens.
      sandbox.reset()
      setHttp({})
      // The database was restored from the template: give the shop a live token pair again.
      const pair = sandbox.issueTokens()
      await service().saveTokens(shopId, {
        accessToken: pair.access_token,
        accessTokenExpiresAt: new Date(Date.now() + 30 * 86400_000),
        refreshToken: pair.refresh_token,
        refreshTokenExpiresAt: new Date(Date.now() + 90 * 86400_000),
      })
    })

    /** Adds `n` ready-to-ship orders bought now; @returns their ids. */
    const addOrders = (n: number, partial: Record<string, unknown> = {}) =>
      Array.from(
        { length: n },
        () => sandbox.addOrder(partial as any).id as string
      )

    const importRecent = (container: MedusaContainer = getContainer()) =>
      runLineGiftImport(container, {
        shop_id: shopId,
        from: new Date(Date.now() - 5 * 60_000),
        to: new Date(Date.now() + 60_000),
        statuses: ["payment"],
      })

    /** Medusa orders by LINE Gift order id (every order of the store carrying one). */
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
        if (id) {
          map.set(id, [...(map.get(id) ?? []), o.id])
        }
      }
      return map
    }

    /** Exactly one Medusa order for each of `ids`, linked to an `imported` record. */
    const expectExactlyOnce = async (ids: string[]) => {
      const byId = await ordersByLineGiftId()
      for (const id of ids) {
        expect({ id, orders: byId.get(id)?.length ?? 0 }).toEqual({
          id,
          orders: 1,
        })
      }
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "line_gift_order",
        fields: ["line_gift_order_id", "state", "order.id"],
        filters: { shop_id: shopId, line_gift_order_id: ids },
      })
      expect(data).toHaveLength(ids.length)
      for (const r of data as any[]) {
        expect(r.state).toBe("imported")
        expect(r.order.id).toBe(byId.get(r.line_gift_order_id)![0])
      }
    }

    const searchCalls = () =>
      sandbox.calls.filter((c) => c.kind === "order_search")

    describe("LINE Gift answering wrong", () => {
      it("retries an HTTP-200 body error that says 'server error'; records a non-retryable one as the run's reason; the rerun catches up", async () => {
        const ids = addOrders(3)
        sandbox.setFaults({
          bodyError: {
            count: 1,
            code: 500,
            reason: "temporary failure",
            on: "orders",
          },
        })
        const first = await importRecent()
        expect(first.run.state).toBe("succeeded")
        expect(first.created.map((c) => c.line_gift_order_id).sort()).toEqual(
          [...ids].sort()
        )
        expect(searchCalls()[0].status).toBe(200) // the error came inside an HTTP 200

        const more = addOrders(2)
        sandbox.setFaults({
          bodyError: {
            count: 1,
            code: 404,
            reason: "shop not found",
            on: "orders",
          },
        })
        const failed = await importRecent()
        expect(failed.run.state).toBe("failed")
        expect(failed.run.error).toMatch(/order_search/)
        expect(failed.run.error).toMatch(/404|not found/i)
        expect(failed.created).toEqual([])

        const rerun = await importRecent()
        expect(rerun.run.state).toBe("succeeded")
        expect(rerun.created.map((c) => c.line_gift_order_id).sort()).toEqual(
          [...more].sort()
        )
        await expectExactlyOnce([...ids, ...more])
      })

      it("waits as long as a 429's Retry-After says, then completes", async () => {
        const ids = addOrders(2)
        sandbox.setFaults({
          rateLimit: { count: 1, retryAfterSec: 1, on: "orders" },
        })
        const result = await importRecent()
        expect(result.run.state).toBe("succeeded")
        const [limited, retried] = searchCalls()
        expect(limited.status).toBe(429)
        expect(retried.query.page).toBe("1")
        expect(retried.at - limited.at).toBeGreaterThanOrEqual(950)
        await expectExactlyOnce(ids)
      })

      it("rides out a short 5xx burst; a burst longer than the retries fails the run with its reason, and the rerun imports everything once", async () => {
        const ids = addOrders(2)
        sandbox.setFaults({
          httpError: { count: 3, status: 503, on: "orders" },
        })
        const short = await importRecent()
        expect(short.run.state).toBe("succeeded")
        expect(searchCalls().filter((c) => c.status === 503)).toHaveLength(3)

        const more = addOrders(2)
        sandbox.setFaults({
          httpError: { count: 8, status: 502, on: "orders" },
        })
        const long = await importRecent()
        expect(long.run.state).toBe("failed")
        expect(long.run.error).toMatch(/order_search/)
        expect(long.run.error).toMatch(/502|server/i)
        sandbox.clearFaults()
        const rerun = await importRecent()
        expect(rerun.run.state).toBe("succeeded")
        await expectExactlyOnce([...ids, ...more])
      })

      it("retries a call that timed out; when every attempt times out, the run fails saying so", async () => {
        const ids = addOrders(2)
        setHttp({ timeoutMs: 300 })
        sandbox.setFaults({ delayMs: 2000, delayOn: "orders" })
        const running = importRecent()
        await waitFor(
          () => searchCalls().length >= 1,
          "the first (slow) order search"
        )
        sandbox.setFaults({ delayMs: 0 })
        const result = await running
        expect(result.run.state).toBe("succeeded")
        expect(
          searchCalls().filter((c) => c.query.page === "1").length
        ).toBeGreaterThanOrEqual(2)
        await expectExactlyOnce(ids)

        sandbox.setFaults({ delayMs: 1000, delayOn: "orders" })
        const timedOut = await importRecent()
        expect(timedOut.run.state).toBe("failed")
        expect(timedOut.run.error).toMatch(/timeout|no answer within 300 ms/)
      })

      it("stops a run on a truncated page with a recorded reason, keeps what earlier pages imported, and the rerun completes", async () => {
        // Our orders are on page 1 (newest first is not promised: find their page).
        const ids = addOrders(3)
        setHttp({ pageDelayMs: 300 })
        const running = importRecent()
        await waitFor(() => searchCalls().length >= 1, "page 1")
        sandbox.setFaults({ truncatedJson: { count: 1, on: "orders" } })
        const broken = await running
        expect(broken.run.state).toBe("failed")
        expect(broken.run.error).toMatch(/order_search/)
        expect(broken.run.pages_read).toBeGreaterThanOrEqual(1)

        const rerun = await importRecent()
        expect(rerun.run.state).toBe("succeeded")
        await expectExactlyOnce(ids)
      })

      it("reads every page when paging numbers come as strings", async () => {
        const ids = addOrders(2)
        sandbox.setFaults({ stringPaging: true })
        const result = await importRecent()
        expect(result.run.state).toBe("succeeded")
        const pages = Math.ceil(
          sandbox.orders.filter(
            (o: any) => o.bought_on >= Date.now() / 1000 - 90 * 86400
          ).length / 100
        )
        expect(pages).toBeGreaterThan(1)
        expect(result.run.pages_read).toBe(pages)
        await expectExactlyOnce(ids)
      })
    })

    describe("what recipients type", () => {
      it("imports a 10,000-character name whole, keeps emoji, and turns full-/half-width digits into ASCII", async () => {
        const base = sandbox.addOrder({} as any)
        const longName = "長".repeat(10_000)
        const [long, emoji, wide] = [
          sandbox.addOrder({
            address: { ...(base as any).address, first_name: longName },
          } as any),
          sandbox.addOrder({
            address: {
              ...(base as any).address,
              first_name: "花子🎁",
              last_name: "山田🌸",
              address: "見本町1-2-3 🏠",
            },
          } as any),
          sandbox.addOrder({
            address: {
              ...(base as any).address,
              zip: "１５０－０００１",
              tel: "０９０００００１２３４",
              tel_hyphen: "０９０ー００００ー１２３４",
            },
          } as any),
        ]
        const result = await importRecent()
        expect(result.run.errors).toEqual([])
        const orderOf = new Map(
          result.created.map((c) => [c.line_gift_order_id, c.order_id])
        )
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "shipping_address.*"],
          filters: {
            id: [long.id, emoji.id, wide.id].map((id) =>
              orderOf.get(id as string)!
            ),
          },
        })
        const addressOf = (id: string) =>
          (data as any[]).find((o) => o.id === orderOf.get(id))!
            .shipping_address
        expect(addressOf(long.id as string).first_name).toBe(longName)
        expect(addressOf(emoji.id as string)).toMatchObject({
          first_name: "花子🎁",
          last_name: "山田🌸",
          address_1: "見本町1-2-3 🏠",
        })
        expect(addressOf(wide.id as string)).toMatchObject({
          postal_code: "150-0001",
          phone: "090-0000-1234",
        })
        await expectExactlyOnce([
          base.id as string,
          long.id as string,
          emoji.id as string,
          wide.id as string,
        ])
      })

      it("records a clear reason for an order that cannot be imported, and imports the rest", async () => {
        const ok = addOrders(1)
        const bad = sandbox.addOrder({ selling_price: "abc" } as any)
        const noItem = sandbox.addOrder({ item: undefined } as any)
        const result = await importRecent()
        expect(result.run.state).toBe("partial")
        const reasons = new Map(
          result.run.errors.map((e: any) => [e.line_gift_order_id, e.reason])
        )
        expect(reasons.get(bad.id)).toMatch(/selling_price/)
        expect(reasons.get(noItem.id)).toMatch(/item/)
        const records = await service().listLineGiftOrders({
          shop_id: shopId,
          line_gift_order_id: [bad.id, noItem.id],
        })
        expect(records.map((r: any) => r.state)).toEqual(["failed", "failed"])
        expect(
          records.every((r: any) => /selling_price|item/.test(r.failure_reason))
        ).toBe(true)
        await expectExactlyOnce(ok)
      })
    })

    describe("tokens", () => {
      it("refreshes an access token that expires mid-run, and the run completes", async () => {
        const ids = addOrders(2)
        setHttp({ pageDelayMs: 300 })
        const running = importRecent()
        await waitFor(() => searchCalls().length >= 1, "page 1")
        sandbox.expireAccessTokens()
        const result = await running
        expect(result.run.state).toBe("succeeded")
        expect(
          sandbox.calls.filter((c) => c.kind === "refresh" && c.status === 200)
        ).toHaveLength(1)
        expect(searchCalls().some((c) => c.status === 401)).toBe(true)
        await expectExactlyOnce(ids)
      })

      it("refreshes once when LINE Gift says 'expired' inside an HTTP 200", async () => {
        const ids = addOrders(1)
        sandbox.setFaults({ expiredAsBodyError: true })
        sandbox.expireAccessTokens()
        const result = await importRecent()
        expect(result.run.state).toBe("succeeded")
        expect(sandbox.calls.filter((c) => c.kind === "refresh")).toHaveLength(
          1
        )
        await expectExactlyOnce(ids)
      })

      it("two concurrent refreshers of a single-use refresh token: one refresh, both proceed, no lock-out", async () => {
        sandbox.expireAccessTokens()
        const [a, b] = await Promise.all([
          getLineGiftClient(getContainer(), shopId),
          getLineGiftClient(getContainer(), shopId),
        ])
        const pages = await Promise.all([
          a.searchOrders({ page: 1 }),
          b.searchOrders({ page: 1 }),
        ])
        expect(pages.every((p) => p.orders.length > 0)).toBe(true)
        const refreshes = sandbox.calls.filter((c) => c.kind === "refresh")
        expect(refreshes).toHaveLength(1)
        expect(refreshes[0].status).toBe(200)
        // Not locked out: the stored (rotated) refresh token still works.
        await refreshLineGiftAccessTokenWorkflow(getContainer()).run({
          input: { shop_id: shopId },
        })
        expect(
          sandbox.calls.filter((c) => c.kind === "refresh" && c.status === 200)
        ).toHaveLength(2)
      })
    })

    describe("a long LINE Gift outage", () => {
      it("delivers every shipment made during the outage exactly once after LINE Gift returns", async () => {
        await service().updateShop(shopId, {
          default_carrier: "ヤマト運輸",
          auto_export: true,
        })
        // Items without managed inventory: this is about shipments, not stock.
        const ids = Array.from(
          { length: 4 },
          () =>
            sandbox.addOrder({
              item: {
                id: "300104",
                code: "LG-SAKE-04",
                name: "純米吟醸 飲み比べセット",
              },
              variation: {
                id: "900141",
                code: "LG-SAKE-04-3",
                name: "3本セット",
              },
              stock_count: 1,
              selling_price: 5500,
            } as any).id as string
        )
        const imported = await importRecent()
        expect(imported.run.state).toBe("succeeded")
        const orderOf = new Map(
          imported.created.map((c) => [c.line_gift_order_id, c.order_id])
        )

        sandbox.setFaults({ outage: true })
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        for (const [i, id] of ids.entries()) {
          const { data } = await query.graph({
            entity: "order",
            fields: ["id", "items.*"],
            filters: { id: orderOf.get(id)! },
          })
          await createOrderFulfillmentWorkflow(getContainer()).run({
            input: {
              order_id: orderOf.get(id)!,
              items: (data[0] as any).items.map((it: any) => ({
                id: it.id,
                quantity: Number(it.quantity),
              })),
              labels: [
                {
                  tracking_number: `70000000000${i}`,
                  tracking_url: "",
                  label_url: "",
                },
              ],
            },
          })
        }
        const exports = async () =>
          (await service().listLineGiftExports({
            shop_id: shopId,
            line_gift_order_id: ids,
          })) as any[]
        // The fulfilment subscriber tried each one once and left it pending.
        const deadline = Date.now() + 60_000
        while (
          (await exports()).filter((e) => e.attempts >= 1).length < ids.length
        ) {
          if (Date.now() > deadline)
            throw new Error("the subscriber did not try every export")
          await sleep(200)
        }
        // Hours of outage: every sweep fails, nothing is lost.
        for (const hours of [1, 3, 8]) {
          await runLineGiftExportSweep(getContainer(), {
            now: new Date(Date.now() + hours * 3600_000),
            shop_id: shopId,
          })
        }
        const during = await exports()
        expect(during.map((e) => e.state)).toEqual(ids.map(() => "pending"))
        expect(during.every((e) => e.last_error)).toBe(true)
        expect(
          ids.every((id) => (sandbox.getOrder(id) as any).status === "payment")
        ).toBe(true)

        sandbox.setFaults({ outage: false })
        // LINE Gift is back: sweeps (as the job runs them) until nothing is pending.
        for (
          let sweep = 0;
          sweep < 10 && (await exports()).some((e) => e.state === "pending");
          sweep++
        ) {
          await runLineGiftExportSweep(getContainer(), {
            now: new Date(Date.now() + 2 * 86400_000),
            shop_id: shopId,
          })
        }
        await runLineGiftExportSweep(getContainer(), {
          now: new Date(Date.now() + 4 * 86400_000),
          shop_id: shopId,
        })

        const after = await exports()
        expect(after.map((e) => e.state)).toEqual(ids.map(() => "sent"))
        for (const [i, id] of ids.entries()) {
          const delivered = sandbox.calls.filter(
            (c) =>
              c.kind === "delivery" &&
              c.path.includes(`/order/${id}/`) &&
              c.status === 200
          )
          expect({ id, delivered: delivered.length }).toEqual({
            id,
            delivered: 1,
          })
          expect(sandbox.getOrder(id)).toMatchObject({
            status: "received",
            delivery_code: `70000000000${i}`,
            delivery_agent: "ヤマト運輸",
          })
        }
      })
    })

    describe("encryption key rotation", () => {
      const envKey = process.env.LINE_GIFT_ENCRYPTION_KEY!
      const newKeyRaw = Buffer.alloc(32, 42).toString("base64")

      afterEach(() => {
        delete process.env.LINE_GIFT_ENCRYPTION_KEY_OLD
        process.env.LINE_GIFT_ENCRYPTION_KEY = envKey
      })

      it("re-encrypts every secret with the new key in one go (the CLI script), and a second run changes nothing", async () => {
        const other = await service().createShop({
          name: "二号店",
          client_id: "x",
          client_secret: "second-secret",
        })
        const before = (await service().listLineGiftShops({}, {})) as any[]
        process.env.LINE_GIFT_ENCRYPTION_KEY_OLD = envKey
        process.env.LINE_GIFT_ENCRYPTION_KEY = newKeyRaw
        const options = service().getOptions() as any
        const configured = options.encryptionKey
        options.encryptionKey = newKeyRaw
        try {
          const result = await rotateEncryptionKey({
            container: getContainer(),
            args: [],
          } as any)
          expect(result).toEqual({ shops: 2, reencrypted: 4, already_new: 0 })
          const newKey = parseEncryptionKey(newKeyRaw)
          const oldKey = parseEncryptionKey(envKey)
          const after = (await service().listLineGiftShops({}, {})) as any[]
          for (const shop of after) {
            const was = before.find((b) => b.id === shop.id)
            for (const column of [
              "client_secret_encrypted",
              "access_token_encrypted",
              "refresh_token_encrypted",
            ]) {
              if (!was[column]) {
                expect(shop[column]).toBeNull()
                continue
              }
              expect(shop[column]).not.toBe(was[column])
              expect(decryptSecret(shop[column], newKey)).toBe(
                decryptSecret(was[column], oldKey)
              )
              expect(() => decryptSecret(shop[column], oldKey)).toThrow()
            }
          }
          // The service now works with the new key.
          expect(
            (await service().getShopCredentials(other.id)).clientSecret
          ).toBe("second-secret")
          const again = await rotateEncryptionKey({
            container: getContainer(),
            args: [],
          } as any)
          expect(again).toEqual({ shops: 2, reencrypted: 0, already_new: 4 })
        } finally {
          options.encryptionKey = configured
          ;(service() as any).key_ = undefined
        }
      })

      it("changes nothing when one secret decrypts with neither key, and says which shop", async () => {
        const other = await service().createShop({
          name: "壊れた店",
          client_id: "y",
          client_secret: "z",
        })
        await service().updateLineGiftShops({
          id: other.id,
          client_secret_encrypted: encryptSecret("z", Buffer.alloc(32, 99)),
        } as any)
        const before = (await service().listLineGiftShops(
          {},
          { order: { id: "ASC" } }
        )) as any[]
        await expect(
          service().reencryptSecrets(
            parseEncryptionKey(envKey),
            parseEncryptionKey(newKeyRaw)
          )
        ).rejects.toThrow(
          new RegExp(`${other.id}: client_secret decrypts with neither`)
        )
        const after = (await service().listLineGiftShops(
          {},
          { order: { id: "ASC" } }
        )) as any[]
        expect(after.map((s) => s.client_secret_encrypted)).toEqual(
          before.map((s) => s.client_secret_encrypted)
        )
        expect(after.map((s) => s.access_token_encrypted)).toEqual(
          before.map((s) => s.access_token_encrypted)
        )
      })
    })
  },
})
