/**
 * Time-based one-time passwords as RFC 6238 defines them, with the settings
 * every common authenticator app uses by default: HMAC-SHA-1, 6 digits, a
 * 30-second time step. Written on node:crypto rather than taken from a
 * library, because it is short and the time is passed in explicitly, which
 * keeps it testable under Effect's TestClock.
 */
import { Option } from "effect"
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import * as Base32 from "./Base32.ts"

/** Length of a time step, in seconds. */
export const stepSeconds = 30
/** Digits in a code. */
export const digits = 6
/** Steps before and after the current one whose codes are also accepted, for clock drift. */
export const window = 1

/** A new random 160-bit secret (the size RFC 4226 recommends for HMAC-SHA-1), in Base32. */
export const generateSecret = (): string => Base32.encode(randomBytes(20))

/** The time step containing `epochMillis`: Unix seconds divided by 30, rounded down. */
export const stepAt = (epochMillis: number): number => Math.floor(epochMillis / 1000 / stepSeconds)

/** Computes the code for time step `step` under the Base32 `secret`. Returns undefined when the secret is not Base32 or the step is negative. */
export const codeAt = (secret: string, step: number): string | undefined => {
  const key = Base32.decode(secret)
  if (key === undefined || step < 0) return undefined
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac("sha1", key).update(counter).digest()
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f
  const truncated = mac.readUInt32BE(offset) & 0x7fffffff
  return String(truncated % 10 ** digits).padStart(digits, "0")
}

/**
 * Finds the time step whose code is `code` among the step of `epochMillis`
 * and one step either side. Returns none when no step matches or the code is
 * not six digits. The caller must still reject a step it accepted before.
 */
export const matchingStep = (secret: string, code: string, epochMillis: number): Option.Option<number> => {
  const presented = code.replace(/\s/g, "")
  if (!/^\d{6}$/.test(presented)) return Option.none()
  const current = stepAt(epochMillis)
  let matched: Option.Option<number> = Option.none()
  for (let step = current - window; step <= current + window; step++) {
    const expected = codeAt(secret, step)
    if (expected !== undefined && timingSafeEqual(Buffer.from(expected), Buffer.from(presented)) && Option.isNone(matched)) {
      matched = Option.some(step)
    }
  }
  return matched
}

/** An authenticator app enrolment: the secret and the otpauth:// URI to show as a QR code. */
export interface TotpEnrolment {
  /** Base32 secret, for typing into an app by hand. */
  readonly secret: string
  /** `otpauth://totp/...` URI with issuer, account, secret, algorithm, digits and period. */
  readonly uri: string
}

/** Builds the otpauth:// URI (Key Uri Format of Google Authenticator) for `secret` on `accountName` at `issuer`. */
export const otpauthUri = (issuer: string, accountName: string, secret: string): string => {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`
  // encodeURIComponent rather than URLSearchParams, which writes a space as
  // "+" and some authenticator apps show that "+" literally.
  const query = [
    `secret=${secret}`,
    `issuer=${encodeURIComponent(issuer)}`,
    "algorithm=SHA1",
    `digits=${digits}`,
    `period=${stepSeconds}`
  ].join("&")
  return `otpauth://totp/${label}?${query}`
}
