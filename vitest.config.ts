import { defineConfig } from "vitest/config"

/** Test files that kill and restart runner processes; they run after the rest, one at a time. */
const aloneFiles = ["test/cluster/failover/**/*.test.ts"]

export default defineConfig({
  test: {
    // Tests start real PostgreSQL, LibreOffice and platform processes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: [
            "packages/*/test/**/*.test.ts",
            "entities/*/test/**/*.test.ts",
            "services/*/test/**/*.test.ts",
            "runners/*/test/**/*.test.ts",
            "test/**/*.test.ts"
          ],
          exclude: ["**/node_modules/**", ...aloneFiles],
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          name: "alone",
          include: aloneFiles,
          // Failover timing depends on the runners getting the CPU, so nothing runs beside them.
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
