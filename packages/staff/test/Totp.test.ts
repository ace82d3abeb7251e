import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import * as Base32 from "../src/Base32.ts"
import * as Totp from "../src/Totp.ts"

// The SHA-1 secret of RFC 6238 appendix B, "12345678901234567890" in ASCII.
const rfcSecret = Base32.encode(Buffer.from("12345678901234567890"))

describe("Totp", () => {
  it("encodes the RFC secret in base32", () => {
    expect(rfcSecret).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
  })

  it("round-trips base32", () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253])
    expect(Base32.decode(Base32.encode(bytes))).toEqual(bytes)
  })

  it.each([
    [59, "287082"],
    [1111111109, "081804"],
    [1234567890, "005924"],
    [2000000000, "279037"]
  ])("matches RFC 6238 vector at %i s", (seconds, code) => {
    expect(Totp.codeAt(rfcSecret, Totp.stepAt(seconds * 1000))).toBe(code)
  })

  it("accepts the current code", () => {
    const now = 1_700_000_000_000
    const code = Totp.codeAt(rfcSecret, Totp.stepAt(now)) ?? ""
    expect(Totp.matchingStep(rfcSecret, code, now)).toEqual(Option.some(Totp.stepAt(now)))
  })

  it("accepts one step either side", () => {
    const now = 1_700_000_000_000
    const step = Totp.stepAt(now)
    const previous = Totp.codeAt(rfcSecret, step - 1) ?? ""
    const next = Totp.codeAt(rfcSecret, step + 1) ?? ""
    expect(Totp.matchingStep(rfcSecret, previous, now)).toEqual(Option.some(step - 1))
    expect(Totp.matchingStep(rfcSecret, next, now)).toEqual(Option.some(step + 1))
  })

  it("rejects two steps away", () => {
    const now = 1_700_000_000_000
    const step = Totp.stepAt(now)
    expect(Option.isNone(Totp.matchingStep(rfcSecret, Totp.codeAt(rfcSecret, step - 2) ?? "", now))).toBe(true)
    expect(Option.isNone(Totp.matchingStep(rfcSecret, Totp.codeAt(rfcSecret, step + 2) ?? "", now))).toBe(true)
  })

  it("rejects a wrong code", () => {
    const now = 59_000
    expect(Option.isNone(Totp.matchingStep(rfcSecret, "287083", now))).toBe(true)
  })

  it("rejects non-digit input", () => {
    expect(Option.isNone(Totp.matchingStep(rfcSecret, "28708a", 59_000))).toBe(true)
    expect(Option.isNone(Totp.matchingStep(rfcSecret, "2870823", 59_000))).toBe(true)
  })

  it("builds the otpauth URI", () => {
    expect(Totp.otpauthUri("Example Co", "ada@example.com", rfcSecret)).toBe(
      "otpauth://totp/Example%20Co:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example%20Co&algorithm=SHA1&digits=6&period=30"
    )
  })

  it("generates 160-bit secrets", () => {
    expect(Base32.decode(Totp.generateSecret())?.length).toBe(20)
  })
})
