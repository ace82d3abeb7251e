/**
 * Presence of the cluster's message tables, which SqlMessageStorage creates
 * when the first runner starts, so a database that no runner has used yet
 * lacks them.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** Checks whether `cluster_messages` and `cluster_replies` exist in the current search path. */
export const messageTablesExist = Effect.fn("ClusterTables.messageTablesExist")(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly found: boolean }>`
    SELECT to_regclass('cluster_messages') IS NOT NULL AND to_regclass('cluster_replies') IS NOT NULL AS found
  `
  return rows[0]?.found === true
})
