/**
 * Jest for the plugin: unit tests (no database) and integration tests (real PostgreSQL,
 * the sandbox over HTTP). `npm test` (scripts/test.js) provides the database.
 */
const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true, tsx: true },
          target: "es2021",
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            // As tsconfig's "jsx": "react-jsx": admin components render in unit specs.
            react: { runtime: "automatic" },
          },
        },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.demo/"],
  testMatch: ["<rootDir>/integration-tests/**/*.spec.[jt]s"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
}
