import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "entities/*/test/**/*.test.ts",
      "services/*/test/**/*.test.ts",
      "runners/*/test/**/*.test.ts",
      "test/**/*.test.ts"
    ],
    // Tests start real PostgreSQL, LibreOffice and platform processes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default"]
  }
})
