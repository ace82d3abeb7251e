/**
 * The carrier list: a search by name or FRN (a GET form) and a table of
 * carriers with their open entries and next due date, each linking to its
 * calendar.
 */
import { escapeHtml } from "../HtmlText.ts"
import { calendarPath } from "./CalendarPage.ts"
import type { CarrierSummary } from "./queries/CarriersQuery.ts"

/** Most carriers the page lists. */
export const carriersLimit = 100

const searchForm = (search: string): string => `<form method="get" action="/admin/carriers" class="inline" role="search">
<div><label for="search">Name or FRN</label>
<input type="text" id="search" name="q" value="${escapeHtml(search)}" maxlength="200" aria-describedby="search-hint"></div>
<button type="submit">Search</button>
</form>
<p class="hint" id="search-hint">Part of the legal name, in any case, or the first digits of the FRN.</p>`

const row = (carrier: CarrierSummary): string => `<tr>
<th scope="row"><a href="${escapeHtml(calendarPath(carrier.carrierId))}">${escapeHtml(carrier.legalName ?? "No carrier record")}</a></th>
<td>${escapeHtml(carrier.carrierId)}</td>
<td class="amount">${carrier.openEntries}</td>
<td>${escapeHtml(carrier.nextDueDate ?? "Nothing open")}</td>
</tr>`

/** Renders the carrier list body for `carriers`, found with `search` (blank for all). */
export const renderCarriers = (carriers: ReadonlyArray<CarrierSummary>, search: string): string => {
  const caption = search === "" ? "Every carrier, by legal name" : `Carriers matching “${search}”, by legal name`
  const table = carriers.length === 0
    ? `<p id="no-carriers">${search === "" ? "No carriers yet." : `No carrier matches “${escapeHtml(search)}”.`}</p>`
    : `<table id="carriers">
<caption>${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">Carrier</th><th scope="col">FRN or carrier id</th><th scope="col" class="amount">Open entries</th><th scope="col">Next due</th></tr></thead>
<tbody>
${carriers.map(row).join("\n")}
</tbody>
</table>`
  const limitNote = carriers.length === carriersLimit
    ? `<p class="hint">Only the first ${carriersLimit} carriers are shown; search to narrow the list.</p>`
    : ""
  return `${searchForm(search)}\n${table}\n${limitNote}`
}
