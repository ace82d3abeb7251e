/**
 * Government filing fees that per-state services pass through at cost.
 */
import type { UsState } from "./UsState.ts"

/**
 * Filing fee in USD cents for a foreign LLC's registration (certificate of
 * authority) in each state whose fee is on file. A state missing here cannot
 * be priced automatically: its quote fails and staff quote it by hand.
 *
 * NOTE: these figures come from the states' published fee schedules as known
 * when the table was written, not from a live check. Confirm each against the
 * state's own page before relying on it, and add states only the same way.
 */
export const foreignQualificationFees: Readonly<Partial<Record<UsState, number>>> = {
  CO: 10_000,
  DE: 27_500,
  FL: 12_500,
  OH: 9_900,
  TX: 75_000,
  WY: 15_000
}
