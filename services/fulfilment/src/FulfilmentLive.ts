/**
 * Fulfilment by catalog slug: which workflow an ordered service starts, and
 * how staff approval reaches it. Services without a workflow yet are fulfilled
 * by staff by hand, each through a staff to-do created at the start. Starting
 * also puts the obligations the order covers on the carrier's compliance
 * calendar.
 */
import { DurableDeferred, WorkflowEngine } from "@effect/workflow"
import { OrderedServicesPlanner } from "@pw/compliance-calendar/OrderedServicesPlanner"
import { CpniCertificationWorkflow, serviceSlug as cpniSlug, StaffApproval } from "@pw/cpni-certification/CpniCertificationWorkflow"
import { findService } from "@pw/domain/Catalog"
import type { OrderItem } from "@pw/domain/Quote"
import { Fulfilment } from "@pw/order/Fulfilment"
import * as OrderStore from "@pw/order/OrderStore"
import { type NewTodo, TodoStore } from "@pw/staff/TodoStore"
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

/** Builds the `manual_step` to-do for item `index` of an order, a service with no workflow. */
const manualTodo = (orderId: string, carrierName: string, item: OrderItem, index: number): NewTodo => {
  const serviceName = findService(item.service)?.name ?? item.service
  const quantity = item.quantity > 1 ? ` Quantity: ${item.quantity}.` : ""
  const detail = item.state === undefined
    ? `The platform has no workflow for ${serviceName} yet, so staff prepare and file it by hand.${quantity} ` +
      "Complete this to-do with what was filed and its confirmation."
    : `The platform has no automated portal for ${item.state}, so staff file ${serviceName} with that state by hand.${quantity} ` +
      "Complete this to-do with what was filed and its confirmation."
  return {
    dedupeKey: `order:${orderId}:item:${index}:${item.service}`,
    kind: "manual_step",
    title: `Fulfil ${serviceName}${item.state === undefined ? "" : ` (${item.state})`} for ${carrierName} by hand`,
    detail,
    orderId
  }
}

/**
 * The Fulfilment bridge over the workflow engine. `start` creates a
 * `manual_step` to-do for every item without a workflow (every slug but
 * cpni-certification) and runs `OrderedServicesPlanner.planOrder` on the
 * stored order. A failure to store the to-dos is a defect, so the start fails
 * and is retried with the message. A failure to plan is logged with the order
 * id and does not fail the start. Needs the workflow engine, Sharding and
 * PostgreSQL.
 */
export const FulfilmentLive = Layer.effect(
  Fulfilment,
  Effect.gen(function*() {
    const engine = yield* WorkflowEngine.WorkflowEngine
    const withEngine = Effect.provideService(WorkflowEngine.WorkflowEngine, engine)
    const planner = yield* OrderedServicesPlanner
    const store = yield* OrderStore.make
    const todos = yield* TodoStore

    const createManualTodos = (orderId: string, items: ReadonlyArray<OrderItem>) =>
      Effect.gen(function*() {
        const manual = items.flatMap((item, index) => item.service === cpniSlug ? [] : [{ item, index }])
        if (manual.length === 0) return
        const snapshot = yield* store.snapshot(orderId)
        const carrierName = Option.match(snapshot, {
          onNone: () => `order ${orderId}`,
          onSome: (found) => found.order.carrier.legalName
        })
        yield* Effect.forEach(manual, ({ index, item }) => todos.create(manualTodo(orderId, carrierName, item, index)), {
          discard: true
        })
      }).pipe(Effect.orDie)

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
          yield* createManualTodos(orderId, items)
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
).pipe(Layer.provide([OrderedServicesPlanner.layer, TodoStore.layer]))
