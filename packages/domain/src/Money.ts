/**
 * Money as integer minor units (cents for USD and CAD), never floating point.
 */
import { Schema } from "effect"

/** ISO 4217 currency codes the platform charges or passes through. */
export const Currency = Schema.Literal("USD", "CAD")
export type Currency = typeof Currency.Type

/** A whole number of minor units; negative amounts are allowed for discounts and refunds. */
export const MinorUnits = Schema.Int.annotations({ description: "Amount in minor units (cents)" })

/** An amount of money in one currency. */
export class Money extends Schema.Class<Money>("Money")({
  currency: Currency,
  amount: MinorUnits
}) {}

/** Builds a USD amount from cents. */
export const usd = (cents: number): Money => new Money({ currency: "USD", amount: cents })

/** Builds a CAD amount from cents. */
export const cad = (cents: number): Money => new Money({ currency: "CAD", amount: cents })

/**
 * Computes `amount × basisPoints / 10 000`, rounded to the nearest minor unit
 * with an exact half rounded away from zero (half-up for positive amounts).
 * Integer arithmetic only, so 150 cents × 3 % is 5 cents, not 4.
 */
export const applyRate = (amount: number, basisPoints: number): number => {
  const product = amount * basisPoints
  if (!Number.isSafeInteger(product)) {
    throw new RangeError(`amount ${amount} × ${basisPoints} basis points exceeds the safe integer range`)
  }
  const sign = product < 0 ? -1 : 1
  const magnitude = Math.abs(product)
  const quotient = Math.floor(magnitude / 10_000)
  const remainder = magnitude - quotient * 10_000
  return sign * (remainder * 2 >= 10_000 ? quotient + 1 : quotient)
}

/** Formats minor units as a decimal string with two places, such as `21.86`. */
export const formatDecimal = (amount: number): string => {
  const sign = amount < 0 ? "-" : ""
  const magnitude = Math.abs(amount)
  const units = Math.floor(magnitude / 100)
  const cents = magnitude % 100
  return `${sign}${units}.${cents.toString().padStart(2, "0")}`
}

/**
 * Splits `amount` across `weights` in proportion, in whole minor units that
 * add up to `amount` exactly: each share is rounded down and the cents left
 * over go one each to the largest remainders (earlier entries win ties).
 */
export const allocate = (amount: number, weights: ReadonlyArray<number>): Array<number> => {
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0)
  if (weights.length === 0 || totalWeight <= 0 || weights.some((weight) => weight < 0 || !Number.isSafeInteger(weight))) {
    throw new RangeError(`cannot allocate ${amount} across weights ${JSON.stringify(weights)}; weights must be non-negative integers with a positive sum`)
  }
  const sign = amount < 0 ? -1 : 1
  const magnitude = Math.abs(amount)
  const shares = weights.map((weight) => Math.floor((magnitude * weight) / totalWeight))
  const remainders = weights.map((weight, index) => ({ index, remainder: (magnitude * weight) % totalWeight }))
  let leftover = magnitude - shares.reduce((sum, share) => sum + share, 0)
  for (const { index } of remainders.sort((a, b) => b.remainder - a.remainder || a.index - b.index)) {
    if (leftover === 0) break
    shares[index] = (shares[index] ?? 0) + 1
    leftover--
  }
  return shares.map((share) => sign * share)
}
