import { describe, expect, it } from "@effect/vitest"
import { applyRate, formatDecimal } from "@pw/domain/Money"

describe("Money.applyRate", () => {
  it("rounds 150 cents at 3 % up to 5", () => {
    // 150 × 300 / 10 000 = 4.5 cents.
    expect(applyRate(150, 300)).toBe(5)
  })

  it("rounds exact halves away from zero", () => {
    // 50 × 100 / 10 000 = 0.5 and 250 × 100 / 10 000 = 2.5.
    expect(applyRate(50, 100)).toBe(1)
    expect(applyRate(250, 100)).toBe(3)
    expect(applyRate(-50, 100)).toBe(-1)
    expect(applyRate(-250, 100)).toBe(-3)
  })

  it("rounds below half toward zero", () => {
    // 2 122 × 600 / 10 000 = 127.32 and 149 × 300 / 10 000 = 4.47.
    expect(applyRate(2_122, 600)).toBe(127)
    expect(applyRate(149, 300)).toBe(4)
    expect(applyRate(-2_122, 600)).toBe(-127)
  })

  it("rounds above half away from zero", () => {
    // 1 999 × 600 / 10 000 = 119.94 and 2 122 × 300 / 10 000 = 63.66.
    expect(applyRate(1_999, 600)).toBe(120)
    expect(applyRate(2_122, 300)).toBe(64)
    expect(applyRate(-1_999, 600)).toBe(-120)
  })

  it("handles negative amounts symmetrically", () => {
    expect(applyRate(-150, 300)).toBe(-5)
    expect(applyRate(150, -300)).toBe(-5)
    expect(applyRate(-150, -300)).toBe(5)
  })

  it("returns zero for rate or amount 0", () => {
    expect(applyRate(123_456, 0)).toBe(0)
    expect(applyRate(0, 600)).toBe(0)
  })

  it("computes surcharge worked examples", () => {
    expect(2_122 + applyRate(2_122, 300)).toBe(2_186)
    expect(2_122 + applyRate(2_122, 600)).toBe(2_249)
    expect(applyRate(1_999, 600)).toBe(120)
    expect(applyRate(123_456_789, 600)).toBe(7_407_407)
  })

  it("throws beyond safe integer range", () => {
    expect(() => applyRate(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError)
  })
})

describe("Money.formatDecimal", () => {
  it("formats cents with two places", () => {
    expect(formatDecimal(2_186)).toBe("21.86")
    expect(formatDecimal(5)).toBe("0.05")
    expect(formatDecimal(7_407_407)).toBe("74074.07")
    expect(formatDecimal(-120)).toBe("-1.20")
  })
})
