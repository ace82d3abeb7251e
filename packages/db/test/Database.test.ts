import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, Redacted } from "effect"
import { existsSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import * as Database from "../src/Database.ts"
import * as EmbeddedPostgres from "../src/EmbeddedPostgres.ts"
import {
  isRunning,
  readPostmasterPid,
  serverTestTimeout,
  temporaryDirectory,
  writeFiles
} from "./fixtures.ts"

const withEnvironment = (environment: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(environment))))

const recordedMigrations = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ name: string }>`select name from schema_migrations order by name`.pipe(
    Effect.map((rows) => rows.map((row) => row.name))
  )
)

describe("Database", () => {
  it.effect("reads config with defaults", () =>
    Effect.gen(function* () {
      const config = yield* Database.DatabaseConfig.pipe(
        Effect.provide(Database.DatabaseConfig.layer.pipe(Layer.provide(withEnvironment({ DATABASE_URL: " " }))))
      )
      expect(Option.isNone(config.url)).toBe(true)
      expect(config.dataDirectory).toBe("var")

      const configured = yield* Database.DatabaseConfig.pipe(
        Effect.provide(
          Database.DatabaseConfig.layer.pipe(
            Layer.provide(
              withEnvironment({ DATABASE_URL: "postgres://app:secret@127.0.0.1:5432/app", PW_DATA_DIR: "/srv/pw" })
            )
          )
        )
      )
      expect(Option.map(configured.url, Redacted.value)).toEqual(Option.some("postgres://app:secret@127.0.0.1:5432/app"))
      expect(String(configured.url)).not.toContain("secret")
      expect(configured.dataDirectory).toBe("/srv/pw")
    })
  )

  it.scopedLive(
    "starts embedded server without DATABASE_URL",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* temporaryDirectory
        const migrationsDirectory = path.join(dataDirectory, "migrations")
        yield* writeFiles(migrationsDirectory, {
          "20260101000000_create_filings.sql": "create table filings (filing_id integer primary key, form_name text);"
        })
        const database = Database.layer({ migrationsDirectory }).pipe(
          Layer.provide(withEnvironment({ PW_DATA_DIR: dataDirectory }))
        )
        const clusterDirectory = path.join(dataDirectory, "postgres")

        const postmasterPid = yield* Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`insert into filings (filing_id, form_name) values (1, '499-A')`
          expect(yield* sql`select filing_id, form_name from filings`).toEqual([{ filing_id: 1, form_name: "499-A" }])
          expect(yield* recordedMigrations).toEqual(["20260101000000_create_filings.sql"])
          expect(existsSync(path.join(clusterDirectory, "PG_VERSION"))).toBe(true)
          return yield* Effect.promise(() => readPostmasterPid(clusterDirectory))
        }).pipe(Effect.provide(database))

        expect(isRunning(postmasterPid)).toBe(false)
      }),
    serverTestTimeout
  )

  it.scopedLive(
    "connects to DATABASE_URL",
    () =>
      Effect.gen(function* () {
        const serverDirectory = yield* temporaryDirectory
        const server = yield* EmbeddedPostgres.start({ dataDirectory: path.join(serverDirectory, "postgres") })
        const dataDirectory = yield* temporaryDirectory
        const migrationsDirectory = path.join(dataDirectory, "migrations")
        yield* writeFiles(migrationsDirectory, {
          "20260101000000_create_carriers.sql": "create table carriers (carrier_id integer primary key);"
        })
        const database = Database.layer({ migrationsDirectory }).pipe(
          Layer.provide(withEnvironment({ DATABASE_URL: Redacted.value(server.url), PW_DATA_DIR: dataDirectory }))
        )

        const port = yield* Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          expect(yield* recordedMigrations).toEqual(["20260101000000_create_carriers.sql"])
          const rows = yield* sql<{ port: number }>`select inet_server_port() as port`
          return rows[0]?.port
        }).pipe(Effect.provide(database))

        expect(port).toBe(server.port)
        expect(existsSync(path.join(dataDirectory, "postgres"))).toBe(false)
      }),
    serverTestTimeout
  )

  it.scopedLive(
    "applies the package migrations",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* temporaryDirectory
        const database = Database.layer().pipe(Layer.provide(withEnvironment({ PW_DATA_DIR: dataDirectory })))
        const expected = yield* Effect.promise(() =>
          fs
            .readdir(Database.defaultMigrationsDirectory)
            .then((names) => names.filter((name) => name.endsWith(".sql")).sort())
            .catch(() => [])
        )

        const recorded = yield* recordedMigrations.pipe(Effect.provide(database))

        expect(recorded).toEqual(expected)
      }),
    serverTestTimeout
  )
})
