/**
 * Redrive against a real workflow: the single-process cluster on embedded
 * PostgreSQL runs a workflow whose activity fails on its first call, and
 * re-driving the failed execution makes the runner replay it to success.
 */
import { expect, layer } from "@effect/vitest"
import { Activity, Workflow } from "@effect/workflow"
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { Context, Effect, Either, Exit, Layer, Ref, Schedule, Schema } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import * as Redrive from "../src/commands/Redrive.ts"

/** Calls made to the activity, so its first call fails. */
class SubmitCalls extends Context.Tag("test/SubmitCalls")<SubmitCalls, Ref.Ref<number>>() {}

const FileReport = Workflow.make({
  name: "FileReport",
  payload: { reportId: Schema.String },
  success: Schema.String,
  error: Schema.String,
  idempotencyKey: ({ reportId }) => reportId
})

const submitReport = Activity.make({
  name: "SubmitReport",
  success: Schema.String,
  error: Schema.String,
  execute: Effect.gen(function*() {
    const calls = yield* SubmitCalls
    const call = yield* Ref.updateAndGet(calls, (count) => count + 1)
    if (call === 1) return yield* Effect.fail("filing portal unavailable")
    return `confirmation-${call}`
  })
})

const FileReportLayer = FileReport.toLayer(() => submitReport)

const TestLayer = FileReportLayer.pipe(
  Layer.provideMerge(SingleProcessCluster.layer({ entityMessagePollInterval: "200 millis" })),
  Layer.provideMerge(Layer.effect(SubmitCalls, Ref.make(0))),
  Layer.provideMerge(TestDatabase.layer)
)

/** Polls the execution's result every 200 ms until it is complete, for at most 60 seconds. */
const awaitComplete = (executionId: string) =>
  FileReport.poll(executionId).pipe(
    Effect.filterOrFail((result) => result?._tag === "Complete", () => "not complete"),
    Effect.retry(Schedule.spaced("200 millis")),
    Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error(`execution ${executionId} did not complete`) })
  )

layer(TestLayer, { timeout: "120 seconds", excludeTestServices: true })("Redrive", (it) => {
  it.effect("redrive reruns failed execution", () =>
    Effect.gen(function*() {
      const failed = yield* Effect.either(FileReport.execute({ reportId: "rpt-1" }))
      expect(failed).toEqual(Either.left("filing portal unavailable"))

      const executionId = yield* FileReport.executionId({ reportId: "rpt-1" })
      const result = yield* Redrive.redrive(executionId)
      expect(result.workflow).toBe("FileReport")
      expect(result.executionId).toBe(executionId)
      expect(result.clearedActivities).toEqual(["SubmitReport/1"])
      expect(result.deletedReplies).toBe(2)

      const completed = yield* awaitComplete(executionId)
      expect(completed?._tag).toBe("Complete")
      const exit = completed?._tag === "Complete" ? completed.exit : undefined
      expect(exit).toEqual(Exit.succeed("confirmation-2"))
      const calls = yield* Effect.flatMap(SubmitCalls, Ref.get)
      expect(calls).toBe(2)
    }))

  it.effect("redrive rejects succeeded execution", () =>
    Effect.gen(function*() {
      const executionId = yield* FileReport.executionId({ reportId: "rpt-1" })
      const error = yield* Effect.flip(Redrive.redrive(executionId))
      expect(error._tag).toBe("ExecutionNotFailed")
    }))

  it.effect("redrive rejects unknown execution", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Redrive.redrive("no-such-execution"))
      expect(error._tag).toBe("ExecutionNotFound")
      expect(error.message).toContain("no-such-execution")
    }))
})
