import { describe, expect, it } from "@effect/vitest"
import { Duration, Either } from "effect"
import * as Age from "../src/Age.ts"

const millis = (text: string) => Either.map(Age.parse(text), Duration.toMillis)

describe("Age", () => {
  it("parses short units", () => {
    expect(millis("10m")).toEqual(Either.right(600_000))
    expect(millis("2h")).toEqual(Either.right(7_200_000))
    expect(millis("1d")).toEqual(Either.right(86_400_000))
    expect(millis("1.5s")).toEqual(Either.right(1_500))
    expect(millis("250ms")).toEqual(Either.right(250))
  })

  it("parses Effect durations", () => {
    expect(millis("10 minutes")).toEqual(Either.right(600_000))
  })

  it("rejects unknown unit", () => {
    const parsed = Age.parse("10x")
    expect(Either.isLeft(parsed)).toBe(true)
    expect(Either.isLeft(parsed) ? parsed.left : "").toContain("\"10x\"")
  })

  it("rejects negative age", () => {
    expect(Either.isLeft(Age.parse("-5 minutes"))).toBe(true)
    expect(Either.isLeft(Age.parse("-5m"))).toBe(true)
  })

  it("formats whole seconds", () => {
    expect(Age.format(3_723_400)).toBe("1h 2m 3s")
    expect(Age.format(-5)).toBe("0")
  })
})
