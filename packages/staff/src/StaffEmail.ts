/**
 * E-mail addresses of staff accounts, which are their sign-in names.
 */
import { Effect } from "effect"
import { InvalidEmail } from "./AccountErrors.ts"

/** Maximum address length, in characters (the limit of an SMTP path, RFC 5321). */
export const maximumLength = 254

/** The form an address is stored and looked up in: trimmed and lower-cased. */
export const normalize = (email: string): string => email.trim().toLowerCase()

/**
 * Normalizes `email` and checks that it looks like name@domain.tld with no
 * spaces and at most 254 characters. Whether the mailbox exists is not
 * checked.
 */
export const validate = (email: string): Effect.Effect<string, InvalidEmail> => {
  const normalized = normalize(email)
  if (normalized.length > maximumLength || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(normalized)) {
    return Effect.fail(
      new InvalidEmail({
        email,
        message: `${JSON.stringify(email)} is not a valid e-mail address; give one like ada@example.com, at most ${maximumLength} characters`
      })
    )
  }
  return Effect.succeed(normalized)
}
