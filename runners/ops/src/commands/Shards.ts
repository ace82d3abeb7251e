/**
 * `pw-ops shards`: shard to runner assignment.
 */
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { Console, Effect, Schema } from "effect"
import * as ShardMap from "../ShardMap.ts"
import * as Table from "../Table.ts"

/** A shard group that the platform does not define; `message` lists the valid ones. */
export class UnknownShardGroup extends Schema.TaggedError<UnknownShardGroup>()("UnknownShardGroup", {
  group: Schema.String,
  message: Schema.String
}) {}

/**
 * Returns every shard of `group`, or of every platform shard group when
 * none is given, with the runner the cluster assigns and the lock holder.
 * Fails with {@link UnknownShardGroup} for a group the platform does not define.
 */
export const shards = Effect.fn("Shards.shards")(function*(group?: string) {
  const known: ReadonlyArray<string> = SingleProcessCluster.shardGroups
  if (group !== undefined && !known.includes(group)) {
    return yield* new UnknownShardGroup({
      group,
      message: `unknown shard group ${JSON.stringify(group)}: use one of ${known.join(", ")}`
    })
  }
  const { shards } = yield* ShardMap.load(group === undefined ? known : [group])
  return shards
})

/** Prints {@link shards} as a table, or as JSON with `json`. */
export const print = Effect.fn("Shards.print")(function*(group: string | undefined, json: boolean) {
  const rows = yield* shards(group)
  if (json) return yield* Table.printJson(rows)
  yield* Console.log(Table.format(
    ["SHARD", "ASSIGNED RUNNER", "LOCK HOLDER"],
    rows.map((row) => [row.shardId, row.assignedRunner, row.lockHolder])
  ))
})
