/**
 * The calendar page of one carrier: its summary, the month view, and every
 * entry as a list. Each open entry has a waive form with a required reason
 * for members who may waive. Waived entries show who waived them and why.
 */
import type * as StaffSessions from "@pw/staff/StaffSessions"
import { escapeHtml } from "../HtmlText.ts"
import { formatStatus, formatTime, formatUsd } from "./AdminFormat.ts"
import { csrfField } from "./AdminLayout.ts"
import { renderMonthGrid } from "./CalendarMonth.ts"
import type { CarrierSummary, EntryListing } from "./queries/CarriersQuery.ts"
import type { EntryWaiver } from "./queries/CarrierDetailQuery.ts"

/** Maximum length of a waive reason, in characters. */
export const maximumReasonLength = 500

/** Statuses in which an entry can no longer be waived. */
const closedStatuses: ReadonlySet<string> = new Set(["completed", "waived"])

/** Data of the calendar page. */
export interface CarrierCalendar {
  readonly carrier: CarrierSummary
  /** The month shown in the grid, `YYYY-MM`. */
  readonly month: string
  /** Entries due in {@link month}. */
  readonly monthEntries: ReadonlyArray<EntryListing>
  /** Every entry of the carrier, earliest due first. */
  readonly entries: ReadonlyArray<EntryListing>
  readonly waivers: ReadonlyArray<EntryWaiver>
  /** Whether the member's role may waive entries. */
  readonly mayWaive: boolean
}

/** Path of the calendar page of `carrierId`. */
export const calendarPath = (carrierId: string): string => `/admin/carriers/${encodeURIComponent(carrierId)}`

/** The page title of `carrier`: its legal name, or its carrier id when it has no carrier record. */
export const carrierTitle = (carrier: CarrierSummary): string => carrier.legalName ?? `Carrier ${carrier.carrierId}`

const monthForm = (path: string, month: string): string => `<form method="get" action="${escapeHtml(path)}" class="inline">
<div><label for="month">Month</label>
<input type="month" id="month" name="month" value="${escapeHtml(month)}" pattern="\\d{4}-\\d{2}" placeholder="YYYY-MM" aria-describedby="month-hint"></div>
<button type="submit" class="secondary">Show month</button>
</form>
<p class="hint" id="month-hint">Give the month as YYYY-MM, such as 2027-03.</p>`

const waiveForm = (calendar: CarrierCalendar, entry: EntryListing, id: string, session: StaffSessions.StaffSession): string =>
  `<form method="post" action="${escapeHtml(`${calendarPath(calendar.carrier.carrierId)}/waive`)}">${csrfField(session)}
<input type="hidden" name="entryKey" value="${escapeHtml(entry.key)}">
<input type="hidden" name="month" value="${escapeHtml(calendar.month)}">
<label for="${id}-reason">Reason<span class="visually-hidden"> to waive ${escapeHtml(entry.title)}, due ${escapeHtml(entry.dueDate)}</span></label>
<textarea id="${id}-reason" name="reason" required maxlength="${maximumReasonLength}"></textarea>
<p><button type="submit" class="secondary">Waive<span class="visually-hidden"> ${escapeHtml(entry.title)}</span></button></p>
</form>`

const actionCell = (
  calendar: CarrierCalendar,
  entry: EntryListing,
  id: string,
  waiver: EntryWaiver | undefined,
  session: StaffSessions.StaffSession
): string => {
  if (waiver !== undefined) {
    return `<p class="waiver">Waived by ${escapeHtml(waiver.waivedBy)} on ${escapeHtml(formatTime(waiver.waivedAt))}: ${escapeHtml(waiver.reason)}</p>`
  }
  if (closedStatuses.has(entry.status)) return ""
  return calendar.mayWaive ? waiveForm(calendar, entry, id, session) : `<span class="hint">Your role may not waive entries.</span>`
}

const entryRow = (
  calendar: CarrierCalendar,
  entry: EntryListing,
  id: string,
  waiver: EntryWaiver | undefined,
  session: StaffSessions.StaffSession
): string => `<tr id="${id}">
<th scope="row">${escapeHtml(entry.title)}<br><small>${escapeHtml(entry.key)}</small></th>
<td>${escapeHtml(entry.dueDate)}</td>
<td>${escapeHtml(formatStatus(entry.status))}</td>
<td class="amount">${entry.billableAmount === undefined ? "Not billed" : escapeHtml(formatUsd(entry.billableAmount))}</td>
<td>${actionCell(calendar, entry, id, waiver, session)}</td>
</tr>`

/** Renders the body of the calendar page for the member of `session`. */
export const renderCalendar = (calendar: CarrierCalendar, session: StaffSessions.StaffSession): string => {
  const path = calendarPath(calendar.carrier.carrierId)
  const anchors = new Map(calendar.entries.map((entry, index) => [entry.key, `entry-${index + 1}`]))
  const waivers = new Map(calendar.waivers.map((waiver) => [waiver.entryKey, waiver]))
  const carrier = calendar.carrier
  const list = calendar.entries.length === 0
    ? "<p>This carrier has no compliance entries.</p>"
    : `<table id="entries">
<caption>Every entry, earliest due first</caption>
<thead><tr><th scope="col">Obligation</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col" class="amount">Billed</th><th scope="col">Waiver</th></tr></thead>
<tbody>
${calendar.entries.map((entry) => entryRow(calendar, entry, anchors.get(entry.key) ?? "", waivers.get(entry.key), session)).join("\n")}
</tbody>
</table>`
  return `<dl class="facts">
<dt>Carrier id</dt><dd id="carrier-id">${escapeHtml(carrier.carrierId)}</dd>
<dt>Legal name</dt><dd>${escapeHtml(carrier.legalName ?? "No carrier record")}</dd>
<dt>Open entries</dt><dd>${carrier.openEntries}</dd>
<dt>Next due</dt><dd>${escapeHtml(carrier.nextDueDate ?? "Nothing open")}</dd>
</dl>
<p><a href="/admin/carriers">All carriers</a></p>
<h2>Month view</h2>
${monthForm(path, calendar.month)}
${renderMonthGrid(path, calendar.month, calendar.monthEntries, anchors)}
<h2>All entries</h2>
${list}`
}
