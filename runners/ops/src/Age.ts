/**
 * Ages on the command line: `10m`, `2h`, `1d` or an Effect duration such as
 * `10 minutes`.
 */
import { Duration, Either, Option } from "effect"

const units: Record<string, (amount: number) => Duration.Duration> = {
  ms: Duration.millis,
  s: Duration.seconds,
  m: Duration.minutes,
  h: Duration.hours,
  d: Duration.days
}

/**
 * Parses `text` as `<number><unit>` with unit ms, s, m, h or d, or else as an
 * Effect duration string ("10 minutes"). Returns an error message naming the
 * value when neither matches or the age is negative.
 */
export const parse = (text: string): Either.Either<Duration.Duration, string> => {
  const trimmed = text.trim()
  const invalid = Either.left(`invalid age ${JSON.stringify(text)}: use a number with ms, s, m, h or d, such as 10m or 2h`)
  // Duration.decodeUnknown turns "-5 minutes" into zero, so a sign is rejected here.
  if (trimmed.startsWith("-")) return invalid
  const short = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(trimmed)
  const unit = short?.[2] === undefined ? undefined : units[short[2]]
  if (short !== null && unit !== undefined) return Either.right(unit(Number(short[1])))
  const decoded = Duration.decodeUnknown(trimmed)
  if (Option.isSome(decoded)) return Either.right(decoded.value)
  return invalid
}

/** Formats an age in milliseconds as whole seconds or larger units, such as `2h 5m 3s`. */
export const format = (milliseconds: number): string =>
  Duration.format(Duration.seconds(Math.max(0, Math.floor(milliseconds / 1000))))
