/**
 * The Probe entity's protocol: a persisted message per sequence number, used
 * by the failover tests to check that every message sent to a cluster is
 * processed exactly once while runners die and restart.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { PrimaryKey, Schema } from "effect"

/**
 * One message of the load, numbered per entity. The primary key is the
 * sequence, so message storage keeps one copy per entity and sequence and a
 * resent message gets the stored reply.
 */
export class ProbeRecord extends Schema.Class<ProbeRecord>("ProbeRecord")({
  sequence: Schema.Int
}) {
  [PrimaryKey.symbol]() {
    return `record:${this.sequence}`
  }
}

/**
 * The Probe entity type, in the `default` shard group. `Record` stores the
 * delivery in PostgreSQL and returns the address (`host:port`) of the runner
 * that handled it.
 */
export const ProbeEntity = Entity.make("Probe", [
  Rpc.make("Record", { payload: ProbeRecord, success: Schema.String }).annotate(ClusterSchema.Persisted, true)
]).annotate(ClusterSchema.ShardGroup, () => "default")
