/**
 * The operator command for staff accounts, run on the server:
 *
 *     npm run staff -- create-admin --email admin@example.com --name "Ada Admin"
 *     npm run staff -- reset-password --email admin@example.com [--new-totp]
 *
 * `create-admin` creates the first admin and prints its password and TOTP
 * enrolment once; it exits 1 when an admin exists. `reset-password` sets a
 * temporary password (and with `--new-totp` a new TOTP secret) for the case
 * where no admin can sign in. It connects to DATABASE_URL, or to the
 * embedded PostgreSQL of a running `npm start` (same PW_DATA_DIR), or else
 * starts the embedded server itself. Invalid usage exits 2.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Database from "@pw/db/Database"
import * as RunningEmbeddedPostgres from "@pw/db/RunningEmbeddedPostgres"
import * as Logging from "@pw/runtime/Logging"
import { Console, Data, Effect, Layer, Option, Redacted } from "effect"
import { join } from "node:path"
import { parseArgs } from "node:util"
import * as StaffBootstrap from "./StaffBootstrap.ts"
import { StaffConfig } from "./StaffConfig.ts"
import type * as Totp from "./Totp.ts"

const usage = [
  "usage: npm run staff -- create-admin --email EMAIL --name NAME",
  "       npm run staff -- reset-password --email EMAIL [--new-totp]"
].join("\n")

/** An invalid command line; `message` names the invalid part and shows the usage. */
class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/** The subcommand and its options. */
type Command =
  | { readonly name: "create-admin"; readonly email: string; readonly adminName: string }
  | { readonly name: "reset-password"; readonly email: string; readonly newTotp: boolean }

/** Reads the subcommand and its options from the command line. */
const parseCommandLine = Effect.gen(function*() {
  const { values, positionals } = yield* Effect.try({
    try: () =>
      parseArgs({
        allowPositionals: true,
        options: { email: { type: "string" }, name: { type: "string" }, "new-totp": { type: "boolean" } }
      }),
    catch: (error) => new UsageError({ message: `${error instanceof Error ? error.message : String(error)}\n${usage}` })
  })
  const [subcommand, ...extra] = positionals
  if (extra.length > 0) return yield* new UsageError({ message: `unexpected argument ${JSON.stringify(extra[0])}\n${usage}` })
  if (values.email === undefined) return yield* new UsageError({ message: `--email is missing\n${usage}` })
  if (subcommand === "create-admin") {
    if (values.name === undefined) return yield* new UsageError({ message: `--name is missing\n${usage}` })
    return { name: subcommand, email: values.email, adminName: values.name } satisfies Command
  }
  if (subcommand === "reset-password") {
    return { name: subcommand, email: values.email, newTotp: values["new-totp"] === true } satisfies Command
  }
  return yield* new UsageError({
    message: `the command must be create-admin or reset-password (got ${JSON.stringify(subcommand ?? "")})\n${usage}`
  })
})

const printTotp = (totp: Totp.TotpEnrolment) =>
  Effect.all([
    Console.log(`TOTP secret (base32): ${totp.secret}`),
    Console.log(`TOTP URI for an authenticator app: ${totp.uri}`)
  ])

/** Runs the subcommand and prints the one-time secrets. */
const run = (command: Command) =>
  Effect.gen(function*() {
    if (command.name === "create-admin") {
      const created = yield* StaffBootstrap.createFirstAdmin({ email: command.email, name: command.adminName })
      yield* Console.log(`Created admin ${created.account.email} (${created.account.id}).`)
      yield* Console.log(`Password: ${Redacted.value(created.password)}`)
      yield* printTotp(created.totp)
      yield* Console.log("These are shown once and not stored in clear; keep them in a password manager.")
      return
    }
    const reset = yield* StaffBootstrap.resetPassword(command.email, command.newTotp)
    yield* Console.log(`Reset the password of ${reset.account.email} (${reset.account.id}); its sessions are ended.`)
    yield* Console.log(`Temporary password: ${Redacted.value(reset.password)}`)
    if (Option.isSome(reset.totp)) yield* printTotp(reset.totp.value)
    yield* Console.log("The account must choose a new password at its next sign-in.")
  })

/**
 * DATABASE_URL, migrated; without it the embedded server of a running
 * platform, or else a new embedded server, migrated. A database that cannot
 * be reached ends the command with the reason.
 */
const DatabaseLive = Layer.unwrapEffect(Effect.gen(function*() {
  const { url, dataDirectory } = yield* Database.config
  if (Option.isNone(url)) {
    const running = yield* Effect.option(RunningEmbeddedPostgres.findPostmaster(join(dataDirectory, "postgres")))
    if (Option.isSome(running)) return Layer.orDie(RunningEmbeddedPostgres.attachLayer)
  }
  return Layer.orDie(Database.layer())
}).pipe(Effect.orDie))

const exitWith = (code: number, message: string) =>
  Effect.zipRight(Console.error(message), Effect.sync(() => process.exitCode = code))

parseCommandLine.pipe(
  Effect.flatMap((command) => Effect.provide(run(command), Layer.merge(DatabaseLive, Layer.orDie(StaffConfig.layer)))),
  Effect.catchTags({
    UsageError: (error) => exitWith(2, error.message),
    AdminExists: (error) => exitWith(1, error.message),
    InvalidEmail: (error) => exitWith(1, error.message),
    InvalidName: (error) => exitWith(1, error.message),
    EmailTaken: (error) => exitWith(1, error.message),
    AccountNotFound: (error) => exitWith(1, error.message)
  }),
  Effect.provide(Logging.layer),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
