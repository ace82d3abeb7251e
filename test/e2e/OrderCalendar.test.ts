/**
 * A paid order puts the next entries of what it covers on the carrier's
 * compliance calendar: staff store a VoIP carrier's profile, the customer
 * orders CPNI certification and a Robocall Mitigation Database filing over
 * HTTP and pays in the sandbox, and the staff calendar then lists the next
 * CPNI and RMD entries once each, also after planning the order again. The
 * whole application runs in this process on a fresh embedded PostgreSQL.
 */
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { CarrierCalendar } from "@pw/api/CalendarGroup"
import type { CustomerOrder } from "@pw/api/Api"
import { nextEntries, OrderedServicesPlanner } from "@pw/compliance-calendar/OrderedServicesPlanner"
import { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import { DateTime, Effect, Option, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Platform from "../support/InProcessPlatform.ts"
import { contactEmail, paymentApi, workflowPollAttempts } from "../support/PaymentApi.ts"
import { eventually } from "../support/PlatformProcess.ts"

const frn = "0060000001"
const decodeCalendar = Schema.decodeUnknownSync(CarrierCalendar)
const decodeProfile = Schema.decodeUnknownSync(ComplianceProfile)

/** An interconnected VoIP carrier above the de minimis limit, as staff store it. */
const profileBody = {
  frn,
  serviceCategories: ["interconnected-voip"],
  priorYearInterstateRevenueCents: 500_000_000,
  newFiler: false,
  usStates: [],
  events: []
}

/** CPNI certification and an RMD filing for a fictional carrier, paid by ACH in the sandbox. */
const orderBody = {
  carrier: {
    frn,
    legalName: "Ridge Valley Telephone LLC",
    filer499Id: "899002",
    address: { street: "1 Example Road", city: "Springfield", state: "ME", postalCode: "04000" }
  },
  items: [{ service: "cpni-certification" }, { service: "rmd-filing" }],
  paymentMethod: "ach",
  contactEmail,
  cpniCertification: {
    officerName: "Jane Example",
    officerTitle: "Chief Executive Officer",
    calendarYear: 2025,
    operatingProcedures: "Employees are trained on CPNI rules each year and customers are authenticated before call detail is disclosed.",
    complaints: { improperAccessByEmployees: 0, improperDisclosureToUnauthorizedIndividuals: 0, improperOnlineAccess: 0 },
    dataBrokerActions: "None."
  }
}

const covered = ["fcc-cpni-certification", "fcc-rmd-recertification"]

let app: Platform.InProcessPlatform

beforeAll(async () => {
  app = await Platform.start()
})

afterAll(async () => {
  await app?.dispose()
})

const staffFetch = (method: "GET" | "PUT", path: string, body?: unknown) =>
  fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { "x-staff-key": Platform.staffApiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })

const calendarEntries = async () => {
  const response = await staffFetch("GET", `/v1/staff/carriers/${frn}/calendar`)
  if (response.status !== 200) throw new Error(`calendar of ${frn}: HTTP ${response.status}: ${await response.text()}`)
  return decodeCalendar(await response.json()).entries
}

const countOf = async (obligation: string) =>
  (await calendarEntries()).filter((entry) => entry.obligation === obligation).length

/** The keys planning gives the covered obligations now, as the planner computes them. */
const expectedKeys = () =>
  nextEntries(decodeProfile(profileBody), covered, DateTime.unsafeNow()).map((entry) => entry.entryKey(frn))

/** Plans `order` again through the planner on the application's cluster, as a redelivered start would. */
const planAgain = (order: CustomerOrder) =>
  app.run(Effect.gen(function*() {
    const sharding = yield* Effect.serviceOption(Sharding.Sharding)
    if (Option.isNone(sharding)) return yield* Effect.dieMessage("the in-process platform has no Sharding to plan with")
    const plan = yield* Effect.flatMap(OrderedServicesPlanner, (planner) => planner.planOrder(order)).pipe(
      Effect.provide(OrderedServicesPlanner.layer),
      Effect.provideService(Sharding.Sharding, sharding.value)
    )
    return plan.entries.map((entry) => entry.key)
  }))

const contactEmails = () =>
  app.run(Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ contact_email: string | null }>`SELECT DISTINCT contact_email FROM compliance_entries WHERE carrier_id = ${frn}`
  ).pipe(Effect.map((rows) => rows.map((row) => row.contact_email)), Effect.orDie))

describe("ordered services on the calendar", () => {
  let order: CustomerOrder
  let accessToken: string

  beforeAll(async () => {
    expect((await staffFetch("PUT", `/v1/staff/carriers/${frn}/compliance-profile`, profileBody)).status).toBe(200)
    const api = paymentApi(app.baseUrl)
    const created = await api.createOrder(orderBody, "e2e-order-calendar-1")
    order = created.order
    accessToken = created.accessToken
    await api.checkout(order.id, created.accessToken)
    await eventually("the CPNI and RMD entries", async () => {
      const obligations = (await calendarEntries()).map((entry) => entry.obligation)
      return covered.every((id) => obligations.includes(id)) ? true : undefined
    })
  })

  it("lists the next CPNI entry once", async () => {
    expect(await countOf("fcc-cpni-certification")).toBe(1)
  })

  it("lists the next RMD entry once", async () => {
    expect(await countOf("fcc-rmd-recertification")).toBe(1)
  })

  it("schedules the next entries", async () => {
    expect((await calendarEntries()).map((entry) => entry.key).sort()).toEqual(expectedKeys().sort())
  })

  it("keeps the order's contact e-mail", async () => {
    expect(await contactEmails()).toEqual([contactEmail])
  })

  it("plans again with the same keys", async () => {
    expect((await planAgain(order)).sort()).toEqual(expectedKeys().sort())
  })

  it("lists each entry once after replanning", async () => {
    await planAgain(order)
    expect((await calendarEntries()).length).toBe(covered.length)
  })

  it("still fulfils the order", async () => {
    const reviewed = await paymentApi(app.baseUrl).orderIn(order.id, accessToken, "awaiting_review", workflowPollAttempts)
    expect(reviewed.documents).toHaveLength(1)
  })
})
