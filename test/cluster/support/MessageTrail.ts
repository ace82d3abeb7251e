/**
 * What the cluster's message storage contains for a Probe message: its request
 * rows (the request and any interrupt or ack envelopes for it) and their
 * replies. The rolling restart test prints it for a message that went
 * missing or got no reply, so a failed run shows where the message stopped.
 */
import { SqlClient } from "@effect/sql"
import { Cause, Effect } from "effect"

/** One stored envelope of a Probe message, with its replies. */
export interface TrailRow {
  readonly id: string
  readonly kind: number
  readonly shardId: string
  readonly processed: boolean
  readonly lastRead: string | null
  readonly lastReplyId: string | null
  readonly replies: ReadonlyArray<{ readonly id: string; readonly kind: number | null; readonly payload: string }>
}

/**
 * Reads the stored envelopes of the Probe `Record` message with `sequence`
 * for `entityId`, oldest first: the request row and every envelope that
 * refers to it by request id.
 */
export const of = Effect.fn("MessageTrail.of")(function*(entityId: string, sequence: number) {
  const sql = yield* SqlClient.SqlClient
  const requests = yield* sql<{ readonly id: string }>`
    SELECT id::text AS id FROM cluster_messages
    WHERE entity_type = 'Probe' AND entity_id = ${entityId} AND kind = 0
    AND (payload::jsonb ->> 'sequence')::int = ${sequence}`
  if (requests.length === 0) return []
  const requestIds = requests.map((row) => row.id)
  const rows = yield* sql<{
    readonly id: string
    readonly kind: number
    readonly shard_id: string
    readonly processed: boolean
    readonly last_read: string | null
    readonly last_reply_id: string | null
  }>`
    SELECT id::text AS id, kind, shard_id, processed, last_read::text AS last_read, last_reply_id::text AS last_reply_id
    FROM cluster_messages
    WHERE id::text IN ${sql.in(requestIds)} OR request_id::text IN ${sql.in(requestIds)}
    ORDER BY id`
  const replies = yield* sql<{ readonly id: string; readonly request_id: string; readonly kind: number | null; readonly payload: string }>`
    SELECT id::text AS id, request_id::text AS request_id, kind, payload::text AS payload
    FROM cluster_replies WHERE request_id::text IN ${sql.in(requestIds)} ORDER BY id`
  return rows.map((row): TrailRow => ({
    id: row.id,
    kind: row.kind,
    shardId: row.shard_id,
    processed: row.processed,
    lastRead: row.last_read,
    lastReplyId: row.last_reply_id,
    replies: replies.filter((reply) => reply.request_id === row.id)
      .map(({ id, kind, payload }) => ({ id, kind, payload }))
  }))
})

/** Formats the trails of `messages` as one printable block. */
export const describe = Effect.fn("MessageTrail.describe")(function*(
  messages: ReadonlyArray<{ readonly entityId: string; readonly sequence: number }>
) {
  const lines: Array<string> = []
  for (const message of messages) {
    const trail = yield* of(message.entityId, message.sequence).pipe(
      Effect.map((rows) => JSON.stringify(rows)),
      Effect.catchAllCause((cause) => Effect.succeed(`trail query failed: ${Cause.pretty(cause)}`))
    )
    lines.push(`${message.entityId}#${message.sequence}: ${trail}`)
  }
  return lines.join("\n")
})
