/**
 * The month view of a carrier's calendar: a table of the month's weeks,
 * Sunday first, with the titles of the entries due on each day, and links to
 * the previous and next month. Months are `YYYY-MM` strings on the
 * proleptic Gregorian calendar, with no time zone because due dates are
 * local dates.
 */
import type { EntryListing } from "./queries/CarriersQuery.ts"
import { escapeHtml } from "../HtmlText.ts"
import { formatStatus } from "./AdminFormat.ts"

const weekdays = [
  ["Sun", "Sunday"],
  ["Mon", "Monday"],
  ["Tue", "Tuesday"],
  ["Wed", "Wednesday"],
  ["Thu", "Thursday"],
  ["Fri", "Friday"],
  ["Sat", "Saturday"]
] as const

const monthNames = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" })

const parts = (month: string) => ({ year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) })

/** Formats a year and a 1-based month as `YYYY-MM`. */
const format = (year: number, month: number): string => `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`

/** Returns the `YYYY-MM` month of `millis`, an epoch time, in UTC. */
export const monthOf = (millis: number): string => {
  const date = new Date(millis)
  return format(date.getUTCFullYear(), date.getUTCMonth() + 1)
}

/** Returns the month `offset` months after `month`, or before it when `offset` is negative. */
export const shiftMonth = (month: string, offset: number): string => {
  const { year, month: number } = parts(month)
  const index = year * 12 + (number - 1) + offset
  return format(Math.floor(index / 12), (index % 12) + 1)
}

/** `month` as a name such as `March 2027`. */
export const monthName = (month: string): string => {
  const { year, month: number } = parts(month)
  return monthNames.format(new Date(Date.UTC(year, number - 1, 1)))
}

/** Links to the previous and next month of `month` on the page at `path`. */
const monthLinks = (path: string, month: string): string => {
  const previous = shiftMonth(month, -1)
  const next = shiftMonth(month, 1)
  return `<nav aria-label="Months"><ul class="months">
<li><a href="${escapeHtml(`${path}?month=${previous}`)}" id="previous-month">Previous month (${escapeHtml(monthName(previous))})</a></li>
<li><a href="${escapeHtml(`${path}?month=${next}`)}" id="next-month">Next month (${escapeHtml(monthName(next))})</a></li>
</ul></nav>`
}

/** Renders the cell of day `day` with `entries`, each linked to its row in the list through `anchors`. */
const dayCell = (day: number, entries: ReadonlyArray<EntryListing>, anchors: ReadonlyMap<string, string>): string => {
  if (entries.length === 0) return `<td><span class="day">${day}</span></td>`
  const items = entries.map((entry) => {
    const anchor = anchors.get(entry.key)
    const title = escapeHtml(entry.title)
    const text = anchor === undefined ? title : `<a href="#${anchor}">${title}</a>`
    return `<li>${text} <span class="hint">(${escapeHtml(formatStatus(entry.status))})</span></li>`
  }).join("")
  return `<td><span class="day">${day}</span><ul>${items}</ul></td>`
}

/**
 * Renders the month grid of `month` with `entries`, the entries due in it.
 * `anchors` maps entry keys to element ids of their rows in the list view;
 * `path` is the calendar page the month links point to.
 */
export const renderMonthGrid = (
  path: string,
  month: string,
  entries: ReadonlyArray<EntryListing>,
  anchors: ReadonlyMap<string, string>
): string => {
  const { year, month: number } = parts(month)
  const firstWeekday = new Date(Date.UTC(year, number - 1, 1)).getUTCDay()
  const days = new Date(Date.UTC(year, number, 0)).getUTCDate()
  const byDay = new Map<number, Array<EntryListing>>()
  for (const entry of entries) {
    const day = Number(entry.dueDate.slice(8, 10))
    byDay.set(day, [...(byDay.get(day) ?? []), entry])
  }
  const cells = [
    ...Array.from({ length: firstWeekday }, () => "<td></td>"),
    ...Array.from({ length: days }, (_, index) => dayCell(index + 1, byDay.get(index + 1) ?? [], anchors))
  ]
  while (cells.length % 7 !== 0) cells.push("<td></td>")
  const weeks: Array<string> = []
  for (let start = 0; start < cells.length; start += 7) weeks.push(`<tr>${cells.slice(start, start + 7).join("")}</tr>`)
  const header = weekdays.map(([short, long]) => `<th scope="col" abbr="${long}">${short}</th>`).join("")
  const summary = entries.length === 0
    ? `<p>No entries are due in ${escapeHtml(monthName(month))}.</p>`
    : `<p>${entries.length} ${entries.length === 1 ? "entry is" : "entries are"} due in ${escapeHtml(monthName(month))}.</p>`
  return `${monthLinks(path, month)}
${summary}
<table id="month-grid" class="month">
<caption>${escapeHtml(monthName(month))}</caption>
<thead><tr>${header}</tr></thead>
<tbody>
${weeks.join("\n")}
</tbody>
</table>`
}
