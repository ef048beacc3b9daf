/**
 * How `npm test` (scripts/test.js) reads the arguments given after `npm test --`.
 * Plain CommonJS: it runs before anything is compiled.
 */
"use strict"

/**
 * Jest options that take their value as the next argument (`-t "name"`, `--shard 1/2`); an
 * option written `--name=value` carries it already. Jest's CLI options with a value that a
 * test run can use.
 */
const OPTIONS_WITH_VALUE = new Set([
  "-t",
  "--testNamePattern",
  "-c",
  "--config",
  "--testPathPattern",
  "--testPathIgnorePatterns",
  "--shard",
  "--selectProjects",
  "--testTimeout",
  "--maxWorkers",
  "-w",
  "--reporters",
  "--seed",
  "--coverageDirectory",
  "--collectCoverageFrom",
])

/**
 * Splits `npm test` arguments into Jest options (each with its value) and test path patterns.
 * `npm test -- integration-tests/http/import.spec.ts -t "second time"` →
 * options `["-t", "second time"]`, patterns `["integration-tests/http/import.spec.ts"]`:
 * the value after `-t` is not a path pattern (it used to be read as one, and dropped from the
 * runs, so the whole file ran).
 * @param {string[]} args
 * @returns {{ options: string[], patterns: string[] }}
 */
function splitJestArgs(args) {
  const options = []
  const patterns = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (!arg.startsWith("-")) {
      patterns.push(arg)
      continue
    }
    options.push(arg)
    if (OPTIONS_WITH_VALUE.has(arg) && i + 1 < args.length) {
      options.push(args[++i])
    }
  }
  return { options, patterns }
}

module.exports = { splitJestArgs }
