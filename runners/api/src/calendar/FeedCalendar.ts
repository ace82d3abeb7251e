/**
 * Writes a carrier's compliance entries as an iCalendar feed: one all-day
 * event per entry on its due date, which is a calendar date in the entry's
 * time zone and so is written as a DATE value, without a time zone.
 */
import type { CalendarEntry } from "@pw/api/CalendarGroup"
import { openStatuses } from "@pw/compliance-entry/EntryView"
import { formatDecimal } from "@pw/domain/Money"
import { DateTime, Duration } from "effect"
import ical, { ICalAlarmType, ICalEventStatus } from "ical-generator"
import type { CalendarFeedSettings } from "./CalendarFeedConfig.ts"

/** Returns the day after `date` (`YYYY-MM-DD`), the exclusive end of an all-day event. */
export const nextDay = (date: string): string => {
  const day = new Date(`${date}T00:00:00Z`)
  day.setUTCDate(day.getUTCDate() + 1)
  return day.toISOString().slice(0, 10)
}

/** Status wording in event descriptions. */
const statusLabels: Record<CalendarEntry["status"], string> = {
  upcoming: "upcoming",
  due_soon: "due soon",
  invoice_sent: "invoice sent",
  paid: "paid, filing in progress",
  overdue: "overdue",
  completed: "completed",
  waived: "waived for this period"
}

/** Returns the event title: the obligation and its period, such as "Form 499-A, 2026". */
export const eventSummary = (entry: CalendarEntry): string => `${entry.title}, ${entry.period}`

/** Builds the event text: why the entry exists, its status, its due day's time zone, its source and its price. */
export const eventDescription = (entry: CalendarEntry): string => {
  const source = entry.source
  const lines = [
    entry.explanation,
    "",
    `Status: ${statusLabels[entry.status]}`,
    `Due by the end of ${entry.dueDate}, ${entry.timeZone} time (${entry.jurisdiction}).`,
    `Source: ${source.citation}${source.url === undefined ? "" : ` ${source.url}`}${source.verified ? "" : " (date not yet confirmed on an official page)"}`
  ]
  if (entry.billableAmount !== undefined) lines.push(`Filed by Performance West for USD ${formatDecimal(entry.billableAmount)}.`)
  return lines.join("\n")
}

/** Input of {@link renderFeed}. */
export interface FeedInput {
  readonly carrierId: string
  readonly entries: ReadonlyArray<CalendarEntry>
  readonly settings: CalendarFeedSettings
}

/**
 * Renders a carrier's entries as iCalendar text. Each event's UID is the
 * entry key at `settings.uidDomain`, so a reload updates events in place.
 * DTSTAMP is the entry's last change, so the same entries give the same text.
 * Open entries get a reminder `settings.alarmDaysBefore` days before, and
 * waived entries are marked cancelled.
 */
export const renderFeed = (input: FeedInput): string => {
  const { settings } = input
  const calendar = ical({
    name: `Compliance calendar of carrier ${input.carrierId}`,
    prodId: { company: "Performance West", product: "Compliance calendar", language: "EN" },
    ttl: Math.round(Duration.toSeconds(settings.refreshInterval))
  })
  for (const entry of input.entries) {
    const changed = DateTime.toDateUtc(entry.updatedAt)
    const open = openStatuses.has(entry.status)
    calendar.createEvent({
      id: `${entry.key}@${settings.uidDomain}`,
      allDay: true,
      start: entry.dueDate,
      end: nextDay(entry.dueDate),
      stamp: changed,
      lastModified: changed,
      summary: eventSummary(entry),
      description: eventDescription(entry),
      status: entry.status === "waived" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(entry.source.url === undefined ? {} : { url: entry.source.url }),
      alarms: open && settings.alarmDaysBefore > 0
        ? [{ type: ICalAlarmType.display, trigger: settings.alarmDaysBefore * 86_400 }]
        : []
    })
  }
  return calendar.toString()
}
