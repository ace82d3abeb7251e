/**
 * Staff password hashing with scrypt (RFC 7914) from node:crypto. A hash is
 * stored as `scrypt$N$r$p$salt$hash` with salt and hash in base64url, so the
 * parameters can be raised later and old hashes still verify.
 */
import { Effect, Redacted, Schema } from "effect"
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"

/** CPU and memory cost: 2^15, so one hash takes 32 MiB (128 · N · r bytes). */
export const cost = 2 ** 15
/** Block size. */
export const blockSize = 8
/** Parallelism. */
export const parallelism = 1
const saltBytes = 32
const keyBytes = 32

/** Shortest accepted password, in characters. */
export const minimumLength = 12
/** Longest accepted password, in characters; longer input is rejected before hashing. */
export const maximumLength = 1024

/** A new password that is too short or too long; `message` gives the limits. */
export class PasswordRejected extends Schema.TaggedError<PasswordRejected>()("PasswordRejected", {
  message: Schema.String
}) {}

/** Memory limit for one scrypt call with these parameters, with headroom over 128 · N · r · p. */
const memoryLimit = (n: number, r: number, p: number): number => 128 * n * r * p + 16 * 1024 * 1024

const derive = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  Effect.async<Buffer>((resume) => {
    scrypt(password, salt, keyBytes, { N: n, r, p, maxmem: memoryLimit(n, r, p) }, (error, key) => {
      resume(error === null ? Effect.succeed(key) : Effect.die(error))
    })
  })

/** Fails with {@link PasswordRejected} unless `password` has 12 to 1024 characters. */
export const validate = (password: Redacted.Redacted<string>): Effect.Effect<void, PasswordRejected> => {
  const length = [...Redacted.value(password)].length
  if (length < minimumLength) {
    return Effect.fail(
      new PasswordRejected({
        message: `the password has ${length} characters; choose one of at least ${minimumLength} characters, such as four unrelated words`
      })
    )
  }
  if (length > maximumLength) {
    return Effect.fail(new PasswordRejected({ message: `the password has ${length} characters; the maximum is ${maximumLength}` }))
  }
  return Effect.void
}

/** Hashes a valid password with a new random salt and returns the self-describing hash string. */
export const hash = Effect.fn("PasswordHash.hash")(function*(password: Redacted.Redacted<string>) {
  yield* validate(password)
  const salt = randomBytes(saltBytes)
  const key = yield* derive(Redacted.value(password), salt, cost, blockSize, parallelism)
  return ["scrypt", cost, blockSize, parallelism, salt.toString("base64url"), key.toString("base64url")].join("$")
})

const storedPattern = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/

/**
 * Whether `password` matches `stored`, compared with timingSafeEqual. A
 * malformed hash, or one whose parameters exceed this version's (N up to
 * 2^20, r up to 32, p up to 16), dies: it means the table was edited by hand.
 */
export const verify = Effect.fn("PasswordHash.verify")(function*(password: Redacted.Redacted<string>, stored: string) {
  const match = storedPattern.exec(stored)
  const [n, r, p] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])]
  const salt = Buffer.from(match?.[4] ?? "", "base64url")
  const expected = Buffer.from(match?.[5] ?? "", "base64url")
  const validParameters = Number.isInteger(Math.log2(n)) && n >= 2 && n <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16
  if (match === null || !validParameters || expected.length === 0) {
    return yield* Effect.dieMessage("a stored staff password hash is malformed; reset that account's password")
  }
  const plain = Redacted.value(password)
  if ([...plain].length > maximumLength) return false
  const key = yield* derive(plain, salt, n, r, p)
  return key.length === expected.length && timingSafeEqual(key, expected)
})

/**
 * A hash of a random password that was discarded, with the current parameters. Sign-in
 * verifies against it for an unknown e-mail, so that an unknown e-mail takes
 * as long as a wrong password.
 */
export const decoyHash =
  "scrypt$32768$8$1$S2JhkzHfPcASiugSdSZm1oyWoU-UrEXLJwD8Yor-L8A$Nj9AX1bTUKoyG_v8Ck8IwZH8AYeb-8TxD7HfBqNL0Mc"

/** A new random password of 24 base64url characters (144 bits), for new accounts and resets. */
export const generate = (): Redacted.Redacted<string> => Redacted.make(randomBytes(18).toString("base64url"))
