/**
 * GET /admin/cluster: runners, shard assignment, and pending and failed
 * messages, read from the cluster's tables in the platform's database.
 */
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { Effect } from "effect"
import { requireStaff } from "./AdminSession.ts"
import { messagesLimit, renderCluster } from "./ClusterPage.ts"
import { consoleResponse } from "./OrderPagesHttp.ts"
import { listFailedMessages, listPendingMessages, listRunners, shardAssignments } from "./queries/ClusterQuery.ts"

/** GET /admin/cluster. */
export const showCluster = requireStaff(Effect.gen(function*() {
  const shardGroups = SingleProcessCluster.shardGroups
  const runners = yield* listRunners()
  const holdings = yield* shardAssignments(shardGroups)
  const pending = yield* listPendingMessages(messagesLimit)
  const failed = yield* listFailedMessages(messagesLimit)
  return yield* consoleResponse(200, {
    title: "Cluster",
    section: "cluster",
    body: renderCluster({ runners, shardGroups, holdings, pending, failed })
  })
}))
