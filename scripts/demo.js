#!/usr/bin/env node
/**
 * `npm run demo` — the main job, end to end, on this machine:
 *   1. PostgreSQL (embedded in .demo/pg unless DATABASE_URL / DB_HOST is set), migrations;
 *   2. a Japanese demo store whose SKUs match the sandbox, and an admin user;
 *   3. the sandbox (a local LINE Gift) and Medusa with this plugin;
 *   4. a shop connected through the OAuth flow (consent page approved as a person would);
 *   5. an import of the last 7 days of 発送待ち (payment) orders, and a readable summary.
 * Running it again imports nothing new and says so.
 *
 * Personal data stays out of the output: prefecture and item only, no names or addresses.
 */
"use strict"

const fs = require("fs")
const path = require("path")
const { spawn } = require("child_process")
const {
  prepareDemoEnvironment,
  medusa,
  startSandbox,
  DEMO_DIR,
  MEDUSA_PORT,
  REPO_ROOT,
} = require("./lib/demo-env")

const SHOP_NAME = "デモ店 (sandbox)"
const log = (msg = "") => console.log(msg)
const step = (msg) => console.log(`\n▶ ${msg}`)

async function main() {
  const axios = require("axios")

  step("Database")
  const db = await prepareDemoEnvironment()
  log(`  ${db.description}`)
  const env = {
    ...db.env,
    MEDUSA_ADMIN_DISABLE: "true",
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  }

  const children = []
  let sandbox
  const cleanup = async () => {
    for (const child of children) {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGTERM")
        } catch {
          child.kill("SIGTERM")
        }
      }
    }
    if (sandbox) await sandbox.close().catch(() => {})
    await db.stop().catch(() => {})
  }
  process.on("SIGINT", () => cleanup().then(() => process.exit(130)))
  process.on("SIGTERM", () => cleanup().then(() => process.exit(143)))

  try {
    step("Migrations (medusa db:migrate)")
    if ((await medusa(["db:migrate", "--skip-scripts"], quiet(env))) !== 0) {
      throw new Error(
        "medusa db:migrate failed (run it with LOG_LEVEL=info to see why)"
      )
    }

    step(
      "Demo store: region 日本 (JPY), sales channel, warehouse, catalogue, admin user"
    )
    if ((await medusa(["exec", "./scripts/seed-demo.ts"], quiet(env))) !== 0) {
      throw new Error("seeding the demo store failed")
    }
    const seeded = JSON.parse(
      fs.readFileSync(path.join(DEMO_DIR, "seed.json"), "utf8")
    )
    log(
      `  region ${seeded.region_id}, sales channel ${seeded.sales_channel_id}, ${Object.keys(seeded.variants).length} variants`
    )

    step("Sandbox (local LINE Gift)")
    sandbox = await startSandbox()
    log(
      `  ${sandbox.url}  (${sandbox.orders.length} seeded orders over 90 days)`
    )

    step(`Medusa on http://localhost:${MEDUSA_PORT}`)
    await assertPortFree(MEDUSA_PORT)
    // `medusa start` runs the TypeScript project as is; detached so that the whole process
    // group (Medusa forks workers) can be stopped at the end.
    const server = spawn(
      path.join(REPO_ROOT, "node_modules", ".bin", "medusa"),
      ["start"],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      }
    )
    children.push(server)
    const serverLog = []
    const keep = (chunk) => {
      serverLog.push(String(chunk))
      if (serverLog.length > 200) serverLog.shift()
    }
    server.stdout.on("data", keep)
    server.stderr.on("data", keep)
    const base = `http://localhost:${MEDUSA_PORT}`
    await waitForHealth(axios, base, server, serverLog)
    log("  ready")

    const api = axios.create({ baseURL: base, validateStatus: () => true })
    const login = await api.post("/auth/user/emailpass", {
      email: seeded.admin_email,
      password: process.env.DEMO_ADMIN_PASSWORD || "supersecret",
    })
    if (!login.data.token)
      throw new Error(`admin login failed: HTTP ${login.status}`)
    const auth = { headers: { authorization: `Bearer ${login.data.token}` } }

    step("LINE Gift shop")
    let shop = (await api.get("/admin/line-gift/shops", auth)).data.shops.find(
      (s) => s.name === SHOP_NAME
    )
    if (!shop) {
      const created = await api.post(
        "/admin/line-gift/shops",
        {
          name: SHOP_NAME,
          client_id: "sandbox-client-id",
          client_secret: "sandbox-client-secret",
          region_id: seeded.region_id,
          sales_channel_id: seeded.sales_channel_id,
          shipping_option_id: seeded.shipping_option_id,
        },
        auth
      )
      if (created.status !== 201)
        throw new Error(
          `creating the shop failed: ${JSON.stringify(created.data)}`
        )
      shop = created.data.shop
      log(`  created ${shop.id}`)
    } else {
      log(`  found ${shop.id}`)
    }

    step("OAuth: authorize page → 「許可する」 → callback")
    const start = await api.post(
      `/admin/line-gift/shops/${shop.id}/oauth/authorize`,
      {},
      auth
    )
    if (start.status !== 200)
      throw new Error(`starting OAuth failed: ${JSON.stringify(start.data)}`)
    const authorizeUrl = new URL(start.data.authorize_url)
    const page = await axios.get(authorizeUrl.toString())
    log(
      `  consent page: ${authorizeUrl.origin}${authorizeUrl.pathname} (${page.status})`
    )
    const approve = await axios.post(
      `${authorizeUrl.origin}/oauth2/authorize`,
      new URLSearchParams({
        ...Object.fromEntries(authorizeUrl.searchParams),
        decision: "approve",
      }).toString(),
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        maxRedirects: 0,
        validateStatus: (s) => s === 302,
      }
    )
    const callback = await axios.get(approve.headers.location, {
      maxRedirects: 0,
      validateStatus: (s) => s === 302,
    })
    const back = new URL(callback.headers.location)
    if (back.searchParams.get("oauth") !== "success") {
      throw new Error(`OAuth failed: ${back.searchParams.get("reason")}`)
    }
    shop = (await api.get(`/admin/line-gift/shops/${shop.id}`, auth)).data.shop
    log(
      `  connected: refresh token valid until ${jst(shop.refresh_token_expires_at)}, access token until ${jst(shop.access_token_expires_at)}`
    )

    step(`Import: last ${shop.fetch_days} days, status payment (発送待ち)`)
    // The shop's fetch window (7 days); a manual import without `from` covers the last 24 hours.
    const from = new Date(
      Date.now() - shop.fetch_days * 86400_000
    ).toISOString()
    const imported = await api.post(
      `/admin/line-gift/shops/${shop.id}/import`,
      { from },
      auth
    )
    if (imported.status !== 200)
      throw new Error(`import failed: ${JSON.stringify(imported.data)}`)
    const { run, orders } = imported.data
    printSummary(run, orders)

    const shipped = await demoShipment(api, auth, sandbox, shop)

    log(
      "\nOpen the admin on the same data:  npm run dev   → http://localhost:9000/app"
    )
    log(
      `  log in as ${seeded.admin_email} / ${process.env.DEMO_ADMIN_PASSWORD ? "(DEMO_ADMIN_PASSWORD)" : "supersecret"}`
    )
    log(
      "  (npm run dev starts the sandbox too; the database stays in .demo/ — delete it to start over)"
    )
    return run.state === "failed" || !shipped ? 1 : 0
  } finally {
    await cleanup()
  }
}

// ---------------------------------------------------------------------------------------
// Shipment back to LINE Gift (issue 3, engineer D)

/**
 * Fulfils one imported, not yet fulfilled order through Medusa's admin API and marks it
 * shipped with a tracking number (labels); the plugin's subscriber pushes it to LINE Gift.
 * Shows the sandbox order moving to `received` with that number and carrier, and the export
 * row. Runs again fine: it picks an order not fulfilled yet, or says there is none.
 * @returns false when the shipment did not reach LINE Gift.
 */
async function demoShipment(api, auth, sandbox, shop) {
  step(
    "Shipment: fulfil one imported order with a tracking number → LINE Gift (伝票番号・配送業者)"
  )
  if (!shop.default_carrier && !Object.keys(shop.carrier_map ?? {}).length) {
    const set = await api.post(
      `/admin/line-gift/shops/${shop.id}`,
      { default_carrier: "ヤマト運輸" },
      auth
    )
    if (set.status !== 200)
      throw new Error(
        `setting the default carrier failed: ${JSON.stringify(set.data)}`
      )
    log(
      "  shop default carrier set to ヤマト運輸 (Settings → LINE Gift can map shipping options instead)"
    )
  }
  const list = await api.get(
    "/admin/orders?limit=500&order=created_at&fields=id,display_id,metadata,*items,*fulfillments",
    auth
  )
  if (list.status !== 200)
    throw new Error(`listing orders failed: ${JSON.stringify(list.data)}`)
  const candidates = list.data.orders.filter((o) => {
    const lg = o.metadata?.line_gift
    return (
      lg?.shop_id === shop.id &&
      !(o.fulfillments ?? []).length &&
      sandbox.getOrder(lg.order_id)?.status === "payment"
    )
  })
  if (!candidates.length) {
    log(
      "  No imported order is left unfulfilled (every demo run ships one); delete .demo/ to start over."
    )
    return true
  }
  for (const order of candidates) {
    const lgId = order.metadata.line_gift.order_id
    const items = order.items.map((i) => ({
      id: i.id,
      quantity: Number(i.quantity),
    }))
    const fulfilled = await api.post(
      `/admin/orders/${order.id}/fulfillments`,
      { items },
      auth
    )
    if (fulfilled.status !== 200) {
      log(
        `  #${order.display_id} (LINE Gift ${lgId}): Medusa refused to fulfil it: ${fulfilled.data.message ?? fulfilled.status}; trying another`
      )
      continue
    }
    const withFulfillments = await api.get(
      `/admin/orders/${order.id}?fields=id,*fulfillments`,
      auth
    )
    const fulfillment = [
      ...(withFulfillments.data.order?.fulfillments ?? []),
    ].sort((a, b) => new Date(b.created_at) - new Date(a.created_at))[0]
    if (!fulfillment)
      throw new Error(
        `the fulfilment of order #${order.display_id} was not found`
      )
    const trackingNumber = `4${String(Date.now()).slice(-11)}`
    const shippedRes = await api.post(
      `/admin/orders/${order.id}/fulfillments/${fulfillment.id}/shipments`,
      {
        items,
        labels: [
          { tracking_number: trackingNumber, tracking_url: "", label_url: "" },
        ],
      },
      auth
    )
    if (shippedRes.status !== 200)
      throw new Error(
        `marking the shipment failed: ${JSON.stringify(shippedRes.data)}`
      )
    log(
      `  Medusa order #${order.display_id} (LINE Gift ${lgId}) fulfilled and shipped, tracking number ${trackingNumber}`
    )

    let row
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      row = (
        await api.get(`/admin/line-gift/exports?order_id=${order.id}`, auth)
      ).data.exports?.[0]
      // "held" can be the fulfilment event's answer (no label yet) before the shipment's.
      if (row && (row.state === "sent" || row.state === "failed")) break
      await new Promise((r) => setTimeout(r, 500))
    }
    if (!row) {
      log("  ✗ no export was recorded within 30 s (is the subscriber loaded?)")
      return false
    }
    log(
      `  export ${row.id}: ${row.state}` +
        (row.ship_date ? `, ship date ${row.ship_date} (Japan)` : "") +
        (row.last_error ? ` — ${row.last_error}` : "")
    )
    const lg = sandbox.getOrder(lgId)
    log(
      `  sandbox LINE Gift order ${lgId}: status ${lg.status}, delivery_code ${lg.delivery_code ?? "-"}, delivery_agent ${lg.delivery_agent ?? "-"}, shipment_date ${lg.shipment_date ?? "-"}`
    )
    return (
      row.state === "sent" &&
      lg.status === "received" &&
      lg.delivery_code === trackingNumber
    )
  }
  log("  ✗ Medusa refused to fulfil every candidate (see the reasons above)")
  return false
}

/** Refuses to start when something (e.g. `npm run dev`) already listens on the port. */
async function assertPortFree(port) {
  const net = require("net")
  const inUse = await new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })
  if (inUse) {
    throw new Error(
      `port ${port} is in use (is \`npm run dev\` running?). Stop it, or set PORT=…`
    )
  }
}

function quiet(env) {
  return { ...env, LOG_LEVEL: process.env.LOG_LEVEL || "error" }
}

async function waitForHealth(axios, base, server, serverLog) {
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(
        `Medusa exited (${server.exitCode}):\n${serverLog.join("").slice(-3000)}`
      )
    }
    try {
      const res = await axios.get(`${base}/health`, { timeout: 2000 })
      if (res.status === 200) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
  throw new Error(
    `Medusa did not answer on ${base}/health within 3 minutes:\n${serverLog.join("").slice(-3000)}`
  )
}

const yen = (n) =>
  n === null || n === undefined ? "-" : `¥${Number(n).toLocaleString("ja-JP")}`
const jst = (iso) =>
  iso
    ? new Intl.DateTimeFormat("ja-JP", {
        timeZone: "Asia/Tokyo",
        dateStyle: "medium",
        timeStyle: "short",
      }).format(new Date(iso))
    : "-"

function printSummary(run, orders) {
  if (orders.length) {
    const rows = orders.map((o) => [
      o.line_gift_order_id,
      o.display_id === null ? "-" : `#${o.display_id}`,
      yen(o.total),
      o.province ?? "-",
      o.item ?? "-",
      o.flags.join(", "),
    ])
    table(
      [
        "LINE Gift ID",
        "Medusa",
        "合計 (total)",
        "都道府県",
        "商品 (item)",
        "flags",
      ],
      rows
    )
  }
  log("")
  log(
    `  run ${run.id}: ${run.state} — seen ${run.seen_count}, created ${run.created_count}, ` +
      `already imported ${run.already_imported_count}, skipped by filter ${run.skipped_count}, failed ${run.failed_count}`
  )
  if (run.created_count === 0 && run.already_imported_count > 0) {
    log(
      `  Nothing new: all ${run.already_imported_count} matching orders were imported by an earlier run.`
    )
  }
  for (const e of run.errors ?? []) {
    log(`  ✗ ${e.line_gift_order_id ?? "(no id)"}: ${e.reason}`)
  }
  if (run.error) log(`  ✗ ${run.error}`)
}

/** Prints a table; East Asian wide characters count as two columns. */
function table(header, rows) {
  const width = (s) =>
    [...String(s)].reduce(
      (n, ch) =>
        n + (/[\u1100-\uffff]/.test(ch) && !/[\uff61-\uff9f]/.test(ch) ? 2 : 1),
      0
    )
  const widths = header.map((h, i) =>
    Math.max(width(h), ...rows.map((r) => width(r[i])))
  )
  const line = (cells) =>
    "  " +
    cells.map((c, i) => String(c) + " ".repeat(widths[i] - width(c))).join("  ")
  log(line(header))
  log("  " + widths.map((w) => "─".repeat(w)).join("  "))
  rows.forEach((r) => log(line(r)))
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`\ndemo failed: ${err.message}`)
    process.exit(1)
  }
)
