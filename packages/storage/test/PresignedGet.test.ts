import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { PresignExpiryOutOfRange } from "../src/ObjectStoreErrors.ts"
import * as PresignedGet from "../src/PresignedGet.ts"

describe("PresignedGet.expirySeconds", () => {
  it.effect("accepts one second", () =>
    Effect.gen(function* () {
      expect(yield* PresignedGet.expirySeconds("a.pdf", "1 second")).toBe(1)
    })
  )

  it.effect("accepts seven days", () =>
    Effect.gen(function* () {
      expect(yield* PresignedGet.expirySeconds("a.pdf", "7 days")).toBe(604_800)
    })
  )

  it.effect("rejects zero seconds", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(PresignedGet.expirySeconds("a.pdf", "0 seconds"))
      expect(error).toBeInstanceOf(PresignExpiryOutOfRange)
      expect(error.message).toContain("from 1s to 7d")
    })
  )

  it.effect("rejects more than seven days", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(PresignedGet.expirySeconds("a.pdf", "8 days"))
      expect(error.expiresIn).toBe("8d")
      expect(error.message).toContain("valid for 8d")
    })
  )

  it.effect("rejects fractional seconds", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(PresignedGet.expirySeconds("a.pdf", "1500 millis"))
      expect(error.message).toContain("whole number of seconds")
    })
  )

  it.effect("rejects infinite lifetime", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(PresignedGet.expirySeconds("a.pdf", Duration.infinity))
      expect(error.expiresIn).toBe("Infinity")
    })
  )
})

describe("PresignedGet.attachmentDisposition", () => {
  it("keeps a plain ASCII name", () => {
    expect(PresignedGet.attachmentDisposition("cpni 2025.pdf")).toBe(
      `attachment; filename="cpni 2025.pdf"; filename*=UTF-8''cpni%202025.pdf`
    )
  })

  it("replaces quotes and backslashes", () => {
    expect(PresignedGet.attachmentDisposition('a"b\\c.pdf')).toBe(
      `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`
    )
  })

  it("encodes non-ASCII in filename*", () => {
    expect(PresignedGet.attachmentDisposition("Überprüfung.pdf")).toBe(
      `attachment; filename="_berpr_fung.pdf"; filename*=UTF-8''%C3%9Cberpr%C3%BCfung.pdf`
    )
  })
})
