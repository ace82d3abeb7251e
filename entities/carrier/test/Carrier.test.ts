import { Entity, ShardingConfig } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { assertInstanceOf } from "@effect/vitest/utils"
import * as AuditLog from "@pw/db/AuditLog"
import { Address, CarrierProfile, Frn } from "@pw/domain/Carrier"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { Effect, Layer } from "effect"
import { randomInt } from "node:crypto"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { Carrier, CarrierNotFound, RegisterCarrier } from "../src/Carrier.ts"
import { CarrierLive } from "../src/CarrierLive.ts"

/** The Carrier entity on the in-memory cluster over a real PostgreSQL. */
const TestLayer = CarrierLive.pipe(
  Layer.provideMerge(InMemoryCluster.layer),
  Layer.provideMerge(TestDatabase.layer)
)

/** Calls the handlers directly, bypassing message storage, so the same message can be delivered twice. */
const directClient = Entity.makeTestClient(Carrier, CarrierLive).pipe(Effect.provide(ShardingConfig.layerDefaults))

/** A random FRN, so that tests sharing the database do not share carriers. */
const newFrn = (): Frn => Frn.make(String(randomInt(0, 10_000_000_000)).padStart(10, "0"))

const profileFor = (frn: Frn, legalName = "Kennebec Valley Telephone Company") =>
  new CarrierProfile({
    frn,
    legalName,
    filer499Id: "801003",
    address: new Address({ street: "12 Water Street", city: "Augusta", state: "ME", postalCode: "04330" })
  })

const registeredEvents = (frn: string) =>
  AuditLog.list("Carrier", frn).pipe(
    Effect.map((entries) => entries.filter((entry) => entry.event === "registered"))
  )

const storedLegalNames = (frn: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ legal_name: string }>`SELECT legal_name FROM carriers WHERE frn = ${frn}`).pipe(
      Effect.map((rows) => rows.map((row) => row.legal_name)),
      Effect.orDie
    )

/** Runs `effect` and returns its failure. A success becomes a one-line defect. */
const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.matchEffect(effect, {
    onFailure: Effect.succeed,
    onSuccess: () => Effect.dieMessage("expected the call to fail, but it succeeded")
  })

// Uses the live clock because the embedded PostgreSQL and the cluster's loops
// run in real time. No case here depends on time.
layer(TestLayer, { excludeTestServices: true })("Carrier", (it) => {
  it.effect("Register returns profile", () =>
    Effect.gen(function*() {
      const makeCarrier = yield* Carrier.client
      const frn = newFrn()

      const registered = yield* makeCarrier(frn).Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-1` }))
      const fetched = yield* makeCarrier(frn).Get()

      expect(registered).toEqual(profileFor(frn))
      expect(fetched).toEqual(profileFor(frn))
    }))

  it.effect("Register twice records once", () =>
    Effect.gen(function*() {
      const makeCarrier = yield* Carrier.client
      const frn = newFrn()

      yield* makeCarrier(frn).Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-2` }))
      yield* makeCarrier(frn).Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-3` }))

      expect(yield* registeredEvents(frn)).toHaveLength(1)
      expect(yield* storedLegalNames(frn)).toEqual(["Kennebec Valley Telephone Company"])
    }))

  it.scoped("Register redelivered records once", () =>
    Effect.gen(function*() {
      const deliver = yield* directClient
      const frn = newFrn()
      const carrier = yield* deliver(frn)

      yield* carrier.Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-4` }))
      const again = yield* carrier.Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-4` }))

      expect(again).toEqual(profileFor(frn))
      expect(yield* registeredEvents(frn)).toHaveLength(1)
    }))

  it.effect("Register changed profile updates", () =>
    Effect.gen(function*() {
      const makeCarrier = yield* Carrier.client
      const frn = newFrn()

      yield* makeCarrier(frn).Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-6` }))
      const renamed = yield* makeCarrier(frn).Register(
        new RegisterCarrier({ profile: profileFor(frn, "Kennebec Valley Communications LLC"), requestId: `order-7` })
      )
      const fetched = yield* makeCarrier(frn).Get()

      expect(renamed.legalName).toBe("Kennebec Valley Communications LLC")
      expect(fetched.legalName).toBe("Kennebec Valley Communications LLC")
      expect(yield* registeredEvents(frn)).toHaveLength(2)
      expect(yield* storedLegalNames(frn)).toEqual(["Kennebec Valley Communications LLC"])
    }))

  // Each registration has its own request id, so going back to an earlier
  // profile is applied.
  it.effect("Register earlier profile again", () =>
    Effect.gen(function*() {
      const makeCarrier = yield* Carrier.client
      const frn = newFrn()

      yield* makeCarrier(frn).Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-8` }))
      yield* makeCarrier(frn).Register(new RegisterCarrier({ profile: profileFor(frn, "Kennebec Valley Communications LLC"), requestId: `order-9` }))
      yield* makeCarrier(frn).Register(new RegisterCarrier({ profile: profileFor(frn), requestId: `order-10` }))

      expect(yield* storedLegalNames(frn)).toEqual(["Kennebec Valley Telephone Company"])
    }))

  it.effect("Get unknown FRN", () =>
    Effect.gen(function*() {
      const makeCarrier = yield* Carrier.client
      const frn = newFrn()

      const error = yield* failureOf(makeCarrier(frn).Get())

      assertInstanceOf(error, CarrierNotFound)
      expect(error.frn).toBe(frn)
    }))
})
