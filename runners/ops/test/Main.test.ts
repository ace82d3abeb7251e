/**
 * `pw-ops` as a process: `node --import tsx runners/ops/src/main.ts` run
 * against an embedded PostgreSQL with one registered runner.
 */
import { Runner, RunnerAddress, RunnerStorage, ShardingConfig, SqlRunnerStorage } from "@effect/cluster"
import { expect, layer } from "@effect/vitest"
import * as EmbeddedPostgres from "@pw/db/EmbeddedPostgres"
import { shardGroups } from "@pw/runtime/SingleProcessCluster"
import { Effect, Layer, Redacted } from "effect"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as EmptyDatabase from "./EmptyDatabase.ts"

const mainScript = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url))

interface ProcessResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs pw-ops with `args` and `environment`, killed when interrupted or after
 * 60 seconds. The seeded runner sends no heartbeats, so a long lock expiration
 * keeps it from showing as expired while the process starts.
 */
const runOps = (args: ReadonlyArray<string>, environment: Record<string, string>) =>
  Effect.async<ProcessResult>((resume, signal) => {
    execFile(
      process.execPath,
      ["--import", "tsx", mainScript, ...args],
      { cwd: repositoryRoot, env: { ...process.env, PW_CLUSTER_LOCK_EXPIRATION: "1 hour", ...environment }, signal, timeout: 60_000 },
      (error, stdout, stderr) => {
        let code: number | null = null
        if (error === null) code = 0
        else if (typeof error.code === "number") code = error.code
        resume(Effect.succeed({ code, stdout, stderr }))
      }
    )
  })

const register = Effect.gen(function*() {
  const storage = yield* RunnerStorage.RunnerStorage
  yield* storage.register(
    Runner.make({ address: RunnerAddress.make("127.0.0.1", 34431), groups: ["default", "docserver"], weight: 1 }),
    true
  )
}).pipe(Effect.orDie)

const TestLayer = Layer.effectDiscard(register).pipe(
  Layer.provideMerge(Layer.orDie(SqlRunnerStorage.layer)),
  Layer.provide(ShardingConfig.layer({ availableShardGroups: shardGroups, assignedShardGroups: shardGroups })),
  Layer.provideMerge(EmptyDatabase.layer)
)

layer(TestLayer, { excludeTestServices: true, timeout: "120 seconds" })("pw-ops process", (it) => {
  it.effect("runners prints runner table", () =>
    Effect.gen(function*() {
      const server = yield* EmbeddedPostgres.EmbeddedPostgres
      const result = yield* runOps(["runners"], { DATABASE_URL: Redacted.value(server.url) })
      expect(result.stderr).toBe("")
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^ADDRESS\s+MACHINE\s+HEALTHY/)
      expect(result.stdout).toMatch(/127\.0\.0\.1:34431\s+\d+\s+true/)
    }))

  it.effect("runners --json prints JSON", () =>
    Effect.gen(function*() {
      const server = yield* EmbeddedPostgres.EmbeddedPostgres
      const result = yield* runOps(["runners", "--json"], { DATABASE_URL: Redacted.value(server.url) })
      expect(result.code).toBe(0)
      const parsed: unknown = JSON.parse(result.stdout)
      expect(parsed).toMatchObject({ runners: [{ address: "127.0.0.1:34431", healthy: true }] })
    }))

  it.effect("stuck-messages uses default age", () =>
    Effect.gen(function*() {
      const server = yield* EmbeddedPostgres.EmbeddedPostgres
      const result = yield* runOps(["stuck-messages"], { DATABASE_URL: Redacted.value(server.url) })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("No unprocessed messages due more than 10m ago.")
    }))

  it.effect("redrive without cluster tables exits 1", () =>
    Effect.gen(function*() {
      const server = yield* EmbeddedPostgres.EmbeddedPostgres
      const result = yield* runOps(["redrive", "exec-1"], { DATABASE_URL: Redacted.value(server.url) })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain("no cluster_messages table")
    }))

  it.effect("missing DATABASE_URL exits 1", () =>
    Effect.gen(function*() {
      const result = yield* runOps(["runners"], { DATABASE_URL: "" })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain("DATABASE_URL is not set")
    }))

  it.effect("help lists every subcommand", () =>
    Effect.gen(function*() {
      const result = yield* runOps(["--help"], {})
      expect(result.code).toBe(0)
      for (const command of ["migrate", "create-admin", "runners", "shards", "stuck-messages", "redrive"]) {
        expect(result.stdout).toContain(`- ${command}`)
      }
    }))
})
