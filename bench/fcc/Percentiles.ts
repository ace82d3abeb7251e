/**
 * Percentiles of latency samples, by the nearest-rank method.
 */

/** The median and the 99th percentile of a set of samples, in milliseconds. */
export interface LatencySummary {
  readonly samples: number
  readonly p50: number
  readonly p99: number
}

/** Returns the nearest-rank `fraction` percentile of ascending `sorted`, such as 0.99 for p99. */
const nearestRank = (sorted: ReadonlyArray<number>, fraction: number): number => {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))
  const value = sorted[index]
  if (value === undefined) throw new Error("a percentile needs at least one sample")
  return value
}

/** Summarizes latency samples in milliseconds. Throws when `millis` is empty. */
export const summarize = (millis: ReadonlyArray<number>): LatencySummary => {
  const sorted = [...millis].sort((left, right) => left - right)
  return { samples: sorted.length, p50: nearestRank(sorted, 0.5), p99: nearestRank(sorted, 0.99) }
}
