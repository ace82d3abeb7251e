import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import * as EmbeddedPostgres from "../src/EmbeddedPostgres.ts"
import { attachLayer, findPostmaster } from "../src/RunningEmbeddedPostgres.ts"
import { serverTestTimeout, temporaryDirectory } from "./fixtures.ts"

const withDataDirectory = (dataDirectory: string) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", dataDirectory]])))

describe("RunningEmbeddedPostgres", () => {
  it.scopedLive(
    "attaches to a running server",
    () =>
      Effect.gen(function*() {
        const dataDirectory = yield* temporaryDirectory
        const server = yield* EmbeddedPostgres.start({ dataDirectory: path.join(dataDirectory, "postgres") })

        const found = yield* findPostmaster(path.join(dataDirectory, "postgres"))
        expect(found).toEqual({ pid: server.postmasterPid, port: server.port })

        const rows = yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ answer: number }>`SELECT 42 AS answer`).pipe(
          Effect.provide(attachLayer.pipe(Layer.provide(withDataDirectory(dataDirectory))))
        )
        expect(rows).toEqual([{ answer: 42 }])
      }),
    serverTestTimeout
  )

  it.scopedLive("fails without a pid file", () =>
    Effect.gen(function*() {
      const dataDirectory = yield* temporaryDirectory
      const result = yield* Effect.either(findPostmaster(path.join(dataDirectory, "postgres")))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.message).toContain("postmaster.pid not found")
        expect(result.left.message).toContain("start the platform with npm start or set DATABASE_URL")
      }
    }))

  it.scopedLive("fails on a stale pid file", () =>
    Effect.gen(function*() {
      const dataDirectory = yield* temporaryDirectory
      // PID 2^22 + 1 is above Linux's largest PID, so no process has it.
      const stalePid = 4_194_305
      yield* Effect.promise(() => fs.writeFile(path.join(dataDirectory, "postmaster.pid"), `${stalePid}\n${dataDirectory}\n1700000000\n5432\n`))
      const result = yield* Effect.either(findPostmaster(dataDirectory))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.message).toContain(`PID ${stalePid}`)
    }))

  it.scopedLive("fails on a malformed pid file", () =>
    Effect.gen(function*() {
      const dataDirectory = yield* temporaryDirectory
      yield* Effect.promise(() => fs.writeFile(path.join(dataDirectory, "postmaster.pid"), "not a pid\n"))
      const result = yield* Effect.either(findPostmaster(dataDirectory))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.message).toContain("no PID on line 1")
    }))
})
