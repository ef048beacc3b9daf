// ESLint (flat config) for the plugin, its admin, the sandbox, scripts and tests.
// Type-aware rules (no-floating-promises, …) run where a tsconfig covers the file:
// src/ (tsconfig.json), src/admin/ (src/admin/tsconfig.json), sandbox/ (sandbox/tsconfig.json).
// `any` is an error in the plugin's own code; where a framework signature forces it, the line
// carries `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- <reason>`.
// Formatting is Prettier's (.prettierrc, Medusa's own settings); eslint-config-prettier turns
// off the rules that would fight it.
import js from "@eslint/js"
import prettier from "eslint-config-prettier"
import reactHooks from "eslint-plugin-react-hooks"
import globals from "globals"
import tseslint from "typescript-eslint"

export default tseslint.config(
  {
    ignores: [
      ".medusa/**",
      ".demo/**",
      ".cache/**",
      "node_modules/**",
      "coverage/**",
      "test-artifacts/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}", "sandbox/**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
    },
  },
  {
    // Orchestration reads as named stages: no function over a screen (issue 14).
    files: ["src/workflows/**/*.ts", "src/lib/**/*.ts", "sandbox/**/*.ts"],
    rules: {
      "max-lines-per-function": [
        "error",
        { max: 80, skipBlankLines: true, skipComments: true },
      ],
    },
  },
  {
    files: ["src/admin/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
  {
    // Scripts, tests and configs: no type information (outside the tsconfigs); `any` allowed in
    // tests, where fixtures are deliberately malformed.
    files: [
      "scripts/**/*.{js,ts}",
      "integration-tests/**/*.{js,ts}",
      "*.{js,mjs,cjs}",
    ],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrors: "none",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  prettier
)
