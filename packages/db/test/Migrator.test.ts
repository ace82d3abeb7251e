import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { expect, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, type Redacted, Schedule } from "effect"
import * as path from "node:path"
import * as Migrator from "../src/Migrator.ts"
import {
  fileSystemLayer,
  freshDatabase,
  query,
  serverTestTimeout,
  sharedServerLayer,
  temporaryDirectory,
  withClient,
  writeFiles
} from "./fixtures.ts"

/** Runs the migrator with its own connection pool to `url`. */
const migrate = (url: Redacted.Redacted<string>, directory: string) =>
  Migrator.run(directory).pipe(Effect.provide(Layer.merge(PgClient.layer({ url }), fileSystemLayer)))

const appliedNames = (url: Redacted.Redacted<string>) =>
  query<{ name: string }>(url, "select name from schema_migrations order by name").pipe(
    Effect.map((rows) => rows.map((row) => row.name))
  )

const tableExists = (url: Redacted.Redacted<string>, table: string) =>
  query<{ exists: boolean }>(url, `select to_regclass('${table}') is not null as exists`).pipe(
    Effect.map((rows) => rows[0]?.exists)
  )

layer(sharedServerLayer, { excludeTestServices: true, timeout: "120 seconds" })("Migrator", (it) => {
  it.scoped(
    "applies pending migrations once",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const directory = path.join(yield* temporaryDirectory, "migrations")
        yield* writeFiles(directory, {
          "20260101000000_create_widgets.sql":
            "create table widgets (id integer primary key);\ncreate table applications (migration text);\ninsert into applications values ('create_widgets');",
          "20260102000000_insert_widgets.sql":
            "insert into widgets values (1), (2);\ninsert into applications values ('insert_widgets');"
        })

        yield* migrate(url, directory)
        yield* migrate(url, directory)

        expect(yield* appliedNames(url)).toEqual([
          "20260101000000_create_widgets.sql",
          "20260102000000_insert_widgets.sql"
        ])
        expect(yield* query(url, "select migration from applications order by migration")).toEqual([
          { migration: "create_widgets" },
          { migration: "insert_widgets" }
        ])
        expect(yield* query(url, "select count(*)::int as count from widgets")).toEqual([{ count: 2 }])
        const appliedAt = yield* query<{ missing: number }>(
          url,
          "select count(*)::int as missing from schema_migrations where applied_at is null"
        )
        expect(appliedAt).toEqual([{ missing: 0 }])
      }),
    serverTestTimeout
  )

  it.scoped(
    "applies a later-merged older migration",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const directory = path.join(yield* temporaryDirectory, "migrations")
        yield* writeFiles(directory, { "20260301000000_create_orders.sql": "create table orders (id integer);" })
        yield* migrate(url, directory)

        yield* writeFiles(directory, {
          "20260201000000_create_carriers.sql": "create table carriers (id integer);"
        })
        yield* migrate(url, directory)

        expect(yield* appliedNames(url)).toEqual([
          "20260201000000_create_carriers.sql",
          "20260301000000_create_orders.sql"
        ])
        expect(yield* tableExists(url, "carriers")).toBe(true)
      }),
    serverTestTimeout
  )

  it.scoped(
    "rejects invalid file names",
    () =>
      Effect.gen(function* () {
        const invalidNames = [
          "2026_short_timestamp.sql",
          "20260101000000-dash_separator.sql",
          "20260101000000_CamelCase.sql",
          "20260101000000_.sql",
          "20261301000000_month_thirteen.sql",
          "20260230000000_february_thirtieth.sql",
          "20260101000000_upper_extension.SQL"
        ]
        for (const invalidName of invalidNames) {
          const url = yield* freshDatabase
          const directory = path.join(yield* temporaryDirectory, "migrations")
          yield* writeFiles(directory, {
            "20260101000000_valid_name.sql": "create table valid_table (id integer);",
            [invalidName]: "select 1;"
          })

          const error = yield* Effect.flip(migrate(url, directory))

          expect(error._tag).toBe("MigrationError")
          if (error._tag !== "MigrationError") continue
          expect(error.reason).toBe("InvalidFileName")
          expect(error.migration).toBe(invalidName)
          expect(error.message).toContain(`invalid migration file name "${invalidName}"`)
          expect(yield* tableExists(url, "valid_table")).toBe(false)
        }
      }),
    serverTestTimeout
  )

  it.scoped(
    "ignores other files and missing directories",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const root = yield* temporaryDirectory
        const directory = path.join(root, "migrations")
        yield* writeFiles(directory, { "README.md": "Migrations live here.", ".gitkeep": "" })

        yield* migrate(url, directory)
        yield* migrate(url, path.join(root, "missing"))

        expect(yield* appliedNames(url)).toEqual([])
      }),
    serverTestTimeout
  )

  it.scoped(
    "rolls back a failed migration",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const directory = path.join(yield* temporaryDirectory, "migrations")
        yield* writeFiles(directory, {
          "20260101000000_create_accounts.sql": "create table accounts (id integer);",
          "20260102000000_broken_step.sql": "create table half_done (id integer);\nselect * from missing_table;",
          "20260103000000_create_invoices.sql": "create table invoices (id integer);"
        })

        const error = yield* Effect.flip(migrate(url, directory))

        expect(error._tag).toBe("MigrationError")
        if (error._tag !== "MigrationError") return
        expect(error.reason).toBe("ApplyFailed")
        expect(error.migration).toBe("20260102000000_broken_step.sql")
        expect(error.message).toContain("20260102000000_broken_step.sql")
        expect(error.message).toContain("missing_table")
        expect(yield* appliedNames(url)).toEqual(["20260101000000_create_accounts.sql"])
        expect(yield* tableExists(url, "half_done")).toBe(false)
        expect(yield* tableExists(url, "invoices")).toBe(false)
      }),
    serverTestTimeout
  )

  it.scoped(
    "concurrent runs apply each migration once",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const directory = path.join(yield* temporaryDirectory, "migrations")
        const files: Record<string, string> = {
          "20260101000000_create_applications.sql": "create table applications (migration text);"
        }
        for (let index = 1; index <= 5; index++) {
          files[`2026010200000${index}_step_${index}.sql`] =
            `create table step_${index} (id integer);\ninsert into applications values ('step_${index}');`
        }
        yield* writeFiles(directory, files)

        // Both runs queue on the advisory lock held here, so they start together once it is released.
        const results = yield* withClient(
          url,
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const connection = yield* sql.reserve
            yield* connection.execute("select pg_advisory_lock($1)", [Migrator.advisoryLockKey], undefined)

            const runs = yield* Effect.fork(
              Effect.all([migrate(url, directory), migrate(url, directory)], { concurrency: 2 })
            )
            const waitingRuns = connection
              .execute(
                "select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
                [],
                undefined
              )
              .pipe(Effect.map((rows) => Number(rows[0]?.waiting ?? 0)))
            yield* waitingRuns.pipe(
              Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (waiting) => waiting >= 2 }),
              Effect.timeoutFail({
                duration: "30 seconds",
                onTimeout: () => new Error("both runs did not queue on the advisory lock within 30 seconds")
              })
            )

            yield* connection.execute("select pg_advisory_unlock($1)", [Migrator.advisoryLockKey], undefined)
            return yield* Fiber.join(runs)
          }).pipe(Effect.scoped)
        )

        expect(results).toHaveLength(2)
        expect(yield* appliedNames(url)).toEqual(Object.keys(files).sort())
        const rows = yield* query<{ migration: string; count: number }>(
          url,
          "select migration, count(*)::int as count from applications group by migration order by migration"
        )
        expect(rows).toEqual([1, 2, 3, 4, 5].map((index) => ({ migration: `step_${index}`, count: 1 })))
      }),
    serverTestTimeout
  )
})
