/**
 * FulfilmentLive's start on an in-memory cluster and a real PostgreSQL: the
 * staff to-dos for ordered services that have no workflow.
 */
import { expect, layer } from "@effect/vitest"
import { Address, CarrierProfile, Frn } from "@pw/domain/Carrier"
import * as Pricing from "@pw/domain/Pricing"
import { OrderItem } from "@pw/domain/Quote"
import { Fulfilment } from "@pw/order/Fulfilment"
import * as OrderStore from "@pw/order/OrderStore"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { TodoStore } from "@pw/staff/TodoStore"
import { Effect, Layer } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { FulfilmentLive } from "../src/FulfilmentLive.ts"

const TestLayer = Layer.mergeAll(FulfilmentLive, TodoStore.layer).pipe(
  Layer.provideMerge(InMemoryCluster.layer),
  Layer.provideMerge(TestDatabase.layer)
)

const carrier = new CarrierProfile({
  frn: Frn.make("0000000042"),
  legalName: "Example Telecom LLC",
  filer499Id: "800042",
  address: new Address({ street: "1 Example Road", city: "Austin", state: "TX", postalCode: "78701" })
})

const items = [
  new OrderItem({ service: "dc-agent", quantity: 1 }),
  new OrderItem({ service: "foreign-qualification-single", quantity: 1, state: "TX" })
]

/** Stores an in-progress order for `items` under `orderId`. */
const insertOrder = (orderId: string) =>
  Effect.gen(function*() {
    const store = yield* OrderStore.make
    const quote = yield* Pricing.quote(items, "ach")
    yield* store.insert({
      id: orderId,
      status: "in_progress",
      carrier,
      items,
      quote,
      cpniCertification: undefined,
      contactEmail: undefined,
      accessTokenHash: "a".repeat(64),
      requestHash: "b".repeat(64)
    })
  }).pipe(Effect.orDie)

/** The to-dos of order `orderId`, oldest first. */
const todosOf = (orderId: string) =>
  Effect.gen(function*() {
    const todos = yield* (yield* TodoStore).list({})
    return todos.filter((todo) => todo.orderId === orderId)
  })

layer(TestLayer)("FulfilmentLive", (it) => {
  it.effect("start creates manual to-dos", () =>
    Effect.gen(function*() {
      const orderId = "ord_manualtodosmanualtod"
      yield* insertOrder(orderId)
      yield* (yield* Fulfilment).start(orderId, items)

      const todos = yield* todosOf(orderId)
      expect(todos.map((todo) => todo.kind)).toEqual(["manual_step", "manual_step"])
      expect(todos.map((todo) => todo.title).sort()).toEqual([
        "Fulfil D.C. agent for service of process for Example Telecom LLC by hand",
        "Fulfil Foreign qualification, one state (TX) for Example Telecom LLC by hand"
      ])
      const perState = todos.find((todo) => todo.title.includes("(TX)"))
      expect(perState?.detail).toContain("no automated portal for TX")
    }))

  it.effect("second start adds nothing", () =>
    Effect.gen(function*() {
      const orderId = "ord_startedtwicestarteda"
      yield* insertOrder(orderId)
      const fulfilment = yield* Fulfilment
      yield* fulfilment.start(orderId, items)
      const first = yield* todosOf(orderId)
      yield* fulfilment.start(orderId, items)
      const second = yield* todosOf(orderId)

      expect(second).toEqual(first)
      expect(second).toHaveLength(2)
    }))
})
