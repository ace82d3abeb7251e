/**
 * Settings of staff sessions and TOTP enrolment, read from the environment.
 */
import { Config, type ConfigError, Context, Duration, Effect, Layer } from "effect"

/** Settings read by {@link StaffConfig.layer}. */
export class StaffConfig extends Context.Tag("@pw/staff/StaffConfig")<
  StaffConfig,
  {
    /** A session unused for this long is expired. */
    readonly idleTimeout: Duration.Duration
    /** A session expires this long after sign-in, however active. */
    readonly maxSessionAge: Duration.Duration
    /** Whether the session cookie carries `Secure` (sent over HTTPS only). */
    readonly cookieSecure: boolean
    /** Issuer shown by authenticator apps next to the account's e-mail. */
    readonly totpIssuer: string
  }
>() {
  /** Reads `STAFF_SESSION_IDLE_TIMEOUT`, `STAFF_SESSION_MAX_AGE`, `STAFF_COOKIE_SECURE` and `STAFF_TOTP_ISSUER`. */
  static readonly layer: Layer.Layer<StaffConfig, ConfigError.ConfigError> = Layer.effect(
    StaffConfig,
    Effect.gen(function*() {
      const idleTimeout = yield* Config.duration("STAFF_SESSION_IDLE_TIMEOUT").pipe(
        Config.withDefault(Duration.minutes(30)),
        Config.validate({ message: "STAFF_SESSION_IDLE_TIMEOUT must be longer than zero", validation: (value: Duration.Duration) => Duration.greaterThan(value, Duration.zero) }),
        Config.withDescription('Time without a request after which a staff session expires, for example "30 minutes".')
      )
      const maxSessionAge = yield* Config.duration("STAFF_SESSION_MAX_AGE").pipe(
        Config.withDefault(Duration.hours(12)),
        Config.validate({ message: "STAFF_SESSION_MAX_AGE must be longer than zero", validation: (value: Duration.Duration) => Duration.greaterThan(value, Duration.zero) }),
        Config.withDescription('Time after sign-in at which a staff session expires however active it is, for example "12 hours".')
      )
      const cookieSecure = yield* Config.boolean("STAFF_COOKIE_SECURE").pipe(
        Config.withDefault(true),
        Config.withDescription(
          "Whether the staff session cookie is marked Secure, so browsers send it over HTTPS only. Set false only for plain-HTTP development on 127.0.0.1."
        )
      )
      const totpIssuer = yield* Config.nonEmptyString("STAFF_TOTP_ISSUER").pipe(
        Config.withDefault("Performance West"),
        Config.withDescription("Issuer name in the otpauth:// URI, which authenticator apps show next to the account.")
      )
      return { idleTimeout, maxSessionAge, cookieSecure, totpIssuer }
    })
  )
}
