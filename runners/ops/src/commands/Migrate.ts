/**
 * `pw-ops migrate`: applies the platform's pending SQL migrations with the
 * same migrator `npm start` runs.
 */
import { SqlClient } from "@effect/sql"
import * as Database from "@pw/db/Database"
import * as Migrator from "@pw/db/Migrator"
import { Effect } from "effect"

const recordedNames = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const found = yield* sql<{ readonly found: boolean }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS found`
  if (found[0]?.found !== true) return new Set<string>()
  const rows = yield* sql<{ readonly name: string }>`SELECT name FROM schema_migrations`
  return new Set(rows.map((row) => row.name))
})

/**
 * Applies every migration of `directory` (default: the platform's
 * `packages/db/migrations`) that `schema_migrations` does not record, and
 * returns the names applied by this run in file name order. Needs the
 * FileSystem for reading the files.
 */
export const migrate = Effect.fn("Migrate.migrate")(function*(
  directory: string = Database.defaultMigrationsDirectory
) {
  const before = yield* recordedNames
  yield* Migrator.run(directory)
  const after = yield* recordedNames
  return [...after].filter((name) => !before.has(name)).sort()
})
