import { describe, expect, it } from "@effect/vitest"
import { formatBasisPoints, formatLongDate, formatQuantity, formatUsd } from "../../src/templates/Formatting.ts"

describe("formatUsd", () => {
  it.each([
    [123456, "$1,234.56"],
    [5, "$0.05"],
    [0, "$0.00"],
    [100, "$1.00"],
    [-2500, "-$25.00"],
    [100000000, "$1,000,000.00"],
    [9_007_199_254_740_991, "$90,071,992,547,409.91"]
  ])("%d cents is %s", (cents, expected) => {
    expect(formatUsd(cents)).toBe(expected)
  })
})

describe("formatLongDate", () => {
  it.each([
    ["2025-02-14", "February 14, 2025"],
    ["2024-12-01", "December 1, 2024"],
    ["2025-01-31", "January 31, 2025"]
  ])("%s is %s", (isoDate, expected) => {
    expect(formatLongDate(isoDate)).toBe(expected)
  })
})

describe("formatBasisPoints", () => {
  it.each([
    [10000, "100.00%"],
    [5000, "50.00%"],
    [3333, "33.33%"],
    [5, "0.05%"]
  ])("%d is %s", (basisPoints, expected) => {
    expect(formatBasisPoints(basisPoints)).toBe(expected)
  })
})

describe("formatQuantity", () => {
  it("one is singular", () => {
    expect(formatQuantity(1, "year", "years")).toBe("1 year")
  })

  it("many are plural", () => {
    expect(formatQuantity(1200, "entry", "entries")).toBe("1,200 entries")
  })
})
