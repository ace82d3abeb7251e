/**
 * A carrier's compliance calendar over HTTP, on the whole application in
 * this process: the staff JSON read, feed links, and the iCalendar feed they
 * serve, parsed with ical.js. Entries of two carriers are written straight
 * into `compliance_entries`, the read model the endpoints query; neither
 * carrier's entries may show up in the other's calendar.
 */
import { HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { CalendarFeed, CarrierCalendar, CreatedCalendarFeed } from "@pw/api/CalendarGroup"
import { Effect, Layer, Schema } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { createRequire } from "node:module"
import * as Platform from "../support/InProcessPlatform.ts"

const ErrorBody = Schema.Struct({ _tag: Schema.String, message: Schema.String, field: Schema.optional(Schema.String) })
const decodeErrorBody = Schema.decodeUnknownSync(ErrorBody)
const decodeCalendar = Schema.decodeUnknownSync(CarrierCalendar)
const decodeCreated = Schema.decodeUnknownSync(CreatedCalendarFeed)
const decodeFeed = Schema.decodeUnknownSync(CalendarFeed)

/** A compliance entry row to insert. */
interface SeedEntry {
  readonly carrierId: string
  readonly obligationId: string
  readonly title: string
  readonly period: string
  readonly dueDate: string
  readonly citation: string
  readonly url?: string
  readonly status: string
  readonly billableAmount?: number
}

const carrierA = "0911000001"
const carrierB = "0911000002"

/** Carrier A's entries, deliberately not in due-date order. */
const entriesA: ReadonlyArray<SeedEntry> = [
  { carrierId: carrierA, obligationId: "fcc-499a", title: "Form 499-A", period: "2027", dueDate: "2027-04-01", citation: "47 CFR 54.711", url: "https://www.example.com/499a", status: "upcoming", billableAmount: 24_900 },
  { carrierId: carrierA, obligationId: "fcc-cpni", title: "CPNI certification", period: "2026", dueDate: "2027-03-01", citation: "47 CFR 64.2009(e)", status: "due_soon" },
  { carrierId: carrierA, obligationId: "fcc-499q", title: "Form 499-Q", period: "2027-Q2", dueDate: "2027-05-03", citation: "47 CFR 54.711(a)", status: "waived" }
]

/** Carrier B's entries, with a title and citation that appear nowhere in A's. */
const entriesB: ReadonlyArray<SeedEntry> = [
  { carrierId: carrierB, obligationId: "crtc-registration", title: "CRTC reseller registration", period: "2027", dueDate: "2027-03-15", citation: "Telecommunications Act s. 24", status: "upcoming" }
]

const keyOf = (entry: SeedEntry) => `${entry.carrierId}:${entry.obligationId}:${entry.period}`

const insertEntry = (entry: SeedEntry) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO compliance_entries (key, carrier_id, obligation_id, period, title, jurisdiction, due_date,
        nominal_due_date, time_zone, source, explanation, billable_amount, status)
      VALUES (
        ${keyOf(entry)}, ${entry.carrierId}, ${entry.obligationId}, ${entry.period}, ${entry.title}, ${"FCC"},
        ${entry.dueDate}::date, ${entry.dueDate}::date, ${"America/New_York"},
        ${JSON.stringify({ citation: entry.citation, verified: true, ...(entry.url === undefined ? {} : { url: entry.url }) })}::jsonb,
        ${`${entry.title} is due once per period.`}, ${entry.billableAmount ?? null}, ${entry.status}
      )
    `)

/** The entries of both carriers, written once before the first test. */
const TestLayer = Layer.effectDiscard(Effect.forEach([...entriesA, ...entriesB], insertEntry, { discard: true })).pipe(
  Layer.provideMerge(Platform.layer),
  Layer.orDie
)

interface Reply {
  readonly status: number
  readonly contentType: string
  readonly text: string
}

/** Sends a request to the application's server on 127.0.0.1. */
const send = (method: "GET" | "POST" | "DELETE", path: string, headers: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage(`expected a TCP address, got ${address._tag}`)
    return yield* Effect.promise(async (): Promise<Reply> => {
      const response = await fetch(`http://127.0.0.1:${address.port}${path}`, { method, headers })
      return { status: response.status, contentType: response.headers.get("content-type") ?? "", text: await response.text() }
    })
  })

const staff = { "x-staff-key": Platform.staffApiKey }
const staffSend = (method: "GET" | "POST" | "DELETE", path: string) => send(method, path, staff)

/** Creates a feed link for `carrierId` and returns it with the path of its URL. */
const createFeed = (carrierId: string) =>
  Effect.map(staffSend("POST", `/v1/staff/carriers/${carrierId}/calendar-feeds`), (reply) => {
    expect(reply.status).toBe(201)
    const created = decodeCreated(JSON.parse(reply.text))
    return { ...created, path: new URL(created.url).pathname }
  })

/** The part of ical.js's API the tests use. */
interface IcalProperty {
  readonly type: string
  getFirstValue(): unknown
}
interface IcalComponent {
  getAllSubcomponents(name: string): Array<IcalComponent>
  getFirstProperty(name: string): IcalProperty | null
  getFirstPropertyValue(name: string): unknown
}
interface IcalJs {
  parse(text: string): unknown
  readonly Component: new (jcal: unknown) => IcalComponent
}

// Loaded through require and typed here: the declaration files ical.js 2.2
// ships do not type-check under this repository's NodeNext settings.
const ICAL: IcalJs = createRequire(import.meta.url)("ical.js")

/** The VEVENTs of an iCalendar text. */
const eventsOf = (text: string) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent")

const textProperty = (event: IcalComponent, name: string): string => String(event.getFirstPropertyValue(name) ?? "")

const sortedByDueDate = [...entriesA].sort((left, right) => left.dueDate.localeCompare(right.dueDate))

layer(TestLayer, { excludeTestServices: true, timeout: "180 seconds" })("calendar over HTTP", (it) => {
  describe("GET calendar", () => {
    it.effect("lists only the carrier's entries", () =>
      Effect.gen(function*() {
        const reply = yield* staffSend("GET", `/v1/staff/carriers/${carrierA}/calendar`)
        expect(reply.status).toBe(200)
        const keys = decodeCalendar(JSON.parse(reply.text)).entries.map((entry) => entry.key)
        expect(keys).toEqual(sortedByDueDate.map(keyOf))
      }))

    it.effect("returns source, status and amount", () =>
      Effect.gen(function*() {
        const reply = yield* staffSend("GET", `/v1/staff/carriers/${carrierA}/calendar`)
        const entry = decodeCalendar(JSON.parse(reply.text)).entries.find((candidate) => candidate.obligation === "fcc-499a")
        expect(entry?.source.citation).toBe("47 CFR 54.711")
        expect(entry?.source.url).toBe("https://www.example.com/499a")
        expect(entry?.status).toBe("upcoming")
        expect(entry?.billableAmount).toBe(24_900)
      }))

    it.effect("keeps due dates within range", () =>
      Effect.gen(function*() {
        const reply = yield* staffSend("GET", `/v1/staff/carriers/${carrierA}/calendar?from=2027-03-02&to=2027-04-30`)
        const dueDates = decodeCalendar(JSON.parse(reply.text)).entries.map((entry) => entry.dueDate)
        expect(dueDates).toEqual(["2027-04-01"])
      }))

    it.effect.each(["2027-13-01", "2027-02-30", "tomorrow"])("rejects from=%s", (from) =>
      Effect.gen(function*() {
        const reply = yield* staffSend("GET", `/v1/staff/carriers/${carrierA}/calendar?from=${from}`)
        expect(reply.status).toBe(400)
        const body = decodeErrorBody(JSON.parse(reply.text))
        expect(body._tag).toBe("BadRequest")
        expect(body.field).toBe("from")
        expect(body.message).toContain(from)
      }))

    it.effect("rejects from after to", () =>
      Effect.gen(function*() {
        const reply = yield* staffSend("GET", `/v1/staff/carriers/${carrierA}/calendar?from=2027-05-01&to=2027-04-01`)
        expect(reply.status).toBe(400)
        const body = decodeErrorBody(JSON.parse(reply.text))
        expect(body._tag).toBe("BadRequest")
        expect(body.field).toBe("to")
      }))

    it.effect("needs the staff key", () =>
      Effect.gen(function*() {
        const reply = yield* send("GET", `/v1/staff/carriers/${carrierA}/calendar`)
        expect(reply.status).toBe(401)
      }))
  })

  describe("feed link", () => {
    it.effect("serves text/calendar in UTF-8", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const reply = yield* send("GET", feed.path)
        expect(reply.status).toBe(200)
        expect(reply.contentType).toBe("text/calendar; charset=utf-8")
      }))

    it.effect("has one event per entry", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const events = eventsOf((yield* send("GET", feed.path)).text)
        expect(events.map((event) => textProperty(event, "uid"))).toEqual(
          sortedByDueDate.map((entry) => `${keyOf(entry)}@calendar.example.com`)
        )
      }))

    it.effect("names obligation, period and source", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const events = eventsOf((yield* send("GET", feed.path)).text)
        for (const [index, entry] of sortedByDueDate.entries()) {
          const event = events[index]
          expect(event).toBeDefined()
          if (event === undefined) continue
          expect(textProperty(event, "summary")).toBe(`${entry.title}, ${entry.period}`)
          expect(textProperty(event, "description")).toContain(entry.citation)
          expect(textProperty(event, "description")).toContain(entry.title)
        }
      }))

    it.effect("puts status and URL in description", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const events = eventsOf((yield* send("GET", feed.path)).text)
        const form499a = events.find((event) => textProperty(event, "summary").startsWith("Form 499-A"))
        const description = form499a === undefined ? "" : textProperty(form499a, "description")
        expect(description).toContain("https://www.example.com/499a")
        expect(description).toContain("Status: upcoming")
      }))

    it.effect("starts each event on its due date", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const events = eventsOf((yield* send("GET", feed.path)).text)
        const starts = events.map((event) => event.getFirstProperty("dtstart"))
        expect(starts.map((start) => start?.type)).toEqual(sortedByDueDate.map(() => "date"))
        expect(starts.map((start) => String(start?.getFirstValue()))).toEqual(sortedByDueDate.map((entry) => entry.dueDate))
      }))

    it.effect("reminds only open entries", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const events = eventsOf((yield* send("GET", feed.path)).text)
        const alarmCounts = events.map((event) => event.getAllSubcomponents("valarm").length)
        expect(alarmCounts).toEqual(sortedByDueDate.map((entry) => entry.status === "waived" ? 0 : 1))
      }))

    it.effect("never shows another carrier's entries", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const text = (yield* send("GET", feed.path)).text
        for (const entry of entriesB) {
          expect(text).not.toContain(entry.title)
          expect(text).not.toContain(entry.citation)
        }
        expect(text).not.toContain(carrierB)
      }))

    it.effect("serves each carrier its own", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierB)
        const events = eventsOf((yield* send("GET", feed.path)).text)
        expect(events.map((event) => textProperty(event, "uid"))).toEqual(entriesB.map((entry) => `${keyOf(entry)}@calendar.example.com`))
      }))

    it.effect("stores only the token's hash", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const token = feed.path.slice("/v1/calendar-feeds/".length, -".ics".length)
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ token_hash: string }>`SELECT token_hash FROM calendar_feeds WHERE id = ${feed.feed.id}`
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(rows.map((row) => row.token_hash)).toEqual([createHash("sha256").update(token).digest("hex")])
      }))
  })

  describe("revoked and unknown links", () => {
    const expectFeedNotFound = (reply: Reply) => {
      expect(reply.status).toBe(404)
      const body = decodeErrorBody(JSON.parse(reply.text))
      expect(body._tag).toBe("NotFound")
      expect(body.field).toBe("token")
      expect(body.message).not.toContain(carrierA)
    }

    it.effect("revoked link answers 404", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const revoked = yield* staffSend("DELETE", `/v1/staff/carriers/${carrierA}/calendar-feeds/${feed.feed.id}`)
        expect(revoked.status).toBe(200)
        expect(decodeFeed(JSON.parse(revoked.text)).revokedAt).toBeDefined()
        expectFeedNotFound(yield* send("GET", feed.path))
      }))

    it.effect("random token answers 404", () =>
      Effect.gen(function*() {
        expectFeedNotFound(yield* send("GET", `/v1/calendar-feeds/${randomBytes(32).toString("base64url")}.ics`))
      }))

    it.effect("revoked and unknown read alike", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        yield* staffSend("DELETE", `/v1/staff/carriers/${carrierA}/calendar-feeds/${feed.feed.id}`)
        const revoked = yield* send("GET", feed.path)
        const unknown = yield* send("GET", `/v1/calendar-feeds/${randomBytes(32).toString("base64url")}.ics`)
        expect(revoked.text).toBe(unknown.text)
      }))

    it.effect("revoking twice keeps first time", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const path = `/v1/staff/carriers/${carrierA}/calendar-feeds/${feed.feed.id}`
        const first = decodeFeed(JSON.parse((yield* staffSend("DELETE", path)).text))
        const second = decodeFeed(JSON.parse((yield* staffSend("DELETE", path)).text))
        expect(second.revokedAt).toEqual(first.revokedAt)
      }))

    it.effect("other carrier cannot revoke it", () =>
      Effect.gen(function*() {
        const feed = yield* createFeed(carrierA)
        const reply = yield* staffSend("DELETE", `/v1/staff/carriers/${carrierB}/calendar-feeds/${feed.feed.id}`)
        expect(reply.status).toBe(404)
        expect(decodeErrorBody(JSON.parse(reply.text)).field).toBe("feedId")
        expect((yield* send("GET", feed.path)).status).toBe(200)
      }))
  })
})
