import { describe, expect, it } from "@effect/vitest"
import { allocate } from "../src/Money.ts"

const sum = (values: ReadonlyArray<number>) => values.reduce((total, value) => total + value, 0)

describe("Money.allocate", () => {
  it("splits a $5.00 refund across two items", () => {
    const shares = allocate(500, [14_900, 21_900])
    expect(shares).toEqual([202, 298])
    expect(sum(shares)).toBe(500)
  })

  it("gives leftover cents to largest remainders", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33])
  })

  it("keeps every cent for awkward weights", () => {
    for (const amount of [1, 7, 99, 1_001, 123_457]) {
      expect(sum(allocate(amount, [3, 7, 11, 13]))).toBe(amount)
    }
  })

  it("splits negative amounts", () => {
    expect(allocate(-500, [14_900, 21_900])).toEqual([-202, -298])
  })

  it("gives zero weights nothing", () => {
    expect(allocate(10, [0, 5])).toEqual([0, 10])
  })

  it("rejects weights without a positive sum", () => {
    expect(() => allocate(10, [0, 0])).toThrow(RangeError)
    expect(() => allocate(10, [])).toThrow(RangeError)
  })
})
