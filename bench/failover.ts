/**
 * Benchmark of failover across processes: three probe runners on 127.0.0.1
 * sharing an embedded PostgreSQL, and a client-only node in this process
 * sending persisted messages to 200 entities. After a baseline of five
 * rounds, one runner gets SIGKILL while the load goes on. Failover time runs
 * from the kill until every entity last served by that runner has replied to a
 * fresh message. Prints the baseline p50 and p99 reply latency, the failover
 * time and their ratios, then checks that every message was processed once.
 * Exits with status 1 when failover exceeds 10 seconds or a message is
 * missing. Run by hand, never in CI:
 *
 *     node --import tsx bench/failover.ts [--victim health-check|other]
 *
 * `--victim health-check` (the default) kills the runner running the health
 * check singleton, the slower case; `other` kills a runner that does not.
 * Timings come from the `PW_CLUSTER_*` variables, as for the platform.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as ClusterSettings from "@pw/runtime/ClusterSettings"
import { Duration, Effect, Logger, LogLevel } from "effect"
import { parseArgs } from "node:util"
import { audit } from "../test/cluster/support/DeliveryAudit.ts"
import * as ProbeCluster from "../test/cluster/support/ProbeCluster.ts"
import * as ProbeLoad from "../test/cluster/support/ProbeLoad.ts"
import * as ProbeTables from "../test/cluster/support/ProbeTables.ts"
import { percentile } from "./failover/Percentile.ts"
import * as Victim from "./failover/Victim.ts"

/** Maximum acceptable failover: the time a customer request may wait on a dead runner. */
const maxFailoverMillis = 10_000

/** Rounds of 200 messages before the kill whose latencies make the baseline. */
const baselineRounds = 5

/** Fresh messages after the kill use sequences from here, apart from the load's. */
const freshSequence = 1_000_000

const ids = ProbeLoad.entityIds(200)

const parseVictim = (): Victim.VictimChoice => {
  const { values } = parseArgs({ options: { victim: { type: "string", default: "health-check" } } })
  if (values.victim !== "health-check" && values.victim !== "other") {
    throw new Error(`invalid --victim ${values.victim}: use health-check or other`)
  }
  return values.victim
}

const format = (millis: number) => `${millis.toFixed(1)} ms`

const run = Effect.fn("bench.failover")(function*(choice: Victim.VictimChoice) {
  const settings = yield* ClusterSettings.load()
  const runners = yield* ProbeCluster.startDefaultRunners(3)

  const load = yield* ProbeLoad.start(ids, 1)
  yield* load.awaitRounds(baselineRounds)
  const baseline = yield* load.snapshot
  const latencies = baseline.deliveries.map((delivery) => delivery.latencyMillis)
  const lastServer = new Map(baseline.deliveries.map((delivery) => [delivery.entityId, delivery.runner]))

  const { victim, holdsHealthCheck } = yield* Victim.pick(runners, choice)
  const victimEntities = ids.filter((id) => lastServer.get(id) === victim.address)

  const killedAt = performance.now()
  yield* victim.kill9
  const fresh = yield* ProbeLoad.sendRound(victimEntities, freshSequence)
  const servedAt = performance.now()
  const failoverMillis = servedAt - killedAt

  const roundsAtServe = (yield* load.nextSequence) - 1
  yield* load.awaitRounds(roundsAtServe + 1)
  const ledger = yield* load.stop
  const result = audit([...ledger.deliveries, ...fresh.deliveries], yield* ProbeTables.deliveries())
  const redeliveries = yield* ProbeTables.redeliveries()

  const p50 = percentile(latencies, 50)
  const p99 = percentile(latencies, 99)
  const lines = [
    `settings: lock refresh ${Duration.format(settings.lockRefresh)}, lock expiration ${Duration.format(settings.lockExpiration)}, ` +
    `assignment refresh ${Duration.format(settings.assignmentRefresh)}, health check ${Duration.format(settings.healthCheck)}, ` +
    `message poll ${Duration.format(settings.messagePoll)}`,
    `baseline: ${latencies.length} replies, p50 ${format(p50)}, p99 ${format(p99)}`,
    `victim: ${victim.address}, ${victimEntities.length} entities, health check singleton: ${holdsHealthCheck ? "yes" : "no"}`,
    `failover: ${format(failoverMillis)} (${(failoverMillis / p50).toFixed(0)}x p50, ${(failoverMillis / p99).toFixed(0)}x p99)`,
    `messages: ${ledger.deliveries.length + fresh.deliveries.length} replied, ${ledger.failures.length + fresh.failures.length} failed, ` +
    `${result.missing.length} missing, ${result.unexpected.length} unexpected, ${result.duplicated.length} duplicated rows, ` +
    `${redeliveries} redeliveries`
  ]
  for (const line of lines) console.log(line)

  const failed = failoverMillis > maxFailoverMillis || fresh.failures.length > 0 || ledger.failures.length > 0 ||
    result.missing.length > 0 || result.unexpected.length > 0 || result.duplicated.length > 0
  if (failoverMillis > maxFailoverMillis) console.log(`FAIL: failover took more than ${format(maxFailoverMillis)}`)
  if (failed && failoverMillis <= maxFailoverMillis) console.log("FAIL: a message failed, is missing, unexpected or duplicated; see the messages line")
  if (failed) process.exitCode = 1
})

const main = run(parseVictim()).pipe(
  Effect.scoped,
  Effect.provide(ProbeCluster.layer),
  Effect.provide(Logger.minimumLogLevel(LogLevel.Warning))
)

NodeRuntime.runMain(main, { disablePrettyLogger: true })
