/**
 * Test data and a recording Fulfilment bridge for Order entity tests.
 */
import { EntityAddress, EntityId, EntityType, MessageStorage, Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import * as AuditLog from "@pw/db/AuditLog"
import { Address, CarrierProfile, Frn } from "@pw/domain/Carrier"
import { ComplaintCounts, CpniCertificationFacts } from "@pw/domain/CpniCertification"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { OrderItem } from "@pw/domain/Quote"
import { Context, Effect, Layer, Option, PrimaryKey, Ref } from "effect"
import { randomBytes } from "node:crypto"
import { Fulfilment } from "../src/Fulfilment.ts"
import { CreateOrder } from "../src/Order.ts"

/** One call the Order entity made to the Fulfilment bridge. */
export interface FulfilmentCall {
  readonly operation: "start" | "approved"
  readonly orderId: string
  readonly services: ReadonlyArray<string>
  readonly approvedBy?: string
}

/** Every Fulfilment call made so far, oldest first. */
export class FulfilmentCalls extends Context.Tag("test/order/FulfilmentCalls")<
  FulfilmentCalls,
  Ref.Ref<ReadonlyArray<FulfilmentCall>>
>() {}

/** A Fulfilment bridge that only records its calls in {@link FulfilmentCalls}. */
export const RecordingFulfilment = Layer.effect(
  Fulfilment,
  Effect.map(FulfilmentCalls, (calls) => {
    const record = (call: FulfilmentCall) => Ref.update(calls, (all) => [...all, call])
    return Fulfilment.of({
      start: (orderId, items) => record({ operation: "start", orderId, services: items.map((item) => item.service) }),
      approved: (orderId, items, approvedBy) =>
        record({ operation: "approved", orderId, services: items.map((item) => item.service), approvedBy })
    })
  })
).pipe(Layer.provideMerge(Layer.effect(FulfilmentCalls, Ref.make<ReadonlyArray<FulfilmentCall>>([]))))

/** The Fulfilment calls made for `orderId`. */
export const fulfilmentCallsOf = (orderId: string) =>
  Effect.flatMap(FulfilmentCalls, Ref.get).pipe(
    Effect.map((calls) => calls.filter((call) => call.orderId === orderId))
  )

const base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567"

/** A new random order id of the form `ord_` plus 20 base-32 characters. */
export const newOrderId = (): string =>
  `ord_${Array.from(randomBytes(20), (byte) => base32Alphabet[byte % 32]).join("")}`

export const carrier = new CarrierProfile({
  frn: Frn.make("0018538512"),
  legalName: "Kennebec Valley Telephone Company",
  filer499Id: "801003",
  address: new Address({ street: "12 Water Street", city: "Augusta", state: "ME", postalCode: "04330" })
})

export const certificationFacts = new CpniCertificationFacts({
  officerName: "Dana Whitfield",
  officerTitle: "Chief Executive Officer",
  calendarYear: 2025,
  operatingProcedures: "Employees are trained on the CPNI rules, and customers are authenticated before call detail is released.",
  complaints: new ComplaintCounts({
    improperAccessByEmployees: 0,
    improperDisclosureToUnauthorizedIndividuals: 1,
    improperOnlineAccess: 2
  }),
  dataBrokerActions: "None"
})

/** A Create payload for a CPNI certification with the card surcharge: 149.00 + 3 % = 153.47. */
export const createCpniOrder = (overrides: Partial<ConstructorParameters<typeof CreateOrder>[0]> = {}) =>
  new CreateOrder({
    carrier,
    items: [new OrderItem({ service: "cpni-certification", quantity: 1 })],
    paymentMethod: "card" satisfies PaymentMethod,
    cpniCertification: certificationFacts,
    accessTokenHash: "a".repeat(64),
    requestHash: "1".repeat(64),
    ...overrides
  })

/** Total of {@link createCpniOrder} in cents. */
export const cpniOrderTotal = 15_347

/** Audit events of an order, oldest first. */
export const auditEventsOf = (orderId: string) =>
  AuditLog.list("Order", orderId).pipe(Effect.map((entries) => entries.map((entry) => entry.event)))

const countWhere = (query: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<{ readonly count: number }>, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => query(sql)).pipe(
    Effect.map((rows) => rows[0]?.count ?? 0),
    Effect.orDie
  )

export const orderRowCount = (orderId: string) =>
  countWhere((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM orders WHERE id = ${orderId}`)

export const paymentRowCount = (orderId: string) =>
  countWhere((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM order_payments WHERE order_id = ${orderId}`)

export const documentRowCount = (orderId: string) =>
  countWhere((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM order_documents WHERE order_id = ${orderId}`)

export const auditRowCount = (orderId: string) =>
  countWhere((sql) =>
    sql<{ count: number }>`SELECT count(*)::int AS count FROM audit_events WHERE entity_type = 'Order' AND entity_id = ${orderId}`
  )

/**
 * Runs `effect` and returns its failure. A success becomes a short defect,
 * so that a regression reports one line instead of the whole snapshot.
 */
export const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.matchEffect(effect, {
    onFailure: Effect.succeed,
    onSuccess: () => Effect.dieMessage("expected the call to fail, but it succeeded")
  })

/**
 * Clears the stored reply of the `tag` message to order `orderId` that has
 * the primary key of `payload`. The next send of that message then reaches
 * the handler again, as it does after a runner stops between the handler's
 * commit and the stored reply.
 */
export const forgetReply = (orderId: string, tag: string, payload: PrimaryKey.PrimaryKey) =>
  Effect.gen(function*() {
    const sharding = yield* Sharding.Sharding
    const storage = yield* MessageStorage.MessageStorage
    const entityId = EntityId.make(orderId)
    const address = new EntityAddress.EntityAddress({
      entityType: EntityType.EntityType.make("Order"),
      entityId,
      shardId: sharding.getShardId(entityId, "default")
    })
    const requestId = yield* storage.requestIdForPrimaryKey({ address, tag, id: PrimaryKey.value(payload) }).pipe(Effect.orDie)
    if (Option.isNone(requestId)) {
      return yield* Effect.dieMessage(`no stored ${tag} message for order ${orderId}`)
    }
    const cleared = yield* sharding.reset(requestId.value)
    if (!cleared) {
      return yield* Effect.dieMessage(`the reply of the ${tag} message for order ${orderId} could not be cleared`)
    }
  })
