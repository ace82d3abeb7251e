import { Entity } from "@effect/cluster"
import { RpcGroup } from "@effect/rpc"
import { DurableDeferred, type Workflow } from "@effect/workflow"
import { expect, layer } from "@effect/vitest"
import { type ConversionError, ConvertedDocument, DocumentConverter } from "@pw/document-converter/DocumentConverter"
import { type AttachDocument, Order, OrderSnapshot } from "@pw/order/Order"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Context, Deferred, Effect, Fiber, Layer, Option, Ref, TestClock } from "effect"
import { CpniCertificationLive } from "../src/CpniCertificationLive.ts"
import { CpniCertificationWorkflow, StaffApproval } from "../src/CpniCertificationWorkflow.ts"
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

/** What the stubs saw: AttachDocument payloads, conversions and stored objects. */
class Recorded extends Context.Tag("test/cpni/Recorded")<Recorded, {
  readonly attached: Ref.Ref<ReadonlyArray<AttachDocument>>
  readonly firstAttach: Deferred.Deferred<AttachDocument>
  readonly conversions: Ref.Ref<ReadonlyArray<{ readonly sourceKey: string; readonly targetKey: string }>>
  readonly flagged: Ref.Ref<ReadonlyArray<string>>
  readonly objects: Map<string, Uint8Array>
}>() {}

const RecordedLive = Layer.effect(
  Recorded,
  Effect.all({
    attached: Ref.make<ReadonlyArray<AttachDocument>>([]),
    firstAttach: Deferred.make<AttachDocument>(),
    conversions: Ref.make<ReadonlyArray<{ readonly sourceKey: string; readonly targetKey: string }>>([]),
    flagged: Ref.make<ReadonlyArray<string>>([]),
    objects: Effect.sync(() => new Map<string, Uint8Array>())
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

const ConverterStubLive = DocumentConverter.toLayer(Effect.gen(function*() {
  const recorded = yield* Recorded
  return {
    ConvertToPdf: ({ payload }) =>
      Ref.update(recorded.conversions, (all) => [...all, { sourceKey: payload.sourceKey, targetKey: payload.targetKey }]).pipe(
        Effect.as(new ConvertedDocument({ objectKey: payload.targetKey, size: pdfSize, sha256: pdfSha256 }))
      )
  }
}))

const ObjectStoreStub = Layer.effect(
  ObjectStore,
  Effect.map(Recorded, ({ objects }) =>
    ObjectStore.of({
      put: (key, bytes, contentType) =>
        Effect.sync(() => {
          objects.set(key, bytes)
          return { size: bytes.length, etag: `etag-${bytes.length}`, lastModified: new Date(0), contentType, sha256: "0".repeat(64) }
        }),
      get: (key) => Effect.dieMessage(`the workflow reads no objects, but read ${key}`),
      stat: (key) =>
        Effect.sync(() => {
          const bytes = objects.get(key)
          return bytes === undefined
            ? Option.none()
            : Option.some({ size: bytes.length, etag: `etag-${bytes.length}`, lastModified: new Date(0), contentType: "application/octet-stream" })
        }),
      remove: (key) => Effect.sync(() => void objects.delete(key)),
      list: (prefix) => Effect.sync(() => [...objects.keys()].filter((key) => key.startsWith(prefix)).sort()),
      presignGet: (key) => Effect.dieMessage(`the workflow signs no links, but signed ${key}`)
    }))
)

const TestLayer = Layer.mergeAll(CpniCertificationLive, OrderStubLive, ConverterStubLive).pipe(
  Layer.provideMerge(ObjectStoreStub),
  Layer.provideMerge(RecordedLive),
  Layer.provideMerge(InMemoryCluster.layer)
)

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
  done: (result: Workflow.Result<void, ConversionError> | undefined) => boolean
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

      expect(recorded.objects.has(`orders/${orderId}/cpni-certification-2025.docx`)).toBe(true)
      expect(yield* Ref.get(recorded.conversions)).toEqual([{
        sourceKey: `orders/${orderId}/cpni-certification-2025.docx`,
        targetKey: `orders/${orderId}/cpni-certification-2025.pdf`
      }])
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
    }))
})
