/**
 * `pw-ops redrive`: makes the cluster run a failed workflow execution again.
 *
 * ClusterWorkflowEngine (@effect/cluster 0.60) stores an execution as
 * requests to the entity `Workflow/<name>` with the execution id as entity
 * id: one `run` request (primary key `""`), one `activity` request per
 * activity attempt (primary key `<activity>/<attempt>`), and `deferred` and
 * `resume` requests. Each request's final reply (kind 0, `WithExit`) contains
 * the encoded exit. A run whose reply is a failure exit, or a success carrying a
 * `Complete` result with a failure exit, has failed. Replaying the workflow
 * takes the stored reply of every activity attempt instead of running it.
 */
import { SqlClient } from "@effect/sql"
import { Console, Effect, Schema } from "effect"
import * as ClusterTables from "../ClusterTables.ts"

/** Help text of the command, stating every change {@link redrive} makes. */
export const description = [
  "Re-drives a failed workflow execution, given its execution id or the id of one of its messages.",
  "In one transaction it (1) deletes every activity request of the execution whose final reply is a failure,",
  "with all replies of those requests, so those activities run again; (2) deletes the final reply of the",
  "execution's run request and any interrupt messages of it; (3) marks the run request unprocessed and clears",
  "its last_reply_id and last_read. The runner holding the execution's shard reads it at its next storage poll",
  "and replays the workflow: successful activities keep their stored results, the failed ones run again.",
  "It rejects executions that do not exist, are still running or suspended, or completed successfully."
].join(" ")

/** Entity type of the workflow engine's durable clock, whose `run` requests are timers. */
const durableClockEntityType = "Workflow/-/DurableClock"

/** No workflow execution matches the id. `message` names the id searched for. */
export class ExecutionNotFound extends Schema.TaggedError<ExecutionNotFound>()("ExecutionNotFound", {
  target: Schema.String,
  message: Schema.String
}) {}

/** The execution id belongs to executions of several workflows. `message` lists their run message ids. */
export class AmbiguousExecution extends Schema.TaggedError<AmbiguousExecution>()("AmbiguousExecution", {
  target: Schema.String,
  message: Schema.String
}) {}

/** The execution has not failed, so there is nothing to re-drive. `message` names its state. */
export class ExecutionNotFailed extends Schema.TaggedError<ExecutionNotFailed>()("ExecutionNotFailed", {
  executionId: Schema.String,
  state: Schema.Literal("running", "suspended", "succeeded"),
  message: Schema.String
}) {}

/** The changes made by {@link redrive}. */
export interface RedriveResult {
  readonly workflow: string
  readonly executionId: string
  /** Id of the run request, now unprocessed. */
  readonly runMessageId: string
  /** Primary keys (`<activity>/<attempt>`) of the failed activity requests deleted. */
  readonly clearedActivities: ReadonlyArray<string>
  /** Replies deleted: the run's final reply plus every reply of the deleted activity requests. */
  readonly deletedReplies: number
}

interface RunRow {
  readonly id: string
  readonly entity_type: string
  readonly entity_id: string
}

/**
 * SQL condition on a reply row `alias` (kind 0) that is true when its exit
 * is a failure: the RPC failed, or it succeeded with a workflow `Complete`
 * result whose exit is a failure.
 */
// NOTE: an execution that ended by interruption also has a failure exit. Re-driving one is untested,
// and the interrupt signal it keeps stored may end the replay again.
const failedExit = (alias: string) =>
  `(${alias}.payload::jsonb ->> '_tag' = 'Failure' OR (
    ${alias}.payload::jsonb -> 'value' ->> '_tag' = 'Complete'
    AND ${alias}.payload::jsonb -> 'value' -> 'exit' ->> '_tag' = 'Failure'))`

/**
 * Finds the run request of the execution named by `target`: a message id
 * (the run request, or any request of the execution) or an execution id.
 */
const findRun = (target: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    if (!(yield* ClusterTables.messageTablesExist())) {
      return yield* new ExecutionNotFound({
        target,
        message: "the database has no cluster_messages table, so no runner has used it; check DATABASE_URL"
      })
    }
    const isWorkflow = (alias: string) =>
      sql.literal(`${alias}.entity_type LIKE 'Workflow/%' AND ${alias}.entity_type <> '${durableClockEntityType}'`)
    if (/^\d{1,19}$/.test(target)) {
      const byMessage = yield* sql<RunRow>`
        SELECT run.id::text AS id, run.entity_type, run.entity_id
        FROM cluster_messages message
        JOIN cluster_messages run
          ON run.entity_type = message.entity_type AND run.entity_id = message.entity_id
         AND run.kind = 0 AND run.tag = 'run'
        WHERE message.id = ${target}::bigint AND ${isWorkflow("message")}
      `
      if (byMessage[0] !== undefined) return byMessage[0]
    }
    const byExecution = yield* sql<RunRow>`
      SELECT id::text AS id, entity_type, entity_id
      FROM cluster_messages run
      WHERE run.entity_id = ${target} AND run.kind = 0 AND run.tag = 'run' AND ${isWorkflow("run")}
      ORDER BY id
    `
    const [run, ...others] = byExecution
    if (run === undefined) {
      return yield* new ExecutionNotFound({
        target,
        message: `no workflow execution has the execution id or message id ${target}; check the id, for example with pw-ops stuck-messages`
      })
    }
    if (others.length > 0) {
      return yield* new AmbiguousExecution({
        target,
        message: `execution id ${target} belongs to ${byExecution.length} workflows (${
          byExecution.map((row) => `${row.entity_type} run message ${row.id}`).join(", ")
        }); pass the run message id instead`
      })
    }
    return run
  })

/**
 * Re-drives the failed workflow execution `target` (execution id or message
 * id) as {@link description} states, in one transaction that locks the run
 * request first. Fails with {@link ExecutionNotFound},
 * {@link AmbiguousExecution} or {@link ExecutionNotFailed}, changing nothing.
 */
export const redrive = Effect.fn("Redrive.redrive")(function*(target: string) {
  const sql = yield* SqlClient.SqlClient
  return yield* sql.withTransaction(Effect.gen(function*() {
    const run = yield* findRun(target)
    const workflow = run.entity_type.slice("Workflow/".length)
    const executionId = run.entity_id

    const [state] = yield* sql<{ readonly processed: boolean; readonly final: boolean; readonly failed: boolean; readonly suspended: boolean }>`
      SELECT run.processed,
             reply.id IS NOT NULL AS final,
             coalesce(${sql.literal(failedExit("reply"))}, false) AS failed,
             coalesce(reply.payload::jsonb -> 'value' ->> '_tag' = 'Suspended', false) AS suspended
      FROM cluster_messages run
      LEFT JOIN cluster_replies reply ON reply.request_id = run.id AND reply.kind = 0
      WHERE run.id = ${run.id}::bigint
      FOR UPDATE OF run
    `
    if (state === undefined || !state.final || !state.failed) {
      let status: "running" | "suspended" | "succeeded" = "succeeded"
      if (state === undefined || !state.final) status = "running"
      else if (state.suspended) status = "suspended"
      return yield* new ExecutionNotFailed({
        executionId,
        state: status,
        message: `workflow ${workflow} execution ${executionId} has not failed (it is ${status}); only failed executions can be re-driven`
      })
    }

    const activities = yield* sql<{ readonly id: string; readonly message_id: string | null }>`
      SELECT activity.id::text AS id, activity.message_id
      FROM cluster_messages activity
      JOIN cluster_replies reply ON reply.request_id = activity.id AND reply.kind = 0
      WHERE activity.entity_type = ${run.entity_type} AND activity.entity_id = ${executionId}
        AND activity.kind = 0 AND activity.tag = 'activity'
        AND ${sql.literal(failedExit("reply"))}
      ORDER BY activity.id
    `
    const activityIds = activities.map((row) => row.id)
    const deletedActivityReplies = activityIds.length === 0 ? [] : yield* sql`
      DELETE FROM cluster_replies WHERE request_id = ANY(${activityIds}::bigint[]) RETURNING id
    `
    if (activityIds.length > 0) {
      yield* sql`DELETE FROM cluster_messages WHERE request_id = ANY(${activityIds}::bigint[])`
    }

    const deletedRunReplies = yield* sql`
      DELETE FROM cluster_replies WHERE request_id = ${run.id}::bigint AND kind = 0 RETURNING id
    `
    yield* sql`DELETE FROM cluster_messages WHERE request_id = ${run.id}::bigint AND kind = 2`
    yield* sql`
      UPDATE cluster_messages SET processed = false, last_reply_id = NULL, last_read = NULL
      WHERE request_id = ${run.id}::bigint
    `

    const prefix = `${run.entity_type}/${executionId}/activity/`
    return {
      workflow,
      executionId,
      runMessageId: run.id,
      clearedActivities: activities.map((row) =>
        row.message_id !== null && row.message_id.startsWith(prefix) ? row.message_id.slice(prefix.length) : row.id
      ),
      deletedReplies: deletedActivityReplies.length + deletedRunReplies.length
    } satisfies RedriveResult
  }))
})

/** Runs {@link redrive} and prints what it changed. */
export const print = Effect.fn("Redrive.print")(function*(target: string) {
  const result = yield* redrive(target)
  yield* Console.log(
    `Re-drove workflow ${result.workflow} execution ${result.executionId} (run message ${result.runMessageId}).`
  )
  yield* Console.log(
    result.clearedActivities.length === 0
      ? "No failed activity results were stored; the workflow replays from its stored results."
      : `Failed activity attempts that run again: ${result.clearedActivities.join(", ")}.`
  )
  yield* Console.log("The runner owning the execution's shard picks it up at its next storage poll.")
})
