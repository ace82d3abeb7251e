/**
 * The Probe entity's handler: records each delivery in PostgreSQL and
 * returns the address of the runner that handled it.
 */
import { SqlClient } from "@effect/sql"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { Effect, Layer } from "effect"
import { ProbeEntity } from "./ProbeEntity.ts"
import * as ProbeTables from "./ProbeTables.ts"

/**
 * Registers the Probe entity after creating its tables. The runner address
 * comes from the same `PW_RUNNER_HOST` and `PW_RUNNER_PORT` variables the
 * runner listens on. A failed write is a defect, which the cluster stores as
 * the reply, and the sender receives it.
 */
export const ProbeEntityLive = ProbeEntity.toLayer(Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const runner = yield* Effect.orDie(SocketCluster.RunnerConfig)
  const runnerAddress = `${runner.host}:${runner.port}`

  return {
    Record: Effect.fnUntraced(function*({ address, payload }) {
      yield* ProbeTables.record(address.entityId, payload.sequence, runnerAddress).pipe(
        Effect.provideService(SqlClient.SqlClient, sql),
        Effect.orDie
      )
      return runnerAddress
    })
  }
})).pipe(Layer.provide(Layer.effectDiscard(Effect.orDie(ProbeTables.create()))))
