/**
 * Fulfilment by catalog slug: which workflow an ordered service starts, and
 * how staff approval reaches it. Services without a workflow yet are fulfilled
 * by staff by hand. Starting also puts the obligations the order covers on
 * the carrier's compliance calendar.
 */
import { DurableDeferred, WorkflowEngine } from "@effect/workflow"
import { OrderedServicesPlanner } from "@pw/compliance-calendar/OrderedServicesPlanner"
import { CpniCertificationWorkflow, serviceSlug as cpniSlug, StaffApproval } from "@pw/cpni-certification/CpniCertificationWorkflow"
import { Fulfilment } from "@pw/order/Fulfilment"
import * as OrderStore from "@pw/order/OrderStore"
import { Cause, Effect, Layer, Option } from "effect"

/** Logs a failure or defect of planning with `ids` and carries on, so the order's fulfilment goes ahead. */
const logPlanFailure = (ids: Record<string, string>) =>
  <A, E extends { readonly message: string }, R>(planning: Effect.Effect<A, E, R>): Effect.Effect<A | void, never, R> =>
    planning.pipe(
      Effect.catchAll((error) =>
        Effect.annotateLogs(Effect.logError("planning the ordered services failed: plan the carrier's calendar by hand"), {
          ...ids,
          reason: error.message
        })),
      Effect.catchAllDefect((defect) =>
        Effect.annotateLogs(Effect.logError("planning the ordered services failed: plan the carrier's calendar by hand"), {
          ...ids,
          reason: Cause.pretty(Cause.die(defect))
        }))
    )

/**
 * The Fulfilment bridge over the workflow engine. `start` also runs
 * `OrderedServicesPlanner.planOrder` on the stored order. A failure to plan
 * is logged with the order id and does not fail the start. Needs the
 * workflow engine, Sharding and PostgreSQL.
 */
export const FulfilmentLive = Layer.effect(
  Fulfilment,
  Effect.gen(function*() {
    const engine = yield* WorkflowEngine.WorkflowEngine
    const withEngine = Effect.provideService(WorkflowEngine.WorkflowEngine, engine)
    const planner = yield* OrderedServicesPlanner
    const store = yield* OrderStore.make

    const planCalendar = (orderId: string) =>
      Effect.gen(function*() {
        const snapshot = yield* store.snapshot(orderId)
        if (Option.isNone(snapshot)) {
          return yield* Effect.annotateLogs(Effect.logWarning("order to plan not found: its calendar is not planned"), { orderId })
        }
        const order = snapshot.value.order
        yield* planner.planOrder(order).pipe(logPlanFailure({ orderId, carrierId: order.carrier.frn }))
      }).pipe(logPlanFailure({ orderId }))

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
          yield* planCalendar(orderId)
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
).pipe(Layer.provide(OrderedServicesPlanner.layer))
