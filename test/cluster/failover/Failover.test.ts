/**
 * Failover of the cluster across processes: three probe runners on
 * 127.0.0.1 and a client-only node in the test process send persisted
 * messages to 200 entities while one runner with shards gets SIGKILL.
 * Every entity must reply again from a surviving runner, and every message
 * sent must have exactly one row in `probe_deliveries`.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { onTestFailed } from "vitest"
import * as ClusterState from "../support/ClusterState.ts"
import { audit } from "../support/DeliveryAudit.ts"
import * as ProbeCluster from "../support/ProbeCluster.ts"
import * as ProbeLoad from "../support/ProbeLoad.ts"
import * as ProbeTables from "../support/ProbeTables.ts"

const ids = ProbeLoad.entityIds(200)

layer(ProbeCluster.layer, { excludeTestServices: true, timeout: "3 minutes" })("failover", (it) => {
  describe("kill -9", () => {
    it.scoped("runner kill keeps every message", () =>
      Effect.gen(function*() {
        const cluster = yield* ProbeCluster.ProbeCluster
        onTestFailed(() => {
          for (const runner of cluster.started()) console.log(`--- output of runner ${runner.address} ---\n${runner.output()}`)
        })
        const runners = yield* ProbeCluster.startDefaultRunners(3)

        const load = yield* ProbeLoad.start(ids, 1)
        yield* load.awaitRounds(2)
        const victim = runners[1]
        if (victim === undefined) return expect.unreachable("three runners started")
        const victimLocks = yield* ClusterState.locksOf(victim.applicationName)
        expect(victimLocks.length).toBeGreaterThan(0)

        yield* victim.kill9
        const roundsAtKill = (yield* load.nextSequence) - 1
        yield* load.awaitRounds(roundsAtKill + 2)
        const ledger = yield* load.stop

        const fresh = yield* ProbeLoad.sendRound(ids, yield* load.nextSequence)
        expect(ledger.failures).toEqual([])
        expect(fresh.failures).toEqual([])
        expect(fresh.deliveries).toHaveLength(ids.length)
        expect(fresh.deliveries.filter((delivery) => delivery.runner === victim.address)).toEqual([])

        const sent = [...ledger.deliveries, ...fresh.deliveries]
        const result = audit(sent, yield* ProbeTables.deliveries())
        expect(result.missing).toEqual([])
        expect(result.unexpected).toEqual([])
        expect(result.duplicated).toEqual([])

        const redeliveries = yield* ProbeTables.redeliveries()
        yield* Effect.annotateLogs(Effect.logInfo("failover audit done"), {
          messages: sent.length,
          redeliveries,
          victim: victim.address,
          victimShards: victimLocks.length
        })
      }))
  })
})
