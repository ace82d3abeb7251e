/**
 * The console's operations pages over plain HTTP on the whole application
 * in this process: carriers and their calendars with the waive form, the
 * FCC check on the sample data the application loads at start, payments and
 * the cluster. Covers the session guard, role permissions, input checks and
 * escaping of customer-typed values. The calendar entries are scheduled
 * through the ComplianceEntry entity, as the calendar planner does.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { ComplianceEntry, ScheduleEntry } from "@pw/compliance-entry/ComplianceEntry"
import { PlannedEntry, RuleSource } from "@pw/domain/compliance/PlannedEntry"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import { StaffConfig } from "@pw/staff/StaffConfig"
import * as cheerio from "cheerio"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { insertCarrier } from "../../runners/api/test/admin/AdminRows.ts"
import * as Platform from "../support/InProcessPlatform.ts"
import { baseUrl, createAdmin, createOrder, createReviewer, payOrder, reviewerPassword, totpNow } from "./support/AdminFixtures.ts"
import { type ConsoleSession, send, signIn } from "./support/AdminHttp.ts"

/** FRN of the carrier whose legal name is markup. */
const frn = "0000000123"
const scriptName = "<script>alert(1)</script>"
const escapedName = "&lt;script&gt;alert(1)&lt;/script&gt;"
/** Otelco Telephone LLC in the FCC sample data. */
const otelcoFrn = "0018538512"

/** Entries of the carrier, all due in March 2030 so no timer fires during the test. */
const plannedEntries = [
  { obligationId: "fcc-cpni-certification", title: "CPNI certification", period: "2029", dueDate: "2030-03-01" },
  { obligationId: "fcc-rmd-recertification", title: "Robocall Mitigation Database recertification", period: "2030", dueDate: "2030-03-15" },
  { obligationId: "fcc-499q", title: "Form 499-Q", period: "2030-Q2", dueDate: "2030-03-29" }
].map((entry) =>
  new PlannedEntry({
    ...entry,
    jurisdiction: "FCC",
    nominalDueDate: entry.dueDate,
    timeZone: "America/New_York",
    source: new RuleSource({ citation: "47 CFR 64.2009(e)", verified: true }),
    explanation: "Scheduled for the console test.",
    billableAmount: 14_900
  })
)
const [cpni, rmd, quarterly] = plannedEntries.map((entry) => entry.entryKey(frn))

/** The server's base URL and a signed-in admin, reviewer and finance member, set up once for the file. */
class Console extends Context.Tag("OperationsPagesTest/Console")<Console, {
  readonly base: string
  readonly admin: ConsoleSession
  readonly reviewer: ConsoleSession
  readonly finance: ConsoleSession
}>() {}

/** Creates a finance member as `adminId` with its own password and returns its credentials with a current TOTP code. */
const createFinance = (adminId: string) =>
  Effect.gen(function*() {
    const password = "finance password for tests"
    const created = yield* StaffAccounts.create({ email: "finance@example.com", name: "Fay Finance", role: "finance" }, adminId)
    yield* StaffAccounts.changePassword(created.account.id, created.temporaryPassword, Redacted.make(password))
    const secret = Option.getOrUndefined(created.totp)?.secret ?? ""
    return { email: "finance@example.com", password, totp: totpNow(secret) }
  }).pipe(Effect.provide(StaffConfig.layer), Effect.orDie)

const scheduleEntries = Effect.gen(function*() {
  yield* insertCarrier(frn, scriptName)
  const makeEntry = yield* ComplianceEntry.client
  for (const entry of plannedEntries) {
    yield* makeEntry(entry.entryKey(frn)).Schedule(new ScheduleEntry({ entry, carrierId: frn }))
  }
}).pipe(Effect.orDie)

const ConsoleLive = Layer.effect(Console, Effect.gen(function*() {
  const base = yield* baseUrl
  yield* scheduleEntries
  const order = yield* createOrder(base, "operations-paid")
  yield* payOrder(base, order)
  const adminAccount = yield* createAdmin
  const reviewerAccount = yield* createReviewer(adminAccount.id, "reviewer@example.com", "Rita Reviewer")
  const financeCredentials = yield* createFinance(adminAccount.id)
  const admin = yield* Effect.promise(() =>
    signIn(base, { email: adminAccount.email, password: adminAccount.password, totp: totpNow(adminAccount.totpSecret ?? "") }))
  const reviewer = yield* Effect.promise(() => signIn(base, { email: reviewerAccount.email, password: reviewerPassword }))
  const finance = yield* Effect.promise(() => signIn(base, financeCredentials))
  return { base, admin, reviewer, finance }
}))

const http = (method: "GET" | "POST", path: string, options: Parameters<typeof send>[3] = {}) =>
  Effect.flatMap(Console, ({ base }) => Effect.promise(() => send(base, method, path, options)))

/** GETs `path` as `session` and returns the reply. */
const page = (session: ConsoleSession, path: string) => http("GET", path, { cookie: session.cookie })

/** Posts the waive form of `entryKey` as `session` with `reason`. */
const waive = (session: ConsoleSession, entryKey: string, reason: string) =>
  http("POST", `/admin/carriers/${frn}/waive`, {
    cookie: session.cookie,
    form: { _csrf: session.csrf, entryKey, month: "2030-03", reason }
  })

/** Reads the status of the entry `entryKey` and its number of audit rows. */
const entryState = (entryKey: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ status: string; audits: number }>`
      SELECT status, (SELECT count(*)::int FROM audit_events WHERE entity_type = 'ComplianceEntry' AND entity_id = ${entryKey}) AS audits
      FROM compliance_entries WHERE key = ${entryKey}
    `).pipe(Effect.map((rows) => rows[0]), Effect.orDie)

const calendarPath = `/admin/carriers/${frn}?month=2030-03`

// The live clock: TOTP codes follow the real date.
layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Operations pages over HTTP", (it) => {
  it.layer(ConsoleLive, { timeout: "120 seconds" })((it) => {
    describe("without a session", () => {
      it.effect("pages redirect to sign-in", () =>
        Effect.gen(function*() {
          for (const path of ["/admin/carriers", `/admin/carriers/${frn}`, "/admin/fcc-check", "/admin/payments", "/admin/cluster"]) {
            const reply = yield* http("GET", path)
            expect(reply.status, path).toBe(303)
            expect(reply.location, path).toBe(`/admin/sign-in?next=${encodeURIComponent(path)}`)
          }
        }))

      it.effect("waive form redirects to sign-in", () =>
        Effect.gen(function*() {
          const reply = yield* http("POST", `/admin/carriers/${frn}/waive`, { form: { entryKey: cpni ?? "", reason: "test" } })
          expect(reply.status).toBe(303)
          expect(reply.location).toBe("/admin/sign-in")
          expect((yield* entryState(cpni ?? ""))?.status).toBe("upcoming")
        }))
    })

    describe("carriers", () => {
      it.effect("list renders markup name as text", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* page(admin, "/admin/carriers")
          expect(reply.status).toBe(200)
          expect(reply.text).toContain(escapedName)
          expect(reply.text).not.toContain(scriptName)
          const $ = cheerio.load(reply.text)
          const row = $("#carriers tbody tr").filter((_, element) => $(element).text().includes(frn))
          expect(row.find("th a").text()).toBe(scriptName)
          expect(row.find("td").eq(1).text()).toBe("3")
          expect(row.find("td").eq(2).text()).toBe("2030-03-01")
        }))

      it.effect("search finds by FRN prefix", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const $ = cheerio.load((yield* page(admin, "/admin/carriers?q=00000001")).text)
          expect($("#carriers tbody th a").map((_, element) => $(element).attr("href")).get()).toEqual([`/admin/carriers/${frn}`])
          expect($("#search").val()).toBe("00000001")
        }))

      it.effect("search finds by name", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const $ = cheerio.load((yield* page(admin, "/admin/carriers?q=ALERT")).text)
          expect($("#carriers tbody tr").length).toBe(1)
        }))

      it.effect("search without match says so", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* page(admin, "/admin/carriers?q=%3Cb%3Enobody")
          expect(cheerio.load(reply.text)("#no-carriers").text()).toBe("No carrier matches “<b>nobody”.")
          expect(reply.text).not.toContain("<b>nobody")
        }))
    })

    describe("calendar", () => {
      it.effect("renders markup name as text", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* page(admin, calendarPath)
          expect(reply.status).toBe(200)
          expect(reply.text).toContain(`<h1>${escapedName}</h1>`)
          expect(reply.text).not.toContain(scriptName)
        }))

      it.effect("month grid shows titles on due dates", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const $ = cheerio.load((yield* page(admin, calendarPath)).text)
          expect($("#month-grid caption").text()).toBe("March 2030")
          const dayText = (day: number) =>
            $("#month-grid td").filter((_, cell) => $(cell).find(".day").text() === String(day)).text()
          expect(dayText(1)).toContain("CPNI certification")
          expect(dayText(15)).toContain("Robocall Mitigation Database recertification")
          expect(dayText(29)).toContain("Form 499-Q")
          expect(dayText(2)).toBe("2")
        }))

      it.effect("month grid starts on Friday", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const $ = cheerio.load((yield* page(admin, calendarPath)).text)
          const firstWeek = $("#month-grid tbody tr").first().find("td").map((_, cell) => $(cell).text()).get()
          expect(firstWeek).toEqual(["", "", "", "", "", expect.stringContaining("1"), "2"])
        }))

      it.effect("links previous and next month", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const $ = cheerio.load((yield* page(admin, calendarPath)).text)
          expect($("#previous-month").attr("href")).toBe(`/admin/carriers/${frn}?month=2030-02`)
          expect($("#next-month").attr("href")).toBe(`/admin/carriers/${frn}?month=2030-04`)
        }))

      it.effect("list shows every entry", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const $ = cheerio.load((yield* page(admin, calendarPath)).text)
          const keys = $("#entries tbody th small").map((_, element) => $(element).text()).get()
          expect(keys).toEqual(expect.arrayContaining([cpni, rmd, quarterly]))
        }))

      it.effect("invalid month names the value", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* page(admin, `/admin/carriers/${frn}?month=2030-13`)
          expect(reply.status).toBe(400)
          expect(cheerio.load(reply.text)(".notice.error").text()).toContain("\"2030-13\" is invalid")
        }))

      it.effect("unknown carrier is 404", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* page(admin, "/admin/carriers/0000000404")
          expect(reply.status).toBe(404)
          expect(reply.text).toContain("No carrier has the id 0000000404")
        }))

      it.effect("finance sees no waive form", () =>
        Effect.gen(function*() {
          const { finance } = yield* Console
          const reply = yield* page(finance, calendarPath)
          expect(cheerio.load(reply.text)("#entries textarea[name=reason]").length).toBe(0)
          expect(reply.text).toContain("Your role may not waive entries.")
        }))
    })

    describe("waive", () => {
      it.effect("finance gets 403", () =>
        Effect.gen(function*() {
          const { finance } = yield* Console
          const reply = yield* waive(finance, rmd ?? "", "No robocall traffic")
          expect(reply.status).toBe(403)
          expect((yield* entryState(rmd ?? ""))?.status).toBe("upcoming")
        }))

      it.effect("blank reason changes nothing", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const before = yield* entryState(rmd ?? "")
          const reply = yield* waive(reviewer, rmd ?? "", "   ")
          expect(reply.status).toBe(400)
          expect(cheerio.load(reply.text)(".notice.error").text()).toContain("A reason is required")
          expect(yield* entryState(rmd ?? "")).toEqual(before)
        }))

      it.effect("entry of another carrier rejected", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reply = yield* waive(reviewer, "0000000999:fcc-499a:2030", "Wrong carrier")
          expect(reply.status).toBe(400)
          expect(cheerio.load(reply.text)(".notice.error").text()).toContain("is not an entry of carrier 0000000123")
        }))

      it.effect("reviewer waives with reason", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reason = "Carrier stopped <i>voice</i> service in 2029"
          const reply = yield* waive(reviewer, cpni ?? "", reason)
          expect(reply.status).toBe(303)
          expect(reply.location).toBe(`/admin/carriers/${frn}?month=2030-03&done=waived`)
          expect((yield* entryState(cpni ?? ""))?.status).toBe("waived")
          const shown = yield* page(reviewer, reply.location ?? "")
          const $ = cheerio.load(shown.text)
          expect($(".notice.success").text()).toBe("The entry is waived.")
          const row = $("#entries tbody tr").filter((_, element) => $(element).find("small").text() === cpni)
          expect(row.find(".waiver").text()).toContain(`Waived by Rita Reviewer`)
          expect(row.find(".waiver").text()).toContain(reason)
          expect(shown.text).not.toContain("<i>voice</i>")
        }))

      it.effect("unknown entry shows entity error", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const missing = `${frn}:fcc-499a:2030`
          const reply = yield* waive(admin, missing, "Filed by the carrier itself")
          expect(reply.status).toBe(404)
          expect(cheerio.load(reply.text)(".notice.error").text()).toContain(missing)
        }))
    })

    describe("fcc check", () => {
      it.effect("form alone without FRN", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reply = yield* page(reviewer, "/admin/fcc-check")
          const $ = cheerio.load(reply.text)
          expect(reply.status).toBe(200)
          expect($("label[for=frn]").text()).toBe("FRN")
          expect($("#findings").length).toBe(0)
        }))

      it.effect("shows Otelco's 499-A finding", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reply = yield* page(reviewer, `/admin/fcc-check?frn=${otelcoFrn}&broadband=yes&voice=unknown`)
          expect(reply.status).toBe(200)
          const $ = cheerio.load(reply.text)
          expect($("#check-result").text()).toBe("Otelco Telephone LLC")
          const filer = $("#findings tr[data-finding=form-499-filer]").text()
          expect(filer).toContain("Form 499 filer status (Form 499-A)")
          expect(filer).toContain("2025-04-01")
          expect($("#broadband").val()).toBe("yes")
        }))

      it.effect("invalid FRN names the value", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reply = yield* page(reviewer, "/admin/fcc-check?frn=12345")
          expect(reply.status).toBe(400)
          const $ = cheerio.load(reply.text)
          expect($(".notice.error").text()).toContain("\"12345\"")
          expect($("#frn").val()).toBe("12345")
          expect($("#findings").length).toBe(0)
        }))

      it.effect("invalid answer names the value", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reply = yield* page(reviewer, `/admin/fcc-check?frn=${otelcoFrn}&voice=maybe`)
          expect(reply.status).toBe(400)
          expect(cheerio.load(reply.text)(".notice.error").text()).toContain("voice answer \"maybe\"")
        }))
    })

    describe("payments", () => {
      it.effect("reviewer gets 403", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reply = yield* page(reviewer, "/admin/payments")
          expect(reply.status).toBe(403)
          expect(reply.text).not.toContain("id=\"payments\"")
        }))

      it.effect("finance sees the payment", () =>
        Effect.gen(function*() {
          const { finance } = yield* Console
          const reply = yield* page(finance, "/admin/payments")
          expect(reply.status).toBe(200)
          const $ = cheerio.load(reply.text)
          expect($("#payments tbody tr").length).toBe(1)
          expect($("#payments tbody tr").text()).toContain("sandbox")
          expect($("#no-refunds").text()).toBe("No refunds are recorded.")
        }))
    })

    describe("cluster", () => {
      it.effect("lists runner and shard groups", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const reply = yield* page(reviewer, "/admin/cluster")
          expect(reply.status).toBe(200)
          const $ = cheerio.load(reply.text)
          const groups = $("#shards tbody th").map((_, element) => $(element).text()).get()
          expect(groups).toEqual(expect.arrayContaining(["default", "docserver"]))
          expect($("#runners, #no-runners").length).toBe(1)
          expect($("#pending, #no-pending").length).toBe(1)
          expect($("#failed, #no-failed").length).toBe(1)
        }))
    })
  })
})
