/**
 * Staff edits of the compliance obligation rules over HTTP, on the whole
 * application in this process. An edited rule moves the entries of the
 * calendars planned after it, and removing the edit restores the shipped
 * rule. An invalid rule is rejected with nothing stored. Also the warnings
 * about USF contribution and de minimis factors not yet on file. Each case
 * plans its own carrier, so no case reads another's entries.
 */
import { HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, it, layer } from "@effect/vitest"
import { currentFactorWarnings, factorWarningsOn } from "@pw/api-runner/ComplianceRulesHttp"
import { PlannedCalendar } from "@pw/api/ComplianceGroup"
import { EffectiveRules, FactorWarnings } from "@pw/api/ComplianceRulesGroup"
import { EffectiveRule, RuleRemoved } from "@pw/compliance-calendar/ObligationRuleStore"
import { contributionFactors } from "@pw/domain/compliance/ContributionFactors"
import { deMinimisFactors } from "@pw/domain/compliance/DeMinimis"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import { ObligationRule } from "@pw/domain/compliance/ObligationRule"
import { DateTime, Effect, Schema, TestClock } from "effect"
import * as Platform from "../support/InProcessPlatform.ts"

const ErrorBody = Schema.Struct({ _tag: Schema.String, message: Schema.String, field: Schema.optional(Schema.String) })
const decodeError = Schema.decodeUnknownSync(ErrorBody)
const decodeRules = Schema.decodeUnknownSync(EffectiveRules)
const decodeRule = Schema.decodeUnknownSync(EffectiveRule)
const decodeRemoved = Schema.decodeUnknownSync(RuleRemoved)
const decodePlan = Schema.decodeUnknownSync(PlannedCalendar)
const decodeWarnings = Schema.decodeUnknownSync(FactorWarnings)
const encodeRule = Schema.encodeSync(ObligationRule)

const cpniId = "fcc-cpni-certification"

/** Returns the shipped rule of `ruleId`. */
const shipped = (ruleId: string): ObligationRule => {
  const rule = defaultRuleSet.rules.find((each) => each.id === ruleId)
  if (rule === undefined) throw new Error(`the shipped rule set has no rule ${ruleId}; use an id of defaultRuleSet`)
  return rule
}

/** The shipped CPNI rule in its JSON form, due on `month`/`day` instead. */
const cpniDueOn = (month: number, day: number) => ({ ...encodeRule(shipped(cpniId)), due: { _tag: "Annual", month, day, periodYearOffset: -1 } })

/** Formats the shipped CPNI rule's nominal due date in `year`. */
const shippedCpniDate = (year: number): string => {
  const due = shipped(cpniId).due
  if (due._tag !== "Annual" || due.day === "last") throw new Error("the shipped CPNI rule is no longer a fixed annual date; update this test")
  return `${year}-${String(due.month).padStart(2, "0")}-${String(due.day).padStart(2, "0")}`
}

const addedId = "example-state-report"
/** A rule staff add: the shipped Form 499-A rule under another id and title. */
const addedRule = { ...encodeRule(shipped("fcc-499a")), id: addedId, title: "Example state report" }

/** An interconnected VoIP carrier, which owes the CPNI certification. */
const voipProfile = (frn: string) => ({
  frn,
  serviceCategories: ["interconnected-voip"],
  priorYearInterstateRevenueCents: 500_000_000,
  newFiler: false,
  usStates: [],
  events: []
})

interface Reply {
  readonly status: number
  readonly body: unknown
}

/** Sends a request to the application's server on 127.0.0.1, with the staff key unless `staffKey` is false. */
const send = (method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, staffKey = true) =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage(`expected a TCP address, got ${address._tag}`)
    return yield* Effect.promise(async (): Promise<Reply> => {
      const response = await fetch(`http://127.0.0.1:${address.port}${path}`, {
        method,
        headers: {
          ...(staffKey ? { "x-staff-key": Platform.staffApiKey } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" })
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      return { status: response.status, body: (await response.json()) as unknown }
    })
  })

const rulePath = (ruleId: string) => `/v1/staff/compliance/rules/${ruleId}`

/** Stores a profile for `carrierId` and plans its `year`. */
const plan = (carrierId: string, year: number) =>
  Effect.gen(function*() {
    expect((yield* send("PUT", `/v1/staff/carriers/${carrierId}/compliance-profile`, voipProfile(carrierId))).status).toBe(200)
    const reply = yield* send("POST", `/v1/staff/carriers/${carrierId}/calendar/${year}/plan`, {})
    expect(reply.status).toBe(200)
    return decodePlan(reply.body)
  })

/** The CPNI entry's dates in the plan of `carrierId`'s `year`. */
const planCpni = (carrierId: string, year: number) =>
  Effect.map(plan(carrierId, year), (planned) => {
    const entry = planned.entries.find((each) => each.obligationId === cpniId)
    return entry === undefined ? undefined : { nominalDueDate: entry.nominalDueDate, dueDate: entry.dueDate }
  })

const countRows = (query: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<{ readonly count: number }>, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, query).pipe(Effect.map((rows) => rows[0]?.count), Effect.orDie)

const ruleRows = (ruleId: string) =>
  countRows((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM obligation_rules WHERE rule_id = ${ruleId}`)

const auditRows = (ruleId: string, event: string) =>
  countRows((sql) =>
    sql<{ count: number }>`
      SELECT count(*)::int AS count FROM audit_events
      WHERE entity_type = 'ObligationRule' AND entity_id = ${ruleId} AND event = ${event} AND data ->> 'updatedBy' = 'staff'
    `)

/** The quarters of `year` and the next with no contribution factor in the data. */
const expectedMissingQuarters = (year: number) =>
  [year, year + 1].flatMap((each) =>
    ([1, 2, 3, 4] as const)
      .filter((quarter) => !contributionFactors.some((factor) => factor.year === each && factor.quarter === quarter))
      .map((quarter) => [each, quarter])
  )

const contributionQuarters = (warnings: FactorWarnings) =>
  warnings.warnings.flatMap((warning) => warning._tag === "MissingContributionFactor" ? [[warning.year, warning.quarter]] : [])

const deMinimisYears = (warnings: FactorWarnings) =>
  warnings.warnings.flatMap((warning) => warning._tag === "MissingDeMinimisFactor" ? [warning.filingYear] : [])

describe("factor warnings", () => {
  it.effect("lists 2026 and 2027 gaps", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.unsafeMake("2026-12-05T15:00:00Z").epochMillis)
      const warnings = yield* currentFactorWarnings()
      expect(warnings.asOf).toBe("2026-12-05")
      expect(contributionQuarters(warnings)).toEqual(expectedMissingQuarters(2026))
      expect(deMinimisYears(warnings)).toEqual(deMinimisFactors.some((factor) => factor.filingYear === 2026) ? [] : [2026])
    }))

  it.effect("takes the year in New York", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.unsafeMake("2027-01-01T03:00:00Z").epochMillis)
      expect((yield* currentFactorWarnings()).asOf).toBe("2026-12-31")
    }))
})

layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("compliance rules over HTTP", (it) => {
  describe("GET rules", () => {
    it.effect("lists shipped rules as default", () =>
      Effect.gen(function*() {
        const reply = yield* send("GET", "/v1/staff/compliance/rules")
        expect(reply.status).toBe(200)
        const rules = decodeRules(reply.body).rules
        expect(rules.map((each) => each.rule.id)).toEqual(defaultRuleSet.rules.map((rule) => rule.id))
        expect(rules.every((each) => each.origin === "default")).toBe(true)
      }))

    it.effect("shows citation and verified flag", () =>
      Effect.gen(function*() {
        const rules = decodeRules((yield* send("GET", "/v1/staff/compliance/rules")).body).rules
        const cpni = rules.find((each) => each.rule.id === cpniId)
        expect(cpni?.citation).toBe(shipped(cpniId).source.citation)
        expect(cpni?.verified).toBe(shipped(cpniId).source.verified)
      }))
  })

  describe("edit and restore", () => {
    it.effect("plans with the edited rule", () =>
      Effect.gen(function*() {
        const reply = yield* send("PUT", rulePath(cpniId), cpniDueOn(3, 2))
        expect(reply.status).toBe(200)
        expect(decodeRule(reply.body).origin).toBe("override")
        expect(yield* planCpni("0040000001", 2027)).toEqual({ nominalDueDate: "2027-03-02", dueDate: "2027-03-02" })
      }))

    it.effect("lists the edit as override", () =>
      Effect.gen(function*() {
        const rules = decodeRules((yield* send("GET", "/v1/staff/compliance/rules")).body).rules
        const cpni = rules.find((each) => each.rule.id === cpniId)
        expect(cpni?.origin).toBe("override")
        expect(cpni?.updatedBy).toBe("staff")
      }))

    it.effect("audits the edit", () =>
      Effect.gen(function*() {
        expect(yield* auditRows(cpniId, "overridden")).toBe(1)
      }))

    it.effect("restores the shipped rule", () =>
      Effect.gen(function*() {
        const reply = yield* send("DELETE", rulePath(cpniId))
        expect(reply.status).toBe(200)
        expect(decodeRemoved(reply.body).restored?.origin).toBe("default")
        expect(yield* ruleRows(cpniId)).toBe(0)
        expect(yield* auditRows(cpniId, "edit-removed")).toBe(1)
      }))

    it.effect("plans with the shipped rule again", () =>
      Effect.gen(function*() {
        expect((yield* planCpni("0040000002", 2027))?.nominalDueDate).toBe(shippedCpniDate(2027))
      }))

    it.effect("answers 404 with no edit", () =>
      Effect.gen(function*() {
        const reply = yield* send("DELETE", rulePath(cpniId))
        expect(reply.status).toBe(404)
        expect(decodeError(reply.body)).toMatchObject({ _tag: "NotFound", field: "ruleId" })
      }))

    it.effect("plans with an added rule", () =>
      Effect.gen(function*() {
        const reply = yield* send("PUT", rulePath(addedId), addedRule)
        expect(decodeRule(reply.body).origin).toBe("added")
        const planned = yield* plan("0040000003", 2027)
        expect(planned.entries.some((entry) => entry.obligationId === addedId)).toBe(true)
      }))

    it.effect("removes an added rule", () =>
      Effect.gen(function*() {
        const removed = decodeRemoved((yield* send("DELETE", rulePath(addedId))).body)
        expect(removed.removed).toBe("added")
        expect(removed.restored).toBeUndefined()
        expect(yield* ruleRows(addedId)).toBe(0)
      }))
  })

  describe("invalid rules", () => {
    it.effect("requires the staff key", () =>
      Effect.gen(function*() {
        const reply = yield* send("PUT", rulePath(cpniId), cpniDueOn(3, 2), false)
        expect(reply.status).toBe(401)
        expect(yield* ruleRows(cpniId)).toBe(0)
      }))

    it.effect("rejects a month of 13", () =>
      Effect.gen(function*() {
        const reply = yield* send("PUT", rulePath("fcc-499a"), { ...encodeRule(shipped("fcc-499a")), due: { _tag: "Annual", month: 13, day: 1, periodYearOffset: -1 } })
        expect(reply.status).toBe(400)
        expect(decodeError(reply.body)).toMatchObject({ _tag: "BadRequest", field: "due.month" })
        expect(yield* ruleRows("fcc-499a")).toBe(0)
      }))

    it.effect("rejects an id unlike the path", () =>
      Effect.gen(function*() {
        const reply = yield* send("PUT", rulePath("fcc-499a"), encodeRule(shipped(cpniId)))
        expect(reply.status).toBe(400)
        expect(decodeError(reply.body)).toMatchObject({ _tag: "BadRequest", field: "id" })
        expect(yield* ruleRows("fcc-499a")).toBe(0)
      }))

    it.effect("rejects an unknown time zone", () =>
      Effect.gen(function*() {
        const reply = yield* send("PUT", rulePath("fcc-499a"), { ...encodeRule(shipped("fcc-499a")), timeZone: "Mars/Olympus_Mons" })
        expect(reply.status).toBe(400)
        expect(decodeError(reply.body)).toMatchObject({ _tag: "BadRequest", field: "timeZone" })
        expect(yield* ruleRows("fcc-499a")).toBe(0)
      }))
  })

  describe("GET warnings", () => {
    it.effect("lists gaps of this year and next", () =>
      Effect.gen(function*() {
        const reply = yield* send("GET", "/v1/staff/compliance/warnings")
        expect(reply.status).toBe(200)
        const warnings = decodeWarnings(reply.body)
        expect(contributionQuarters(warnings)).toEqual(expectedMissingQuarters(Number(warnings.asOf.slice(0, 4))))
        expect(warnings).toEqual(factorWarningsOn(warnings.asOf))
      }))
  })
})
