/**
 * Quarterly USF contribution factors proposed by the FCC Office of the
 * Managing Director, as dated data.
 */
import { Schema } from "effect"

/** The contribution factor of one calendar quarter, in percent. */
export class ContributionFactor extends Schema.Class<ContributionFactor>("ContributionFactor")({
  year: Schema.Int,
  quarter: Schema.Literal(1, 2, 3, 4),
  /** Factor in percent, such as 36.3. */
  percent: Schema.Number.pipe(Schema.positive())
}) {}

const quarters = (year: number, percents: ReadonlyArray<number>): Array<ContributionFactor> =>
  percents.map((percent, index) => new ContributionFactor({ year, quarter: (index + 1) as 1 | 2 | 3 | 4, percent }))

/** Published factors; 2023 Q4 and 2026 from Q3 on are not yet on file. */
export const contributionFactors: ReadonlyArray<ContributionFactor> = [
  ...quarters(2023, [32.6, 29.0, 29.2]),
  ...quarters(2024, [34.6, 32.8, 34.4, 35.8]),
  ...quarters(2025, [36.3, 36.6, 36.0, 38.1]),
  ...quarters(2026, [37.6, 37.0])
]

/** A quarter whose factor is not on file. */
export interface MissingQuarter {
  readonly year: number
  readonly quarter: 1 | 2 | 3 | 4
}

/**
 * The quarters of `currentYear` and the year after with no factor in
 * `factors`, in date order, so staff can be warned to add them.
 */
export const missingContributionFactors = (
  currentYear: number,
  factors: ReadonlyArray<ContributionFactor> = contributionFactors
): ReadonlyArray<MissingQuarter> => {
  const missing: Array<MissingQuarter> = []
  for (const year of [currentYear, currentYear + 1]) {
    for (const quarter of [1, 2, 3, 4] as const) {
      if (!factors.some((entry) => entry.year === year && entry.quarter === quarter)) missing.push({ year, quarter })
    }
  }
  return missing
}
