/**
 * Argument parsing and the one results table of `npm run bench` (plain CommonJS, no deps).
 */
"use strict"

/** Default sizes: a default run stays under ~5 minutes on a 2-core machine. */
const DEFAULTS = Object.freeze({
  orders: 200,
  perOrder: 3,
  refetch: 2500,
  refetchPages: 25,
  // The re-fetch row reuses the memory phase's imported orders when there are enough.
  backlog: 2500,
  push: 100,
  profile: 0,
  growth: [100, 1000, 10000],
  only: ["speed", "refetch", "memory", "push", "shops"],
  shops: 10,
  plot: false,
  keepDb: false,
})

/**
 * Parses `--orders N --refetch N --backlog N --push N --profile N --only a,b --keep-db`.
 * @throws Error for an unknown flag or a value that is not a non-negative integer.
 */
function parseArgs(argv) {
  const opts = { ...DEFAULTS, only: [...DEFAULTS.only] }
  const int = (flag, v) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${flag}: expected a non-negative integer, got ${v}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const [flag, inline] = a.includes("=") ? a.split(/=(.*)/s) : [a, undefined]
    const value = () => (inline !== undefined ? inline : argv[++i])
    switch (flag) {
      case "--orders":
        opts.orders = int(flag, value())
        break
      case "--refetch":
        opts.refetch = int(flag, value())
        break
      case "--backlog":
        opts.backlog = int(flag, value())
        break
      case "--push":
        opts.push = int(flag, value())
        break
      case "--per-order":
        opts.perOrder = int(flag, value())
        break
      case "--profile":
        opts.profile = int(flag, value())
        break
      case "--growth":
        opts.growth = String(value())
          .split(",")
          .map((v) => int(flag, v.trim()))
        if (!opts.only.includes("growth")) opts.only.push("growth")
        break
      case "--only":
        opts.only = String(value())
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
        break
      case "--plot":
        opts.plot = true
        break
      case "--shops":
        opts.shops = int(flag, value())
        if (!opts.only.includes("shops")) opts.only.push("shops")
        break
      case "--keep-db":
        opts.keepDb = true
        break
      case "--db":
        opts.db = String(value())
        break
      case "-h":
      case "--help":
        opts.help = true
        break
      default:
        throw new Error(`unknown option ${a} (see npm run bench -- --help)`)
    }
  }
  if (opts.profile > 0 && !opts.only.includes("profile"))
    opts.only.push("profile")
  opts.refetchPages = Math.max(1, Math.ceil(opts.refetch / 100))
  return opts
}

const fmt = (n, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "n/a"
    : Number(n).toFixed(digits)

/** Prints the one table (and the profile breakdown, when asked for, under it). */
function printTable(r, opts) {
  const rows = []
  const add = (metric, value, note = "") => rows.push([metric, value, note])
  if (r.speed) {
    const s = r.speed
    add(
      `core createOrderWorkflow (${s.core.orders} orders)`,
      `${fmt(s.core.per_s)} orders/s`,
      `${fmt(s.core.ms_per_order, 0)} ms/order, sequential`
    )
    add(
      `plugin bulk import (${s.bulk.orders} orders)`,
      `${fmt(s.bulk.per_s)} orders/s`,
      `${fmt(s.bulk.ms_per_order, 1)} ms/order, pages of ${s.bulk.page_size}, incl. fetch+payment+reservations+links`
    )
    if (s.floor) {
      add(
        `floor: orderModule.createOrders alone (${s.floor.orders} orders)`,
        `${fmt(s.floor.per_s)} orders/s`,
        `${fmt(s.floor.ms_per_order, 1)} ms/order, pages of ${s.floor.page_size}, same prepared orders, no payment/reservation/link`
      )
    }
    add(
      "ratio plugin / core",
      `${fmt(s.ratio, 1)}×`,
      s.ratio >= 15 ? "target ≥ 15× met" : "target ≥ 15× NOT met"
    )
    if (s.floor) {
      add(
        "ratio plugin / floor",
        `${fmt(s.ratio_floor, 2)}×`,
        s.ratio_floor >= 0.8 ? "target ≥ 0.8× met" : "target ≥ 0.8× NOT met"
      )
    }
    if (s.per_order) {
      add(
        `plugin per-order import (${s.per_order.orders} orders)`,
        `${fmt(s.per_order.per_s, 2)} orders/s`,
        `${fmt(s.per_order.ms_per_order, 0)} ms/order (the path before bulk)`
      )
    }
  } else if (opts.only.includes("speed")) {
    add("core vs plugin", "n/a", r.errors?.speed ?? "not run")
  }
  if (r.refetch) {
    const f = r.refetch
    add(
      `no-change re-fetch (${f.orders} imported, ${f.pages} pages)`,
      `${fmt(f.plugin_ms, 0)} ms plugin`,
      `wall ${fmt(f.wall_ms, 0)} ms − HTTP ${fmt(f.http_ms, 0)} ms; CPU ${fmt(f.cpu_ms, 0)} ms; Medusa writes: ${f.medusa_writes}`
    )
  } else if (opts.only.includes("refetch")) {
    add("no-change re-fetch", "n/a", r.errors?.refetch ?? "not run")
  }
  if (r.memory) {
    const m = r.memory
    add(
      `memory: ${m.orders}-order backlog, page by page`,
      `${m.rss_growth_mb >= 0 ? "+" : "−"}${fmt(Math.abs(m.rss_growth_mb), 0)} MB RSS`,
      `RSS ${fmt(m.rss_before_mb, 0)} → ${fmt(m.rss_after_mb, 0)} MB (peak ${fmt(m.rss_peak_mb, 0)}); heap +${fmt(m.heap_growth_mb, 0)} MB; ${fmt(m.per_s)} orders/s; created ${m.created}`
    )
  } else if (opts.only.includes("memory")) {
    add("memory growth", "n/a", r.errors?.memory ?? "not run")
  }
  if (r.push) {
    const p = r.push
    add(
      `push latency (${p.orders} fulfilments)`,
      `p50 ${fmt(p.p50_ms, 0)} ms / p95 ${fmt(p.p95_ms, 0)} ms`,
      p.note ?? ""
    )
  } else if (opts.only.includes("push")) {
    add(
      "push latency (fulfilment → tracking number at LINE Gift)",
      "n/a (export not available)",
      r.errors?.push ?? ""
    )
  }
  const widths = [0, 1, 2].map((i) =>
    Math.max(
      ...rows.map((row) => String(row[i]).length),
      ["metric", "value", "notes"][i].length
    )
  )
  const line = (cells) =>
    "| " + cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ") + " |"
  console.log("")
  console.log(`medusa-line-gift bench — ${r.machine ?? ""}`)
  if (rows.length) {
    console.log(line(["metric", "value", "notes"]))
    console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|")
    for (const row of rows) console.log(line(row))
  }
  if (r.growth) printGrowth(r.growth)
  else if (opts.only.includes("growth")) {
    console.log(`\ngrowth: n/a (${r.errors?.growth ?? "not run"})`)
  }
  if (r.shops) printShops(r.shops)
  else if (opts.only.includes("shops")) {
    console.log(
      `\nten shops due at once: n/a (${r.errors?.shops ?? "not run"})`
    )
  }
  if (r.profile) {
    console.log("")
    console.log(
      `per-order import, where the time goes (${r.profile.orders} orders, mean ms/order):`
    )
    for (const [k, v] of Object.entries(r.profile.phases))
      console.log(`  ${k.padEnd(44)} ${fmt(v, 1).padStart(8)} ms`)
  }
  if (r.error) console.log(`\nbench error: ${r.error}`)
}

/** Targets of issue 13 part 3 (growth). */
const GROWTH_TARGETS = Object.freeze({
  /** Time per order within ± this share of the smallest backlog's. */
  flat: 0.2,
  /** Peak RSS growth of the largest backlog, MB. */
  rssMb: 150,
  /** Plugin time beyond HTTP of the no-change re-fetch, ms. */
  refetchMs: 1000,
})

/**
 * The growth verdicts: per row its time per order vs the first row (ratio − 1), and PASS/FAIL
 * against GROWTH_TARGETS. Pure (the chart and the README use the same numbers).
 * @param g results.growth (rows: orders, ms_per_order, rss_peak_growth_mb…; refetch)
 */
function growthVerdicts(g) {
  const first = g.rows[0]
  const last = g.rows[g.rows.length - 1]
  const rel = g.rows.map((row) =>
    first && first.ms_per_order
      ? row.ms_per_order / first.ms_per_order - 1
      : NaN
  )
  const flat = rel.every((x) => Math.abs(x) <= GROWTH_TARGETS.flat)
  const rss = last ? last.rss_peak_growth_mb <= GROWTH_TARGETS.rssMb : false
  const refetch = g.refetch
    ? g.refetch.plugin_ms <= GROWTH_TARGETS.refetchMs
    : false
  return { rel, flat, rss, refetch, all: flat && rss && refetch }
}

const verdict = (ok) => (ok ? "PASS" : "FAIL")
const signed = (x, digits = 0) =>
  Number.isNaN(x) ? "n/a" : `${x >= 0 ? "+" : "−"}${fmt(Math.abs(x), digits)}`

/** Prints the growth table (one row per backlog size), the re-fetch and the verdicts. */
function printGrowth(g) {
  const v = growthVerdicts(g)
  console.log("")
  console.log(
    `growth: backlog imported page by page (bulk path) after a ${g.warmup_orders ?? 0}-order warm-up; RSS and heap sampled every 100 ms and per page; ` +
      `V8 heap limit ${g.heap_limit_mb ? `${fmt(g.heap_limit_mb, 0)} MB` : "n/a"} (NODE_OPTIONS=--max-old-space-size=<MB> sets it)`
  )
  console.log(
    "| backlog | created | total time | ms/order | vs first | first page | later pages, ms/order | GC pauses | peak RSS growth | peak heap growth | heap after GC |"
  )
  console.log(
    "|--------:|--------:|-----------:|---------:|---------:|-----------:|----------------------:|----------:|----------------:|-----------------:|--------------:|"
  )
  g.rows.forEach((row, i) => {
    console.log(
      `| ${row.orders}${row.repeats ? ` (median of ${row.repeats})` : ""} | ${row.created} | ${fmt(row.total_ms / 1000, 1)} s | ${fmt(row.ms_per_order, 1)} | ${signed(v.rel[i] * 100)} % | ${row.first_page_ms === undefined ? "n/a" : `${fmt(row.first_page_ms, 0)} ms`} | ${row.later_ms_per_order == null || Number.isNaN(row.later_ms_per_order) ? "n/a" : fmt(row.later_ms_per_order, 1)} | ${row.gc_ms === undefined ? "n/a" : `${fmt(row.gc_ms, 0)} ms (${fmt((100 * row.gc_ms) / row.total_ms, 0)} %)`} | ${signed(row.rss_peak_growth_mb)} MB | ${signed(row.heap_peak_growth_mb)} MB | ${signed(row.heap_growth_mb)} MB |`
    )
  })
  const f = g.refetch
  if (f) {
    console.log(
      `no-change re-fetch of ${f.orders} known orders (runLineGiftImport, ${f.pages} pages): plugin ${fmt(f.plugin_ms, 0)} ms beyond HTTP ` +
        `(wall ${fmt(f.wall_ms, 0)} ms − pages alone ${fmt(f.http_ms, 0)} ms); ${f.queries} SQL statements (${fmt(f.queries_per_order, 2)} per order); ` +
        `module records updated ${f.records_updated}; Medusa writes ${f.medusa_writes}`
    )
  } else {
    console.log(`no-change re-fetch: n/a (${g.refetch_error ?? "not run"})`)
  }
  const last = g.rows[g.rows.length - 1]
  console.log(
    `targets: time per order flat ±${GROWTH_TARGETS.flat * 100} % ${verdict(v.flat)}; ` +
      `peak RSS growth at ${last ? last.orders : "?"} ≤ ${GROWTH_TARGETS.rssMb} MB ${verdict(v.rss)}; ` +
      `re-fetch ≤ ${GROWTH_TARGETS.refetchMs} ms ${verdict(v.refetch)}`
  )
}

/** Prints the "ten shops due at once" row: total, per shop, the slow one. */
function printShops(s) {
  console.log("")
  console.log(
    `${s.shops} shops due at once, one tick (runDueLineGiftImports, at most ${s.concurrency} at a time), ${s.orders_per_shop} orders each, ` +
      `shop ${s.slow_index + 1}'s LINE Gift answers ${s.delay_ms} ms late per call:`
  )
  console.log(
    `total ${fmt(s.total_ms / 1000, 2)} s; slowest fast shop done at ${fmt(s.fast_max_ms / 1000, 2)} s, slow shop at ${fmt(s.slow_ms / 1000, 2)} s; ` +
      `each imported once: ${s.each_once ? "yes" : "NO"}; fast shops done before the slow one: ${s.fast_before_slow ? "yes" : "NO"}`
  )
  console.log("| shop | outcome | created | done at (s) |")
  console.log("|-----:|:--------|--------:|------------:|")
  for (const row of s.per_shop) {
    console.log(
      `| ${row.index + 1}${row.slow ? " (slow)" : ""} | ${row.outcome} | ${row.created} | ${fmt(row.done_ms / 1000, 2)} |`
    )
  }
}

module.exports = {
  parseArgs,
  printTable,
  growthVerdicts,
  GROWTH_TARGETS,
  DEFAULTS,
}
