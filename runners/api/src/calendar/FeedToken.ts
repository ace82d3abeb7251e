/**
 * Tokens of calendar feed links. A token is 32 random bytes in base64url and
 * is the link's only credential: it is shown once and stored as its SHA-256.
 */
import { Effect, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { sha256Hex } from "../Credentials.ts"

/** A new feed token and the hash to store for it. */
export interface NewFeedToken {
  readonly token: Redacted.Redacted<string>
  /** Hex SHA-256 of the token. */
  readonly hash: string
}

/** Generates a feed token from 32 random bytes. */
export const makeFeedToken: Effect.Effect<NewFeedToken> = Effect.sync(() => {
  const token = randomBytes(32).toString("base64url")
  return { token: Redacted.make(token), hash: sha256Hex(token) }
})

/** The stored hash of a presented token. */
export const feedTokenHash = (token: Redacted.Redacted<string>): string => sha256Hex(Redacted.value(token))
