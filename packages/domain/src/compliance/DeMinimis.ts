/**
 * The USF de minimis test of 47 CFR 54.708: a filer whose yearly contribution
 * would be under $10,000 contributes nothing and skips Form 499-Q.
 */
import { Schema } from "effect"

/** Yearly contribution, in USD cents, below which a filer is de minimis. */
export const deMinimisContributionLimitCents = 1_000_000

/** The de minimis worksheet factor of one Form 499-A filing year. */
export class DeMinimisFactor extends Schema.Class<DeMinimisFactor>("DeMinimisFactor")({
  /** Year the Form 499-A is filed; its worksheet applies to the prior year's revenue. */
  filingYear: Schema.Int,
  /** Factor applied to combined interstate and international revenue, such as 0.256. */
  factor: Schema.Number.pipe(Schema.positive()),
  /** Revenue threshold USAC published for the year, in USD cents, when known. */
  thresholdCents: Schema.optional(Schema.Int),
  verified: Schema.Boolean
}) {}

/**
 * Known worksheet factors. The CY2025 threshold of $39,062 is USAC's
 * figure; 0.256 is the factor it implies and is unverified until read from
 * the Form 499-A instructions' Appendix A.
 */
export const deMinimisFactors: ReadonlyArray<DeMinimisFactor> = [
  new DeMinimisFactor({ filingYear: 2025, factor: 0.256, thresholdCents: 3_906_200, verified: false })
]

const partsPerMillion = 1_000_000n

/**
 * True when `revenueCents` × `factor` is under $10,000. Integer arithmetic on
 * the factor in parts per million, so $39,062 at 0.256 is de minimis and
 * $39,063 is not.
 */
export const isDeMinimis = (revenueCents: number, factor: number): boolean =>
  BigInt(revenueCents) * BigInt(Math.round(factor * 1_000_000)) < BigInt(deMinimisContributionLimitCents) * partsPerMillion

/** The outcome of the de minimis test for one filing year. */
export interface DeMinimisResult {
  readonly deMinimis: boolean
  readonly factor: number
  /** The filing year whose factor was used. */
  readonly factorYear: number
  /** True when the requested year's factor is missing and the latest factor on file was used instead. */
  readonly flagged: boolean
}

/**
 * Tests `revenueCents` with the factor of `filingYear`; when that year is not
 * in `factors`, uses the latest factor and flags the result so staff confirm
 * it. Returns undefined when `factors` is empty.
 */
export const deMinimisForYear = (
  revenueCents: number,
  filingYear: number,
  factors: ReadonlyArray<DeMinimisFactor> = deMinimisFactors
): DeMinimisResult | undefined => {
  const exact = factors.find((entry) => entry.filingYear === filingYear)
  const chosen = exact ?? [...factors].sort((a, b) => b.filingYear - a.filingYear)[0]
  if (chosen === undefined) return undefined
  return {
    deMinimis: isDeMinimis(revenueCents, chosen.factor),
    factor: chosen.factor,
    factorYear: chosen.filingYear,
    flagged: exact === undefined
  }
}
