/**
 * scripts/lib/jest-args.js: how `npm test` splits its arguments into Jest options and test
 * path patterns.
 */
const { splitJestArgs } = require("../../scripts/lib/jest-args.js")

describe("splitJestArgs", () => {
  it("keeps the value of -t with it, not as a path pattern", () => {
    expect(
      splitJestArgs([
        "integration-tests/http/import.spec.ts",
        "-t",
        "second time",
      ])
    ).toEqual({
      options: ["-t", "second time"],
      patterns: ["integration-tests/http/import.spec.ts"],
    })
  })

  it("takes values of long options written apart or with =", () => {
    expect(
      splitJestArgs([
        "--testNamePattern",
        "refuses",
        "--shard=1/2",
        "--ci",
        "integration-tests/unit",
        "--testTimeout",
        "5000",
        "integration-tests/http",
      ])
    ).toEqual({
      options: [
        "--testNamePattern",
        "refuses",
        "--shard=1/2",
        "--ci",
        "--testTimeout",
        "5000",
      ],
      patterns: ["integration-tests/unit", "integration-tests/http"],
    })
  })

  it("passes paths alone and a trailing option without value as they are", () => {
    expect(splitJestArgs(["integration-tests/unit"])).toEqual({
      options: [],
      patterns: ["integration-tests/unit"],
    })
    expect(splitJestArgs(["-t"])).toEqual({ options: ["-t"], patterns: [] })
  })
})
