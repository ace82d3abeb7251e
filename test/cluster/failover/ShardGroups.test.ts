/**
 * Shard groups across processes: a probe runner hosting only `docserver`
 * must never take a `default` shard, neither beside a `default` runner nor
 * after that runner dies. Messages to `default` entities then wait in
 * storage and are served once a new `default` runner starts.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Fiber, Option, Schedule } from "effect"
import { onTestFailed } from "vitest"
import * as ClusterState from "../support/ClusterState.ts"
import { audit } from "../support/DeliveryAudit.ts"
import * as Poll from "../support/Poll.ts"
import * as ProbeCluster from "../support/ProbeCluster.ts"
import * as ProbeLoad from "../support/ProbeLoad.ts"
import * as ProbeTables from "../support/ProbeTables.ts"
import type { RunnerProcess } from "../support/RunnerProcess.ts"

const ids = ProbeLoad.entityIds(20, "grouped")

/**
 * Lock samples 200 ms apart: 25 samples span about five assignment refreshes
 * at the default `PW_CLUSTER_ASSIGNMENT_REFRESH` of 1 second.
 */
const samples = 25

/** The `default` shards that `runner` held in each of {@link samples} samples of the lock table. */
const sampleDefaultShards = (runner: RunnerProcess) =>
  Effect.gen(function*() {
    const defaultShards: Array<string> = []
    yield* ClusterState.locksOf(runner.applicationName).pipe(
      Effect.tap((locks) => defaultShards.push(...locks.filter((lock) => lock.group === "default").map((lock) => lock.shardId))),
      Effect.repeat(Schedule.spaced("200 millis").pipe(Schedule.intersect(Schedule.recurs(samples - 1))))
    )
    return defaultShards
  })

layer(ProbeCluster.layer, { excludeTestServices: true, timeout: "3 minutes" })("shard groups", (it) => {
  describe("docserver-only runner", () => {
    it.scoped("docserver runner never takes default", () =>
      Effect.gen(function*() {
        const cluster = yield* ProbeCluster.ProbeCluster
        onTestFailed(() => {
          for (const runner of cluster.started()) console.log(`--- output of runner ${runner.address} ---\n${runner.output()}`)
        })
        const docserver = yield* cluster.startRunner("docserver")
        const core = yield* cluster.startRunner("default")
        yield* ProbeCluster.awaitShards(docserver, "docserver")
        yield* ProbeCluster.awaitShards(core, "default")

        const before = yield* ProbeLoad.sendRound(ids, 1)
        expect(before.failures).toEqual([])
        expect(new Set(before.deliveries.map((delivery) => delivery.runner))).toEqual(new Set([core.address]))
        expect(yield* sampleDefaultShards(docserver)).toEqual([])

        yield* core.kill9
        const waiting = yield* Effect.forkScoped(ProbeLoad.sendRound(ids, 2))
        yield* Poll.until(
          `runner ${core.address} to leave the runner set`,
          Effect.map(ClusterState.liveRunners(), (live) => live.includes(core.address) ? Option.none() : Option.some(live))
        )
        expect(yield* sampleDefaultShards(docserver)).toEqual([])
        expect(yield* Fiber.poll(waiting)).toEqual(Option.none())

        const replacement = yield* cluster.startRunner("default")
        const after = yield* Fiber.join(waiting)
        expect(after.failures).toEqual([])
        expect(new Set(after.deliveries.map((delivery) => delivery.runner))).toEqual(new Set([replacement.address]))

        const result = audit([...before.deliveries, ...after.deliveries], yield* ProbeTables.deliveries())
        expect(result.missing).toEqual([])
        expect(result.unexpected).toEqual([])
        expect(result.duplicated).toEqual([])
      }))
  })
})
