/**
 * SQL migrations from a folder of `YYYYMMDDHHMMSS_snake_name.sql` files. The
 * timestamp in each name keeps migrations written on parallel branches from
 * colliding, and the full file name is the migration's identity.
 */
import { FileSystem } from "@effect/platform"
import { SqlClient, type SqlError } from "@effect/sql"
import { Effect, Schema } from "effect"
import * as path from "node:path"

/** Pattern every `.sql` file in a migrations directory must match. */
export const migrationFileNamePattern = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_[a-z0-9]+(?:_[a-z0-9]+)*\.sql$/

/**
 * Key of the transaction-level advisory lock that every migrator transaction
 * takes first, so concurrent runs against one database apply each file once.
 * An arbitrary constant reserved for the migrator: other code must not lock it.
 */
export const advisoryLockKey = 7_201_584_346_902

/** Failure of a migration run: an invalid file name, an unreadable file or a migration that failed to apply. */
export class MigrationError extends Schema.TaggedError<MigrationError>()("MigrationError", {
  reason: Schema.Literal("InvalidFileName", "ReadFailed", "ApplyFailed"),
  /** File name of the migration, or the directory when it could not be listed. */
  migration: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** A migration file found on disk. */
interface MigrationFile {
  readonly name: string
  readonly path: string
}

const isValidTimestamp = (match: RegExpExecArray): boolean => {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    return false
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  )
}

/**
 * Lists the `.sql` files of `directory` in name order and fails on the first
 * name that does not match {@link migrationFileNamePattern}. Other files, such
 * as a README, are ignored. A missing directory counts as one without migrations.
 */
const listMigrations = (directory: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const readFailed = (cause: unknown) =>
      new MigrationError({
        reason: "ReadFailed",
        migration: directory,
        message: `could not list migrations directory ${directory}`,
        cause
      })

    const exists = yield* fs.exists(directory).pipe(Effect.mapError(readFailed))
    if (!exists) {
      yield* Effect.logWarning("Migrations directory not found; no migrations to apply").pipe(
        Effect.annotateLogs({ directory })
      )
      return []
    }

    const names = yield* fs.readDirectory(directory).pipe(Effect.mapError(readFailed))
    const migrations: Array<MigrationFile> = []
    for (const name of names.filter((name) => name.toLowerCase().endsWith(".sql")).sort()) {
      const match = migrationFileNamePattern.exec(name)
      if (match === null || !isValidTimestamp(match)) {
        return yield* new MigrationError({
          reason: "InvalidFileName",
          migration: name,
          message: `invalid migration file name "${name}" in ${directory}: expected YYYYMMDDHHMMSS_snake_name.sql with a valid UTC timestamp, such as 20261204200000_create_orders.sql`
        })
      }
      migrations.push({ name, path: path.join(directory, name) })
    }
    return migrations
  })

const lockMigrations = (sql: SqlClient.SqlClient) => sql`select pg_advisory_xact_lock(${advisoryLockKey})`

const describeCause = (error: SqlError.SqlError): string =>
  error.cause instanceof Error ? error.cause.message : error.message

/**
 * Applies one migration and records it in one transaction, unless a concurrent
 * run recorded it after the pending list was read.
 */
const applyMigration = (sql: SqlClient.SqlClient, migration: MigrationFile) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const statements = yield* fs.readFileString(migration.path).pipe(
      Effect.mapError(
        (cause) =>
          new MigrationError({
            reason: "ReadFailed",
            migration: migration.name,
            message: `could not read migration ${migration.path}`,
            cause
          })
      )
    )

    const applied = yield* sql
      .withTransaction(
        Effect.gen(function* () {
          yield* lockMigrations(sql)
          const recorded = yield* sql`select 1 from schema_migrations where name = ${migration.name}`
          if (recorded.length > 0) return false
          yield* sql.unsafe(statements)
          yield* sql`insert into schema_migrations (name, applied_at) values (${migration.name}, now())`
          return true
        })
      )
      .pipe(
        Effect.mapError(
          (cause) =>
            new MigrationError({
              reason: "ApplyFailed",
              migration: migration.name,
              message: `migration ${migration.name} failed and was rolled back: ${describeCause(cause)}`,
              cause
            })
        )
      )

    const annotations = { migration: migration.name }
    if (applied) {
      yield* Effect.logInfo("Applied migration").pipe(Effect.annotateLogs(annotations))
    } else {
      yield* Effect.logDebug("Migration already applied by a concurrent run").pipe(Effect.annotateLogs(annotations))
    }
    return applied
  })

/**
 * Applies every migration in `directory` that `schema_migrations` does not
 * record yet, in file name order. A file merged later with an older timestamp
 * than recorded ones is still applied. Each file runs in its own transaction
 * together with its `schema_migrations` row, so statements that PostgreSQL
 * forbids in a transaction block (such as CREATE INDEX CONCURRENTLY) cannot
 * be used. A failed file is rolled back and stops the run.
 */
export const run = Effect.fn("Migrator.run")(function* (directory: string) {
  const sql = yield* SqlClient.SqlClient
  const migrations = yield* listMigrations(directory)

  yield* sql.withTransaction(
    Effect.gen(function* () {
      yield* lockMigrations(sql)
      yield* sql`create table if not exists schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`
    })
  )

  const recorded = yield* sql<{ readonly name: string }>`select name from schema_migrations`
  const recordedNames = new Set(recorded.map((row) => row.name))
  const pending = migrations.filter((migration) => !recordedNames.has(migration.name))

  let appliedCount = 0
  for (const migration of pending) {
    if (yield* applyMigration(sql, migration)) appliedCount++
  }

  yield* Effect.logInfo("Migrations up to date").pipe(
    Effect.annotateLogs({ directory, applied: appliedCount, total: migrations.length })
  )
})
