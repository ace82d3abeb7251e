/**
 * `pw-ops create-admin`: the first staff admin, created by
 * `StaffBootstrap.createFirstAdmin` as `npm run staff -- create-admin` does.
 */
import * as StaffBootstrap from "@pw/staff/StaffBootstrap"
import { Console, Effect, Redacted } from "effect"
import { migrate } from "./Migrate.ts"

/**
 * Applies pending migrations, creates the first admin and prints its e-mail,
 * id, password and TOTP enrolment once. Fails with `AdminExists` when an
 * admin exists, and with `InvalidEmail` or `InvalidName` for bad input.
 */
export const createAdmin = Effect.fn("CreateAdmin.createAdmin")(function*(input: {
  readonly email: string
  readonly name: string
}) {
  yield* migrate()
  const created = yield* StaffBootstrap.createFirstAdmin(input)
  yield* Console.log(`Created admin ${created.account.email} (${created.account.id}).`)
  yield* Console.log(`Password: ${Redacted.value(created.password)}`)
  yield* Console.log(`TOTP secret (base32): ${created.totp.secret}`)
  yield* Console.log(`TOTP URI for an authenticator app: ${created.totp.uri}`)
  yield* Console.log("These are shown once and not stored in clear; keep them in a password manager.")
  return created
})
