#!/usr/bin/env node
/**
 * `npm run sandbox [-- --port 7755 --seed 20261129 --orders 300 --auto-approve --quiet]`:
 * starts the local LINE Gift sandbox (sandbox/cli.ts) through ts-node.
 */
require("ts-node").register({
  transpileOnly: true,
  swc: true,
  compilerOptions: { module: "commonjs" },
})
require("../sandbox/cli")
  .main()
  .catch((err) => {
    console.error(`sandbox: ${err && err.message ? err.message : err}`)
    process.exit(1)
  })
