/**
 * The cluster's state for the console, read from the tables of
 * @effect/cluster 0.60 (`SqlRunnerStorage`, `SqlMessageStorage`) under their
 * default prefix `cluster`: runners, shard ownership per shard group, and
 * messages not processed yet or whose final reply is a failure. Every function
 * returns nothing for a table that does not exist, as with the in-memory
 * cluster.
 */
import { SqlClient } from "@effect/sql"
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { Effect, Schema } from "effect"
import { clampLimit } from "./QueryLimit.ts"

/** Table name prefix of the cluster's storage, the default of SqlRunnerStorage and SqlMessageStorage. */
export const tablePrefix = "cluster"

const table = (name: string) => `${tablePrefix}_${name}`

/**
 * Message kind `Request` and reply kind `WithExit` as SqlMessageStorage
 * stores them. Other message kinds acknowledge or interrupt a request.
 */
const requestKind = 0
const withExitReplyKind = 0

/** Advisory lock number base of the first shard group: SqlRunnerStorage locks shard `n` of the i-th group (0-based) as `(i + 1) * 1000000 + n`. */
const lockNumberBase = 1_000_000

/** Maximum length of a failed message's cause text, beyond which it is cut. */
const maximumFailureLength = 2000

/** A registered runner. `lastHeartbeat` is the last time it renewed its registration and shard locks. */
export class RunnerListing extends Schema.Class<RunnerListing>("RunnerListing")({
  machineId: Schema.Int,
  address: Schema.String,
  groups: Schema.Array(Schema.String),
  weight: Schema.Number,
  healthy: Schema.Boolean,
  lastHeartbeat: Schema.DateFromSelf
}) {}

/**
 * Shards of one group held by one holder. With PostgreSQL advisory locks
 * (the platform's default) the holder is the database session that holds
 * them, `backend <pid>` with its client address, because advisory locks do
 * not record the runner. With the `cluster_locks` table it is the runner's
 * address.
 */
export class ShardHolding extends Schema.Class<ShardHolding>("ShardHolding")({
  group: Schema.String,
  holder: Schema.String,
  lock: Schema.Literal("advisory", "table"),
  shards: Schema.Int
}) {}

/** A request to an entity that is not processed yet. `deliverAt` is set for a message scheduled for later. */
export class PendingMessage extends Schema.Class<PendingMessage>("PendingMessage")({
  id: Schema.String,
  shardId: Schema.String,
  entityType: Schema.String,
  entityId: Schema.String,
  tag: Schema.String,
  deliverAt: Schema.optional(Schema.DateFromSelf),
  lastRead: Schema.optional(Schema.DateFromSelf)
}) {}

/** A request whose final reply is a failure. `failure` is the encoded cause as JSON, cut at 2000 characters. */
export class FailedMessage extends Schema.Class<FailedMessage>("FailedMessage")({
  id: Schema.String,
  shardId: Schema.String,
  entityType: Schema.String,
  entityId: Schema.String,
  tag: Schema.String,
  failure: Schema.String
}) {}

const RunnerRows = Schema.Array(Schema.Struct({
  machine_id: Schema.Int,
  address: Schema.String,
  groups: Schema.Array(Schema.String),
  weight: Schema.Number,
  healthy: Schema.Boolean,
  last_heartbeat: Schema.DateFromSelf
}))

const HoldingRows = Schema.Array(Schema.Struct({
  group_index: Schema.Int,
  holder: Schema.String,
  shards: Schema.Int
}))

const TableHoldingRows = Schema.Array(Schema.Struct({
  group_name: Schema.String,
  holder: Schema.String,
  shards: Schema.Int
}))

const MessageRows = Schema.Array(Schema.Struct({
  id: Schema.String,
  shard_id: Schema.String,
  entity_type: Schema.String,
  entity_id: Schema.String,
  tag: Schema.NullOr(Schema.String),
  deliver_at: Schema.NullOr(Schema.NumberFromString),
  last_read: Schema.NullOr(Schema.DateFromSelf),
  failure: Schema.NullOr(Schema.String)
}))

const decodeWith = <A, I>(schema: Schema.Schema<A, I>) => (rows: ReadonlyArray<unknown>) =>
  Effect.orDie(Schema.decodeUnknown(schema)(rows))

/** Checks whether the cluster table `name` (without prefix) exists in the current schema search path. */
const tableExists = (name: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ found: boolean }>`SELECT to_regclass(${table(name)}) IS NOT NULL AS found`.pipe(
      Effect.map((rows) => rows[0]?.found === true)
    ))

/**
 * Lists the registered runners by address. The cluster writes
 * `last_heartbeat` as a timestamp without time zone in the session's time
 * zone, so it is read back in that zone.
 */
export const listRunners = Effect.fn("ClusterQuery.listRunners")(function*() {
  const sql = yield* SqlClient.SqlClient
  if (!(yield* tableExists("runners"))) return []
  const rows = yield* sql`
    SELECT machine_id, address,
           coalesce(runner::jsonb -> 'groups', '[]'::jsonb) AS groups,
           coalesce((runner::jsonb ->> 'weight')::float8, 1) AS weight,
           healthy,
           last_heartbeat AT TIME ZONE current_setting('TimeZone') AS last_heartbeat
    FROM ${sql(table("runners"))}
    ORDER BY address
  `.pipe(Effect.flatMap(decodeWith(RunnerRows)))
  return rows.map((row) =>
    new RunnerListing({
      machineId: row.machine_id,
      address: row.address,
      groups: row.groups,
      weight: row.weight,
      healthy: row.healthy,
      lastHeartbeat: row.last_heartbeat
    })
  )
})

/**
 * Counts the locked shards of each shard group per lock holder, sorted by group and holder.
 * `shardGroups` must be the cluster's available shard groups, because
 * advisory lock numbers encode a group by its position among them in sorted
 * order. NOTE: another application's advisory locks on the same database
 * in the range 1000001 and up are counted as shards too.
 */
export const shardAssignments = Effect.fn("ClusterQuery.shardAssignments")(function*(
  shardGroups: ReadonlyArray<string> = SingleProcessCluster.shardGroups
) {
  const sql = yield* SqlClient.SqlClient
  const groups = [...shardGroups].sort()
  const advisory = yield* sql`
    SELECT (l.objid::bigint / ${lockNumberBase}::int - 1)::int AS group_index,
           'backend ' || l.pid || coalesce(' at ' || host(a.client_addr) || ':' || a.client_port, '') AS holder,
           count(*)::int AS shards
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0
      AND l.objid::bigint > ${lockNumberBase}::int
      AND l.objid::bigint < ${(groups.length + 1) * lockNumberBase}::int
      AND l.objid::bigint % ${lockNumberBase}::int > 0
    GROUP BY 1, 2
  `.pipe(Effect.flatMap(decodeWith(HoldingRows)))
  const tableHoldings = (yield* tableExists("locks"))
    ? yield* sql`
        SELECT split_part(shard_id, ':', 1) AS group_name, address AS holder, count(*)::int AS shards
        FROM ${sql(table("locks"))}
        GROUP BY 1, 2
      `.pipe(Effect.flatMap(decodeWith(TableHoldingRows)))
    : []
  const holdings = [
    ...advisory.flatMap((row) => {
      const group = groups[row.group_index]
      return group === undefined ? [] : [new ShardHolding({ group, holder: row.holder, lock: "advisory", shards: row.shards })]
    }),
    ...tableHoldings.map((row) => new ShardHolding({ group: row.group_name, holder: row.holder, lock: "table", shards: row.shards }))
  ]
  return holdings.sort((left, right) => left.group.localeCompare(right.group) || left.holder.localeCompare(right.holder))
})

const toPending = (row: typeof MessageRows.Type[number]) =>
  new PendingMessage({
    id: row.id,
    shardId: row.shard_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    tag: row.tag ?? "",
    deliverAt: row.deliver_at === null ? undefined : new Date(row.deliver_at),
    lastRead: row.last_read ?? undefined
  })

/** Lists up to `limit` (see `clampLimit`) unprocessed requests, oldest first. */
export const listPendingMessages = Effect.fn("ClusterQuery.listPendingMessages")(function*(limit?: number) {
  const sql = yield* SqlClient.SqlClient
  if (!(yield* tableExists("messages"))) return []
  const rows = yield* sql`
    SELECT id::text AS id, shard_id, entity_type, entity_id, tag, deliver_at::text AS deliver_at,
           last_read AT TIME ZONE current_setting('TimeZone') AS last_read, NULL AS failure
    FROM ${sql(table("messages"))}
    WHERE kind = ${requestKind} AND NOT processed
    ORDER BY rowid
    LIMIT ${clampLimit(limit)}
  `.pipe(Effect.flatMap(decodeWith(MessageRows)))
  return rows.map(toPending)
})

/** Lists up to `limit` (see `clampLimit`) requests whose final reply is a failure, newest first. */
export const listFailedMessages = Effect.fn("ClusterQuery.listFailedMessages")(function*(limit?: number) {
  const sql = yield* SqlClient.SqlClient
  if (!(yield* tableExists("messages")) || !(yield* tableExists("replies"))) return []
  const rows = yield* sql`
    SELECT m.id::text AS id, m.shard_id, m.entity_type, m.entity_id, m.tag, m.deliver_at::text AS deliver_at,
           m.last_read AT TIME ZONE current_setting('TimeZone') AS last_read,
           left(coalesce(r.payload::jsonb -> 'cause', 'null'::jsonb)::text, ${maximumFailureLength}::int) AS failure
    FROM ${sql(table("messages"))} m
    JOIN ${sql(table("replies"))} r ON r.request_id = m.request_id AND r.kind = ${withExitReplyKind}
    WHERE m.kind = ${requestKind} AND r.payload::jsonb ->> '_tag' = 'Failure'
    ORDER BY m.rowid DESC
    LIMIT ${clampLimit(limit)}
  `.pipe(Effect.flatMap(decodeWith(MessageRows)))
  return rows.map((row) =>
    new FailedMessage({
      id: row.id,
      shardId: row.shard_id,
      entityType: row.entity_type,
      entityId: row.entity_id,
      tag: row.tag ?? "",
      failure: row.failure ?? "null"
    })
  )
})
