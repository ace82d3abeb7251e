/**
 * The rules for presigned download links: their lifetime and the
 * `Content-Disposition` they request from the server.
 */
import { Duration, Effect } from "effect"
import { PresignExpiryOutOfRange } from "./ObjectStoreErrors.ts"

/** Minimum link lifetime: S3 expiry has one-second resolution. */
export const minimumExpiry = Duration.seconds(1)

/** Maximum link lifetime: 604,800 seconds, the S3 signature version 4 limit. */
export const maximumExpiry = Duration.days(7)

/**
 * Returns `expiresIn` as whole seconds for `X-Amz-Expires`. Fails with
 * `PresignExpiryOutOfRange` when it is shorter than 1 second, longer than
 * 7 days, infinite, or not a whole number of seconds.
 */
export const expirySeconds = (
  key: string,
  expiresIn: Duration.DurationInput
): Effect.Effect<number, PresignExpiryOutOfRange> => {
  const duration = Duration.decode(expiresIn)
  const millis = Duration.toMillis(duration)
  const inRange =
    Duration.isFinite(duration) &&
    Duration.greaterThanOrEqualTo(duration, minimumExpiry) &&
    Duration.lessThanOrEqualTo(duration, maximumExpiry)
  if (inRange && millis % 1000 === 0) {
    return Effect.succeed(millis / 1000)
  }
  const requested = Duration.format(duration)
  const minimum = Duration.format(minimumExpiry)
  const maximum = Duration.format(maximumExpiry)
  return Effect.fail(
    new PresignExpiryOutOfRange({
      key,
      expiresIn: requested,
      minimum,
      maximum,
      message: `Cannot presign a download of "${key}" valid for ${requested}: the lifetime must be a whole number of seconds from ${minimum} to ${maximum} (the S3 signature version 4 limit).`
    })
  )
}

/** Characters a quoted-string `filename` parameter can carry as they are: printable ASCII except `"` and `\`. */
const plainFileNameCharacter = /^[\x20-\x21\x23-\x5b\x5d-\x7e]$/

/**
 * Returns the `Content-Disposition` that makes a browser save the download
 * as `fileName` (RFC 6266): an ASCII `filename` in which every other
 * character becomes `_`, and the exact name UTF-8 percent-encoded in
 * `filename*`.
 */
export const attachmentDisposition = (fileName: string): string => {
  const ascii = Array.from(fileName, (character) => (plainFileNameCharacter.test(character) ? character : "_")).join(
    ""
  )
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
