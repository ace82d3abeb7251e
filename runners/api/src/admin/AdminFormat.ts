/**
 * Formatting of values on console pages. Every function returns plain text,
 * which callers still pass through `escapeHtml`.
 */
import { formatDecimal } from "@pw/domain/Money"
import { DateTime } from "effect"

/** USD cents as `$1,234.56`; negative amounts as `-$12.00`. */
export const formatUsd = (cents: number): string => {
  const [whole = "0", fraction = "00"] = formatDecimal(Math.abs(cents)).split(".")
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  return `${cents < 0 ? "-" : ""}$${grouped}.${fraction}`
}

/** Formats a time as `2026-12-07 14:03 UTC`. */
export const formatTime = (time: Date | DateTime.DateTime): string => {
  const date = time instanceof Date ? time : DateTime.toDate(time)
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`
}

/** Formats an order or to-do status such as `awaiting_review` as `Awaiting review`. */
export const formatStatus = (status: string): string => {
  const words = status.replaceAll("_", " ")
  return words.charAt(0).toUpperCase() + words.slice(1)
}
