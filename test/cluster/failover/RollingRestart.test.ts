/**
 * Rolling restart of the cluster across processes: under the same load as
 * the failover test, each of three probe runners in turn gets SIGTERM, exits,
 * and is replaced by a new process on the same port. A stopping runner must
 * hand its shards over (its locks and its `cluster_runners` row are gone when
 * it has exited), and every message sent must get its reply and be processed
 * exactly once. For a message that did not, the test prints what message
 * storage contains for it.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { onTestFailed } from "vitest"
import * as ClusterState from "../support/ClusterState.ts"
import { audit, parseKey } from "../support/DeliveryAudit.ts"
import * as MessageTrail from "../support/MessageTrail.ts"
import * as Poll from "../support/Poll.ts"
import * as ProbeCluster from "../support/ProbeCluster.ts"
import * as ProbeLoad from "../support/ProbeLoad.ts"
import * as ProbeTables from "../support/ProbeTables.ts"

const ids = ProbeLoad.entityIds(200)

/** Shards per group in `ShardingConfig.defaults` of @effect/cluster 0.60, which SocketCluster keeps. */
const shardsPerGroup = 300

layer(ProbeCluster.layer, { excludeTestServices: true, timeout: "3 minutes" })("rolling restart", (it) => {
  describe("SIGTERM one at a time", () => {
    it.scoped("restart keeps every message", () =>
      Effect.gen(function*() {
        const cluster = yield* ProbeCluster.ProbeCluster
        onTestFailed(() => {
          for (const runner of cluster.started()) console.log(`--- output of runner ${runner.address} ---\n${runner.output()}`)
        })
        const runners = yield* ProbeCluster.startDefaultRunners(3)

        const load = yield* ProbeLoad.start(ids, 1)
        yield* load.awaitRounds(1)

        for (const [index, runner] of runners.entries()) {
          yield* runner.stop
          const locksAfterExit = yield* ClusterState.locksOf(runner.applicationName)
          expect(locksAfterExit).toEqual([])
          const rowsAfterExit = yield* ClusterState.runners()
          expect(rowsAfterExit.map((row) => row.address)).not.toContain(runner.address)

          yield* Poll.until(
            `the other runners to hold every default shard after ${runner.address} stopped`,
            Effect.map(ClusterState.shardLocks(), (locks) =>
              locks.filter((lock) => lock.group === "default").length === shardsPerGroup
                ? Option.some(locks)
                : Option.none())
          )
          const roundsAtStop = (yield* load.nextSequence) - 1
          yield* load.awaitRounds(roundsAtStop + 1)

          const replacement = yield* cluster.startRunner("default", runner.port)
          runners[index] = replacement
          yield* ProbeCluster.awaitShards(replacement, "default")
          const roundsAtStart = (yield* load.nextSequence) - 1
          yield* load.awaitRounds(roundsAtStart + 1)
        }
        const ledger = yield* load.stop

        const fresh = yield* ProbeLoad.sendRound(ids, yield* load.nextSequence)
        const sent = [...ledger.deliveries, ...fresh.deliveries]
        const result = yield* Poll.until(
          "every message sent to have its Probe row",
          Effect.map(ProbeTables.deliveries(), (rows) => {
            const current = audit(sent, rows)
            return current.missing.length === 0 ? Option.some(current) : Option.none()
          }),
          { attempts: 300 }
        ).pipe(Effect.catchAll(() => Effect.map(ProbeTables.deliveries(), (rows) => audit(sent, rows))))
        const unanswered = [...ledger.failures, ...fresh.failures]
        if (unanswered.length > 0 || result.missing.length > 0) {
          const traced = [...unanswered, ...result.missing.map(parseKey)]
          console.log(`stored envelopes of unanswered or missing messages:\n${yield* MessageTrail.describe(traced)}`)
        }
        expect(ledger.failures).toEqual([])
        expect(fresh.failures).toEqual([])
        expect(fresh.deliveries).toHaveLength(ids.length)
        expect(result.missing).toEqual([])
        expect(result.unexpected).toEqual([])
        expect(result.duplicated).toEqual([])

        const redeliveries = yield* ProbeTables.redeliveries()
        yield* Effect.annotateLogs(Effect.logInfo("rolling restart audit done"), { messages: sent.length, redeliveries })
      }))
  })
})
