/**
 * `pw-ops stuck-messages`: requests that stayed unprocessed for longer than
 * expected.
 */
import { Snowflake } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import * as ClusterRetention from "@pw/runtime/ClusterRetention"
import { Clock, Console, Duration, Effect } from "effect"
import * as Age from "../Age.ts"
import * as ClusterTables from "../ClusterTables.ts"
import * as Table from "../Table.ts"

/** Options of {@link stuckMessages}. */
export interface StuckMessagesOptions {
  /** Minimum time since a message became due: since it was sent, or since its `deliver_at`. */
  readonly olderThan: Duration.DurationInput
  /** Maximum rows returned, at least 1. */
  readonly limit: number
}

/** An unprocessed request. Times are ISO 8601 and ages whole seconds or more. */
export interface StuckMessage {
  readonly id: string
  readonly entityType: string
  readonly entityId: string
  readonly tag: string
  readonly sentAt: string
  readonly age: string
  readonly deliverAt: string | null
  readonly lastRead: string | null
}

/**
 * Lists unprocessed requests (`kind` 0) of `cluster_messages` that became due
 * more than `olderThan` ago, oldest first: sent that long ago by their
 * Snowflake id when they have no `deliver_at`, or scheduled for a
 * `deliver_at` that long past. Messages scheduled for later are not listed.
 * Returns nothing when the cluster tables do not exist yet.
 */
export const stuckMessages = Effect.fn("StuckMessages.stuckMessages")(function*(options: StuckMessagesOptions) {
  const sql = yield* SqlClient.SqlClient
  if (!(yield* ClusterTables.messageTablesExist())) return []
  const now = yield* Clock.currentTimeMillis
  const dueBefore = now - Duration.toMillis(options.olderThan)
  const cutoff = ClusterRetention.cutoffId(dueBefore)
  const limit = Math.max(1, Math.floor(options.limit))
  const rows = yield* sql<{
    readonly id: string
    readonly entity_type: string
    readonly entity_id: string
    readonly tag: string | null
    readonly deliver_at: string | null
    readonly last_read: Date | null
  }>`
    SELECT id::text AS id, entity_type, entity_id, tag, deliver_at::text AS deliver_at,
           last_read AT TIME ZONE current_setting('TimeZone') AS last_read
    FROM cluster_messages
    WHERE kind = 0 AND NOT processed
      AND CASE WHEN deliver_at IS NULL THEN id < ${cutoff.toString()}::bigint
               ELSE deliver_at < ${dueBefore}::bigint END
    ORDER BY id
    LIMIT ${limit}
  `
  return rows.map((row): StuckMessage => {
    const sentAt = Snowflake.timestamp(Snowflake.Snowflake(row.id))
    return {
      id: row.id,
      entityType: row.entity_type,
      entityId: row.entity_id,
      tag: row.tag ?? "",
      sentAt: new Date(sentAt).toISOString(),
      age: Age.format(now - sentAt),
      deliverAt: row.deliver_at === null ? null : new Date(Number(row.deliver_at)).toISOString(),
      lastRead: row.last_read === null ? null : row.last_read.toISOString()
    }
  })
})

/** Prints {@link stuckMessages} as a table, or as JSON with `json`. */
export const print = Effect.fn("StuckMessages.print")(function*(options: StuckMessagesOptions, json: boolean) {
  const rows = yield* stuckMessages(options)
  if (json) return yield* Table.printJson(rows)
  yield* Console.log(Table.format(
    ["ID", "ENTITY TYPE", "ENTITY ID", "TAG", "AGE", "DELIVER AT", "LAST READ"],
    rows.map((row) => [row.id, row.entityType, row.entityId, row.tag, row.age, row.deliverAt, row.lastRead]),
    `No unprocessed messages due more than ${Duration.format(options.olderThan)} ago.`
  ))
})
