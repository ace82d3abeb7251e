/**
 * The tables the Probe entity writes: `probe_deliveries` with one row per
 * entity and sequence (the first runner that handled it), and
 * `probe_attempts` counting every time a handler ran, so redeliveries show
 * as counts above one.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Schedule } from "effect"

/**
 * Retries the DDL: runner processes starting together on one database run the
 * same `CREATE TABLE IF NOT EXISTS`, and PostgreSQL can reject the loser with
 * a duplicate-key error on its catalog.
 */
const createRetry = Schedule.spaced("250 millis").pipe(Schedule.intersect(Schedule.recurs(8)))

/** Creates both tables unless they exist. */
export const create = Effect.fn("ProbeTables.create")(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* Effect.retry(
    Effect.andThen(
      sql`CREATE TABLE IF NOT EXISTS probe_deliveries (
        entity_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        runner_address TEXT NOT NULL,
        delivered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (entity_id, sequence)
      )`,
      sql`CREATE TABLE IF NOT EXISTS probe_attempts (
        entity_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        PRIMARY KEY (entity_id, sequence)
      )`
    ),
    createRetry
  )
})

/**
 * Records one handler run for `entityId` and `sequence`: adds one to its
 * attempt count and inserts the delivery unless a row exists, in one
 * transaction.
 */
export const record = Effect.fn("ProbeTables.record")(function*(entityId: string, sequence: number, runner: string) {
  const sql = yield* SqlClient.SqlClient
  yield* sql.withTransaction(Effect.andThen(
    sql`INSERT INTO probe_attempts (entity_id, sequence, attempts) VALUES (${entityId}, ${sequence}, 1)
      ON CONFLICT (entity_id, sequence) DO UPDATE SET attempts = probe_attempts.attempts + 1`,
    sql`INSERT INTO probe_deliveries (entity_id, sequence, runner_address) VALUES (${entityId}, ${sequence}, ${runner})
      ON CONFLICT (entity_id, sequence) DO NOTHING`
  ))
})

/** One row of `probe_deliveries`. */
export interface DeliveryRow {
  readonly entity_id: string
  readonly sequence: number
  readonly runner_address: string
}

/** Reads every delivery. */
export const deliveries = Effect.fn("ProbeTables.deliveries")(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<DeliveryRow>`SELECT entity_id, sequence, runner_address FROM probe_deliveries`
})

/** Handler runs beyond the first, summed over all entities and sequences. */
export const redeliveries = Effect.fn("ProbeTables.redeliveries")(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly extra: number }>`
    SELECT COALESCE(SUM(attempts - 1), 0)::int AS extra FROM probe_attempts`
  return rows[0]?.extra ?? 0
})
