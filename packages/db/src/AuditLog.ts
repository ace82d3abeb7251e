/**
 * The audit trail: one row per state change of an entity, keyed by the
 * message's request id so that a redelivered message is recognised.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"

/** One state change to record. */
export interface AuditEvent {
  readonly entityType: string
  readonly entityId: string
  readonly requestId: string
  readonly event: string
  readonly data?: Record<string, unknown>
}

const InsertedRows = Schema.Array(Schema.Struct({ id: Schema.Union(Schema.Number, Schema.String) }))

/**
 * Records `event` unless a row with the same entity and request id exists.
 * Returns `true` when the row is new, `false` when the request was applied
 * before. Run it inside the transaction that applies the change, first, so the
 * change and its row commit or roll back together.
 */
export const record = Effect.fn("AuditLog.record")(function*(event: AuditEvent) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    INSERT INTO audit_events (entity_type, entity_id, request_id, event, data)
    VALUES (${event.entityType}, ${event.entityId}, ${event.requestId}, ${event.event}, ${JSON.stringify(event.data ?? {})}::jsonb)
    ON CONFLICT (entity_type, entity_id, request_id) DO NOTHING
    RETURNING id
  `.pipe(Effect.flatMap(Schema.decodeUnknown(InsertedRows)), Effect.orDie)
  return rows.length === 1
})

/** An audit row as stored. */
export class AuditEntry extends Schema.Class<AuditEntry>("AuditEntry")({
  entity_type: Schema.String,
  entity_id: Schema.String,
  request_id: Schema.String,
  event: Schema.String,
  created_at: Schema.DateFromSelf
}) {}

/** Lists the audit rows of one entity, oldest first. */
export const list = Effect.fn("AuditLog.list")(function*(entityType: string, entityId: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT entity_type, entity_id, request_id, event, created_at
    FROM audit_events
    WHERE entity_type = ${entityType} AND entity_id = ${entityId}
    ORDER BY id
  `
  return yield* Schema.decodeUnknown(Schema.Array(AuditEntry))(rows)
}, Effect.orDie)
