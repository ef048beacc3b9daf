/**
 * `npm run bench -- --growth … --plot`: the growth chart (SVG) — time per order and sampled peak
 * RSS growth against backlog size — drawn with Vega-Lite (compiled to Vega, rendered headless in
 * node: pure JS, no canvas, no system libraries).
 *
 * Also usable on saved results: `node scripts/bench/plot.js [bench-results/latest.json] [out.svg]`.
 * Plain CommonJS like bench.js; vega and vega-lite are ESM, loaded with import().
 */
"use strict"

const fs = require("fs")
const path = require("path")

/**
 * The Vega-Lite spec of the growth chart: two panels side by side, backlog size on a log
 * x axis; left ms/order (with the ±20 % band around the first size), right peak RSS growth in
 * MB (with the 150 MB target line).
 * @param {Array<{orders: number, ms_per_order: number, rss_peak_growth_mb: number}>} rows
 * @param {string} title
 */
function growthSpec(rows, title) {
  const values = rows.map((r) => ({
    backlog: r.orders,
    ms_per_order: Number(r.ms_per_order.toFixed(2)),
    rss_mb: Number(r.rss_peak_growth_mb.toFixed(1)),
  }))
  const base = values[0] ? values[0].ms_per_order : 0
  const x = {
    field: "backlog",
    type: "quantitative",
    scale: { type: "log" },
    title: "backlog (orders, log scale)",
  }
  const panel = (field, yTitle, color, rules) => ({
    width: 320,
    height: 220,
    layer: [
      ...rules,
      {
        mark: { type: "line", point: true, color },
        encoding: {
          x,
          y: {
            field,
            type: "quantitative",
            title: yTitle,
            scale: { zero: true },
          },
          tooltip: [{ field: "backlog" }, { field }],
        },
      },
      {
        mark: { type: "text", dy: -10, color },
        encoding: { x, y: { field, type: "quantitative" }, text: { field } },
      },
    ],
  })
  const rule = (value, label) => ({
    data: { values: [{ v: value, label }] },
    layer: [
      {
        mark: { type: "rule", strokeDash: [4, 4], color: "#999" },
        encoding: { y: { field: "v", type: "quantitative" } },
      },
      {
        mark: { type: "text", align: "left", x: 4, dy: -6, color: "#777" },
        encoding: {
          y: { field: "v", type: "quantitative" },
          text: { field: "label" },
        },
      },
    ],
  })
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values },
    hconcat: [
      panel(
        "ms_per_order",
        "time per order (ms)",
        "#1f77b4",
        base
          ? [rule(base * 1.2, "first size +20 %"), rule(base * 0.8, "−20 %")]
          : []
      ),
      panel("rss_mb", "peak RSS growth (MB)", "#d62728", [
        rule(150, "target 150 MB"),
      ]),
    ],
    config: { font: "sans-serif", background: "white" },
  }
}

/**
 * Renders the growth chart of `results` (bench JSON: results.growth.rows) to `file` (SVG).
 * @returns the path written
 * @throws when there is no growth row to draw
 */
async function plotGrowth(results, file) {
  const rows = results && results.growth && results.growth.rows
  if (!rows || !rows.length) throw new Error("no growth rows to plot")
  const vega = await import("vega")
  const vegaLite = await import("vega-lite")
  const title = `medusa-line-gift import growth — ${results.machine || ""}`
  const compiled = vegaLite.compile(growthSpec(rows, title)).spec
  const view = new vega.View(vega.parse(compiled), { renderer: "none" })
  const svg = await view.toSVG()
  view.finalize()
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, svg)
  return file
}

module.exports = { growthSpec, plotGrowth }

if (require.main === module) {
  const input = process.argv[2] || path.join("bench-results", "latest.json")
  const output = process.argv[3] || path.join("bench-results", "growth.svg")
  const saved = JSON.parse(fs.readFileSync(input, "utf8"))
  plotGrowth(saved.results || saved, output).then(
    (f) => console.log(`chart: ${f}`),
    (e) => {
      console.error(e && e.message ? e.message : e)
      process.exit(1)
    }
  )
}
