/**
 * The calendar page of one carrier and its waive form. Waive sends the
 * ComplianceEntry entity's Waive message as the staff API does, and the
 * entity writes the audit row that the page reads the reason from. Waiving
 * needs `waiveEntry` in `StaffPermissions` (403 otherwise). A failure the
 * entity returns is shown as a message on the calendar page.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { ComplianceEntry, WaiveEntry } from "@pw/compliance-entry/ComplianceEntry"
import { can } from "@pw/staff/StaffPermissions"
import { Clock, Effect, Option } from "effect"
import { randomUUID } from "node:crypto"
import { dieOnDeliveryFailure } from "../EntityErrors.ts"
import { type ConsolePage, renderMessagePage } from "./AdminLayout.ts"
import { htmlResponse, seeOther } from "./AdminResponses.ts"
import { CurrentStaff, formPost, requireStaff } from "./AdminSession.ts"
import { monthOf } from "./CalendarMonth.ts"
import { calendarPath, carrierTitle, maximumReasonLength, renderCalendar } from "./CalendarPage.ts"
import { consoleResponse, forbidden } from "./OrderPagesHttp.ts"
import { findCarrier, listWaivers } from "./queries/CarrierDetailQuery.ts"
import { entriesInMonth, listEntries } from "./queries/CarriersQuery.ts"

/** Maximum length of a carrier id the page looks up; a longer one is cut. */
const maximumCarrierIdLength = 200

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/

const carrierNotFound = (carrierId: string) =>
  htmlResponse(404, renderMessagePage(
    "Carrier not found",
    `No carrier has the id ${carrierId}. Find the carrier by name or FRN on the carriers page.`
  ))

const carrierIdParam = Effect.map(HttpRouter.params, (params) => (params["carrierId"] ?? "").slice(0, maximumCarrierIdLength))

/**
 * Renders the calendar page of `carrierId` showing `requestedMonth`, or the
 * current UTC month when it is absent. An invalid month shows the current
 * month with the error as a notice and status 400. Responds 404 when no
 * carrier has the id.
 */
const calendarResponse = Effect.fn("CarrierCalendarHttp.calendarResponse")(function*(
  carrierId: string,
  requestedMonth: string | undefined,
  status: number,
  notice: ConsolePage["notice"]
) {
  const carrier = yield* findCarrier(carrierId)
  if (Option.isNone(carrier)) return carrierNotFound(carrierId)
  const currentMonth = monthOf(yield* Clock.currentTimeMillis)
  const requested = yield* entriesInMonth(carrierId, requestedMonth ?? currentMonth).pipe(
    Effect.map((entries) => ({ month: requestedMonth ?? currentMonth, entries, invalid: undefined })),
    Effect.catchTag("InvalidMonth", (error) => Effect.succeed({ month: currentMonth, entries: undefined, invalid: error.message }))
  )
  const monthEntries = requested.entries ?? (yield* entriesInMonth(carrierId, currentMonth).pipe(Effect.orDie))
  const session = yield* CurrentStaff
  const entries = yield* listEntries(carrierId)
  const waivers = yield* listWaivers(carrierId)
  const body = renderCalendar({
    carrier: carrier.value,
    month: requested.month,
    monthEntries,
    entries,
    waivers,
    mayWaive: can(session.role, "waiveEntry")
  }, session)
  return yield* consoleResponse(requested.invalid === undefined ? status : 400, {
    title: carrierTitle(carrier.value),
    section: "carriers",
    notice: requested.invalid === undefined ? notice : { kind: "error", text: `The ${requested.invalid}. Showing the current month.` },
    body
  })
})

/** GET /admin/carriers/:carrierId: the calendar, for the month in the `month` query parameter. */
export const showCalendar = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const query = new URL(request.url, "http://127.0.0.1").searchParams
  const month = query.get("month") ?? ""
  const notice: ConsolePage["notice"] = query.get("done") === "waived" ? { kind: "success", text: "The entry is waived." } : undefined
  return yield* calendarResponse(yield* carrierIdParam, month === "" ? undefined : month, 200, notice)
}))

/**
 * POST /admin/carriers/:carrierId/waive: waives the open entry `entryKey`
 * of the carrier with the required `reason`, as the signed-in member, then
 * redirects (303) to the calendar at the form's `month`.
 */
export const waiveEntry = formPost((fields) =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    if (!can(session.role, "waiveEntry")) {
      yield* Effect.annotateLogs(Effect.logWarning("staff action not permitted"), { accountId: session.accountId, action: "waiveEntry" })
      return forbidden("waiveEntry")
    }
    const carrierId = yield* carrierIdParam
    const month = monthPattern.test(fields["month"] ?? "") ? fields["month"] : undefined
    const entryKey = fields["entryKey"] ?? ""
    const rejected = (status: number, text: string) => calendarResponse(carrierId, month, status, { kind: "error", text })

    const parts = entryKey.split(":")
    if (parts.length !== 3 || parts[0] !== carrierId || parts.some((part) => part === "")) {
      return yield* rejected(400, `"${entryKey}" is not an entry of carrier ${carrierId}; choose the entry from the list.`)
    }
    const reason = (fields["reason"] ?? "").trim()
    if (reason === "") {
      return yield* rejected(400, `A reason is required to waive entry ${entryKey}; state why the obligation does not apply for this period. Nothing was changed.`)
    }
    if (reason.length > maximumReasonLength) {
      return yield* rejected(400, `The reason has ${reason.length} characters; the maximum is ${maximumReasonLength}. Nothing was changed.`)
    }

    const makeEntry = yield* ComplianceEntry.client
    const waived = yield* makeEntry(entryKey).Waive(new WaiveEntry({ waivedBy: session.name, reason, requestId: randomUUID() })).pipe(
      dieOnDeliveryFailure,
      Effect.either
    )
    if (waived._tag === "Left") {
      yield* Effect.annotateLogs(Effect.logInfo("staff action rejected"), {
        entryKey,
        accountId: session.accountId,
        action: "waiveEntry",
        reason: waived.left.message
      })
      return yield* rejected(waived.left._tag === "EntryNotFound" ? 404 : 409, waived.left.message)
    }
    yield* Effect.annotateLogs(Effect.logInfo("compliance entry waived"), { entryKey, accountId: session.accountId })
    return seeOther(`${calendarPath(carrierId)}?${month === undefined ? "" : `month=${month}&`}done=waived`)
  }))
