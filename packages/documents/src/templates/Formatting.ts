/**
 * Formatting of template values: US dollars from integer cents, long dates,
 * percentages from basis points. It uses integer and string arithmetic only,
 * so no amount passes through a floating-point fraction.
 */

const monthNames = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December"
] as const

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")

/**
 * Formats integer cents as US dollars with thousands separators: 123456 is
 * `$1,234.56`, 5 is `$0.05`, -2500 is `-$25.00`. `cents` must be a safe
 * integer, which the template schemas guarantee.
 */
export const formatUsd = (cents: number): string => {
  const digits = String(Math.abs(cents)).padStart(3, "0")
  const sign = cents < 0 ? "-" : ""
  return `${sign}$${groupThousands(digits.slice(0, -2))}.${digits.slice(-2)}`
}

/** Formats an ISO calendar date `YYYY-MM-DD` as `February 14, 2025`, without time zones. */
export const formatLongDate = (isoDate: string): string => {
  const [year = "", month = "", day = ""] = isoDate.split("-")
  const monthName = monthNames[Number(month) - 1] ?? month
  return `${monthName} ${Number(day)}, ${year}`
}

/** Formats basis points as a percentage with two decimals: 5000 is `50.00%`, 3333 is `33.33%`. */
export const formatBasisPoints = (basisPoints: number): string => {
  const digits = String(Math.abs(basisPoints)).padStart(3, "0")
  const sign = basisPoints < 0 ? "-" : ""
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}%`
}

/** Formats a count with its noun: `1 year`, `5 years`. */
export const formatQuantity = (count: number, singular: string, plural: string): string =>
  `${groupThousands(String(count))} ${count === 1 ? singular : plural}`
