/**
 * Fulfilment by catalog slug: which workflow an ordered service starts, and
 * how staff approval reaches it. Services without a workflow yet are fulfilled
 * by staff by hand.
 */
import { DurableDeferred, WorkflowEngine } from "@effect/workflow"
import { CpniCertificationWorkflow, serviceSlug as cpniSlug, StaffApproval } from "@pw/cpni-certification/CpniCertificationWorkflow"
import { Fulfilment } from "@pw/order/Fulfilment"
import { Effect, Layer } from "effect"

/** The Fulfilment bridge over the workflow engine. */
export const FulfilmentLive = Layer.effect(
  Fulfilment,
  Effect.gen(function*() {
    const engine = yield* WorkflowEngine.WorkflowEngine
    const withEngine = Effect.provideService(WorkflowEngine.WorkflowEngine, engine)

    return Fulfilment.of({
      start: (orderId, items) =>
        Effect.gen(function*() {
          if (items.some((item) => item.service === cpniSlug)) {
            const executionId = yield* CpniCertificationWorkflow.execute({ orderId }, { discard: true })
            yield* Effect.annotateLogs(Effect.logInfo("workflow started"), {
              orderId,
              workflow: CpniCertificationWorkflow.name,
              executionId
            })
          }
        }).pipe(withEngine),

      approved: (orderId, items, approvedBy) =>
        Effect.gen(function*() {
          if (!items.some((item) => item.service === cpniSlug)) return
          const token = yield* DurableDeferred.tokenFromPayload(StaffApproval, {
            workflow: CpniCertificationWorkflow,
            payload: { orderId }
          })
          yield* DurableDeferred.succeed(StaffApproval, { token, value: { approvedBy } })
        }).pipe(withEngine)
    })
  })
)
