/**
 * The compliance calendar over the staff HTTP API of the whole application,
 * in this process on a fresh embedded PostgreSQL: storing a profile,
 * planning a year, and paying and completing an entry. Each case uses its
 * own carrier, so cases do not share entries.
 */
import { SqlClient } from "@effect/sql"
import { PlannedCalendar } from "@pw/api/ComplianceGroup"
import { EntryView } from "@pw/compliance-entry/EntryView"
import { Effect, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Platform from "../support/InProcessPlatform.ts"

const decodePlan = Schema.decodeUnknownSync(PlannedCalendar)
const decodeEntry = Schema.decodeUnknownSync(EntryView)
const ErrorBody = Schema.Struct({ _tag: Schema.String, message: Schema.String, field: Schema.optional(Schema.String) })
const decodeError = Schema.decodeUnknownSync(ErrorBody)

/** An interconnected VoIP carrier with no state or Canadian presence. */
const voipProfile = (frn: string) => ({
  frn,
  serviceCategories: ["interconnected-voip"],
  priorYearInterstateRevenueCents: 500_000_000,
  newFiler: false,
  usStates: [],
  events: []
})

let app: Platform.InProcessPlatform

beforeAll(async () => {
  app = await Platform.start()
})

afterAll(async () => {
  await app?.dispose()
})

const send = async (method: "GET" | "POST" | "PUT", path: string, body?: unknown) => {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { "x-staff-key": Platform.staffApiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, body: (await response.json()) as unknown }
}

const entryPath = (entryKey: string) => `/v1/staff/compliance/entries/${encodeURIComponent(entryKey)}`

const plan = async (carrierId: string, year: number) => {
  const reply = await send("POST", `/v1/staff/carriers/${carrierId}/calendar/${year}/plan`, {})
  expect(reply.status).toBe(200)
  return decodePlan(reply.body)
}

const storedRows = (query: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<{ readonly count: number }>, unknown>) =>
  app.run(Effect.flatMap(SqlClient.SqlClient, query).pipe(Effect.map((rows) => rows[0]?.count), Effect.orDie))

const profileRows = (carrierId: string) =>
  storedRows((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM carrier_compliance_profiles WHERE carrier_id = ${carrierId}`)

const entryRows = (carrierId: string) =>
  storedRows((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM compliance_entries WHERE carrier_id = ${carrierId}`)

describe("compliance profile", () => {
  it("rejects a bad field", async () => {
    const reply = await send("PUT", "/v1/staff/carriers/0030000001/compliance-profile", {
      ...voipProfile("0030000001"),
      serviceCategories: ["carrier-pigeon"]
    })
    expect(reply.status).toBe(400)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "BadRequest", field: "serviceCategories[0]" })
    expect(await profileRows("0030000001")).toBe(0)
  })

  it("rejects an FRN of another carrier", async () => {
    const reply = await send("PUT", "/v1/staff/carriers/0030000002/compliance-profile", voipProfile("0030000099"))
    expect(reply.status).toBe(400)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "BadRequest", field: "frn" })
    expect(await profileRows("0030000002")).toBe(0)
  })

  it("plans nothing without a profile", async () => {
    const reply = await send("POST", "/v1/staff/carriers/0030000003/calendar/2027/plan", {})
    expect(reply.status).toBe(404)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "NotFound", field: "carrierId" })
  })
})

describe("calendar planning", () => {
  const carrierId = "0030000010"

  it("plans a VoIP carrier's 2027", async () => {
    expect((await send("PUT", `/v1/staff/carriers/${carrierId}/compliance-profile`, voipProfile(carrierId))).status).toBe(200)
    const planned = await plan(carrierId, 2027)
    expect(planned.entries.map((entry) => [entry.obligationId, entry.period, entry.dueDate])).toEqual([
      ["fcc-499q", "2026-Q4", "2027-02-01"],
      ["fcc-bdc", "2026-12-31", "2027-03-01"],
      ["fcc-cpni-certification", "2026", "2027-03-01"],
      ["fcc-rmd-recertification", "2027", "2027-03-01"],
      ["fcc-499a", "2026", "2027-04-01"],
      ["fcc-499q", "2027-Q1", "2027-05-03"],
      ["fcc-499q", "2027-Q2", "2027-08-02"],
      ["fcc-bdc", "2027-06-30", "2027-09-01"],
      ["fcc-499q", "2027-Q3", "2027-11-01"]
    ])
  })

  it("plans twice without duplicates", async () => {
    const first = await plan(carrierId, 2027)
    const second = await plan(carrierId, 2027)
    expect(second.entries.map((entry) => entry.key)).toEqual(first.entries.map((entry) => entry.key))
    expect(await entryRows(carrierId)).toBe(9)
  })

  it("reads an entry by its key", async () => {
    const reply = await send("GET", entryPath(`${carrierId}:fcc-499a:2026`))
    expect(reply.status).toBe(200)
    expect(decodeEntry(reply.body).dueDate).toBe("2027-04-01")
  })

  it("answers 404 for an unknown entry", async () => {
    const reply = await send("GET", entryPath(`${carrierId}:fcc-499a:1999`))
    expect(reply.status).toBe(404)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "NotFound", field: "entryKey" })
  })
})

describe("entry lifecycle", () => {
  const carrierId = "0030000020"
  const cpni = `${carrierId}:fcc-cpni-certification:2026`

  beforeAll(async () => {
    await send("PUT", `/v1/staff/carriers/${carrierId}/compliance-profile`, voipProfile(carrierId))
    await plan(carrierId, 2027)
  })

  it("rejects completing unpaid billable", async () => {
    const reply = await send("POST", `${entryPath(cpni)}/complete`)
    expect(reply.status).toBe(409)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "Conflict", field: "invoice" })
  })

  it("rejects a mismatched payment amount", async () => {
    const invoiced = decodeEntry((await send("POST", `${entryPath(cpni)}/invoice`)).body)
    const reply = await send("POST", `${entryPath(cpni)}/payments`, {
      invoiceId: invoiced.invoice?.id,
      amount: 1,
      paymentReference: "wire-example-1"
    })
    expect(reply.status).toBe(409)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "Conflict", field: "amount" })
  })

  it("completes once paid and plans next year", async () => {
    const invoiced = decodeEntry((await send("POST", `${entryPath(cpni)}/invoice`)).body)
    const paid = await send("POST", `${entryPath(cpni)}/payments`, {
      invoiceId: invoiced.invoice?.id,
      amount: invoiced.invoice?.amount,
      paymentReference: "wire-example-2"
    })
    expect(decodeEntry(paid.body).status).toBe("paid")
    const completed = await send("POST", `${entryPath(cpni)}/complete`)
    expect(decodeEntry(completed.body).status).toBe("completed")
    const next = await send("GET", entryPath(`${carrierId}:fcc-cpni-certification:2027`))
    expect(decodeEntry(next.body)).toMatchObject({ dueDate: "2028-03-01", status: "upcoming" })
  })

  it("rejects waiving without reason", async () => {
    const reply = await send("POST", `${entryPath(`${carrierId}:fcc-499a:2026`)}/waive`, { reason: " " })
    expect(reply.status).toBe(400)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "BadRequest", field: "reason" })
  })

  it("rejects waiving a completed entry", async () => {
    const reply = await send("POST", `${entryPath(cpni)}/waive`, { reason: "filed by the carrier itself" })
    expect(reply.status).toBe(409)
    expect(decodeError(reply.body)).toMatchObject({ _tag: "Conflict", field: "status" })
  })
})
