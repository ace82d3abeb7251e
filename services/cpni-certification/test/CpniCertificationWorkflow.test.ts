import { Entity } from "@effect/cluster"
import { RpcGroup } from "@effect/rpc"
import { DurableDeferred, type Workflow } from "@effect/workflow"
import { expect, layer } from "@effect/vitest"
import { ConvertedDocument, DocumentConverter, DocumentDataInvalid } from "@pw/document-converter/DocumentConverter"
import { type AttachDocument, Order, OrderSnapshot } from "@pw/order/Order"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { TodoStore } from "@pw/staff/TodoStore"
import { Context, Deferred, Effect, Fiber, Layer, Ref, TestClock } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { CpniCertificationLive } from "../src/CpniCertificationLive.ts"
import { type CertificationError, CpniCertificationWorkflow, StaffApproval } from "../src/CpniCertificationWorkflow.ts"
import { orderId, orderView } from "./fixtures.ts"

type OrderRpc = typeof Order extends Entity.Entity<"Order", infer Rpcs> ? Rpcs : never

/** Returns the Order protocol's definition of one message, so that the stub below decodes exactly what the workflow sends. */
const orderRpc = <const Tag extends OrderRpc["_tag"]>(tag: Tag) => {
  const rpc = Order.protocol.requests.get(tag)
  if (rpc === undefined) throw new Error(`the Order protocol has no ${tag} message`)
  return rpc as Extract<OrderRpc, { readonly _tag: Tag }>
}

/** An Order entity that handles only the messages the workflow sends. */
const OrderStub = Entity.fromRpcGroup(
  "Order",
  RpcGroup.make(orderRpc("Get"), orderRpc("AttachDocument"), orderRpc("FlagForAttention"))
)

/** A GenerateDocument request as the converter stub saw it. */
interface Generation {
  readonly template: string
  readonly docxKey: string
  readonly pdfKey: string
  readonly data: unknown
}

/** What the stubs saw: AttachDocument payloads, generations and flags. */
class Recorded extends Context.Tag("test/cpni/Recorded")<Recorded, {
  readonly attached: Ref.Ref<ReadonlyArray<AttachDocument>>
  readonly firstAttach: Deferred.Deferred<AttachDocument>
  readonly generations: Ref.Ref<ReadonlyArray<Generation>>
  readonly flagged: Ref.Ref<ReadonlyArray<string>>
}>() {}

const RecordedLive = Layer.effect(
  Recorded,
  Effect.all({
    attached: Ref.make<ReadonlyArray<AttachDocument>>([]),
    firstAttach: Deferred.make<AttachDocument>(),
    generations: Ref.make<ReadonlyArray<Generation>>([]),
    flagged: Ref.make<ReadonlyArray<string>>([])
  })
)

const snapshot = new OrderSnapshot({ order: orderView(), accessTokenHash: "a".repeat(64), storedDocuments: [] })

const OrderStubLive = OrderStub.toLayer(Effect.gen(function*() {
  const recorded = yield* Recorded
  return {
    Get: () => Effect.succeed(snapshot),
    AttachDocument: ({ payload }) =>
      Ref.update(recorded.attached, (all) => [...all, payload]).pipe(
        Effect.zipRight(Deferred.succeed(recorded.firstAttach, payload)),
        Effect.as(snapshot)
      ),
    FlagForAttention: ({ payload }) =>
      Ref.update(recorded.flagged, (all) => [...all, payload.reason]).pipe(Effect.as(snapshot))
  }
}))

const pdfSize = 48_213
const pdfSha256 = "f".repeat(64)

/** Orders whose generation the converter stub rejects as bad template data. */
const invalidDataOrderId = "ord_invaliddatainvalidda"

const ConverterStubLive = DocumentConverter.toLayer(Effect.gen(function*() {
  const recorded = yield* Recorded
  return {
    ConvertToPdf: ({ payload }) => Effect.dieMessage(`the workflow converts nothing directly, but converted ${payload.sourceKey}`),
    GenerateDocument: ({ payload }) =>
      Effect.gen(function*() {
        const { data, docxKey, pdfKey, template } = payload
        yield* Ref.update(recorded.generations, (all) => [...all, { template, docxKey, pdfKey, data }])
        if (docxKey.includes(invalidDataOrderId)) {
          return yield* new DocumentDataInvalid({
            template,
            field: "frn",
            message: "CPNI certification data is invalid at frn: expected 10 digits"
          })
        }
        return new ConvertedDocument({ objectKey: pdfKey, size: pdfSize, sha256: pdfSha256 })
      })
  }
}))

const TestLayer = Layer.mergeAll(CpniCertificationLive, OrderStubLive, ConverterStubLive).pipe(
  Layer.provideMerge(RecordedLive),
  Layer.provideMerge(InMemoryCluster.layer),
  Layer.provideMerge(TodoStore.layer),
  Layer.provideMerge(TestDatabase.layer)
)

/** The to-dos of order `id`, as `kind: title`. */
const todosOf = (id: string) =>
  Effect.gen(function*() {
    const todos = yield* (yield* TodoStore).list({})
    return todos.filter((todo) => todo.orderId === id).map((todo) => `${todo.kind}: ${todo.title}`)
  })

/** Runs `effect` while advancing the TestClock in one-second steps, so that the cluster's timed loops make progress. */
const whileAdvancingClock = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    const clock = yield* Effect.fork(Effect.forever(TestClock.adjust("1 second")))
    const result = yield* Fiber.join(fiber)
    yield* Fiber.interrupt(clock)
    return result
  })

/**
 * Polls the execution once per TestClock second until `done` returns true or
 * 60 polls have passed, and returns the last result.
 */
const pollUntil = (
  executionId: string,
  done: (result: Workflow.Result<void, typeof CertificationError.Type> | undefined) => boolean
) =>
  whileAdvancingClock(
    CpniCertificationWorkflow.poll(executionId).pipe(
      Effect.delay("1 second"),
      Effect.repeat({ until: done, times: 60 })
    )
  )

layer(TestLayer)("CpniCertificationWorkflow", (it) => {
  it.effect("renders, attaches, awaits approval", () =>
    Effect.gen(function*() {
      const recorded = yield* Recorded

      const executionId = yield* whileAdvancingClock(CpniCertificationWorkflow.execute({ orderId }, { discard: true }))
      const attached = yield* whileAdvancingClock(Deferred.await(recorded.firstAttach))
      const pending = yield* pollUntil(executionId, (result) => result !== undefined)

      const generations = yield* Ref.get(recorded.generations)
      expect(generations).toHaveLength(1)
      expect(generations[0]?.template).toBe("cpni-certification")
      expect(generations[0]?.docxKey).toBe(`orders/${orderId}/cpni-certification-2025.docx`)
      expect(generations[0]?.pdfKey).toBe(`orders/${orderId}/cpni-certification-2025.pdf`)
      expect(generations[0]?.data).toMatchObject({ legalName: "Kennebec Valley Telephone Company", calendarYear: 2025 })
      expect(attached.objectKey).toBe(`orders/${orderId}/cpni-certification-2025.pdf`)
      expect(attached.documentId).toBe("doc_abcdefghijklmnopqrst_cpni")
      expect(attached.fileName).toBe("cpni-certification-2025.pdf")
      expect(attached.size).toBe(pdfSize)
      expect(attached.sha256).toBe(pdfSha256)
      expect(yield* Ref.get(recorded.attached)).toHaveLength(1)
      expect(pending?._tag).toBe("Suspended")

      const token = yield* DurableDeferred.tokenFromPayload(StaffApproval, {
        workflow: CpniCertificationWorkflow,
        payload: { orderId }
      })
      yield* whileAdvancingClock(DurableDeferred.succeed(StaffApproval, { token, value: { approvedBy: "staff@example.com" } }))
      const done = yield* pollUntil(executionId, (result) => result?._tag === "Complete")

      expect(done?._tag).toBe("Complete")
      expect(yield* Ref.get(recorded.attached)).toHaveLength(1)
      expect(yield* Ref.get(recorded.flagged)).toEqual([])
      expect(yield* todosOf(orderId)).toEqual([
        "manual_step: File the CPNI certification of Kennebec Valley Telephone Company in EB Docket No. 06-36 on ECFS"
      ])
    }))

  it.effect("bad data flags order once", () =>
    Effect.gen(function*() {
      const recorded = yield* Recorded

      const executionId = yield* whileAdvancingClock(
        CpniCertificationWorkflow.execute({ orderId: invalidDataOrderId }, { discard: true })
      )
      const done = yield* pollUntil(executionId, (result) => result?._tag === "Complete")
      const attempts = (yield* Ref.get(recorded.generations)).filter((generation) =>
        generation.docxKey.includes(invalidDataOrderId)
      )

      expect(done?._tag).toBe("Complete")
      expect(attempts).toHaveLength(1)
      expect(yield* Ref.get(recorded.flagged)).toEqual([
        "CPNI certification data is invalid at frn: expected 10 digits"
      ])
      expect(yield* todosOf(invalidDataOrderId)).toEqual([
        "failure: Certification for Kennebec Valley Telephone Company could not be generated"
      ])
    }))
})
