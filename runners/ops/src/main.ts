/**
 * `pw-ops`, the operator command line of the platform:
 *
 *     DATABASE_URL=postgres://… npm run ops -- runners --json
 *
 * Every subcommand connects to DATABASE_URL, prints tables (or JSON with
 * `--json`) on stdout and logs on stderr. A failed command prints its error
 * and exits 1; invalid usage prints @effect/cli's message and exits 2.
 */
import { Args, Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { StaffConfig } from "@pw/staff/StaffConfig"
import { Config, Console, Effect, Either, Layer, Logger, LogLevel, Option } from "effect"
import * as Age from "./Age.ts"
import * as CreateAdmin from "./commands/CreateAdmin.ts"
import * as Migrate from "./commands/Migrate.ts"
import * as Redrive from "./commands/Redrive.ts"
import * as Runners from "./commands/Runners.ts"
import * as Shards from "./commands/Shards.ts"
import * as StuckMessages from "./commands/StuckMessages.ts"
import * as OpsDatabase from "./OpsDatabase.ts"

/** Error text of a failed command: the error's message, or the error converted to a string. */
const describe = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : String(error)

/** Runs `effect` on DATABASE_URL. A failure prints its message to stderr and sets exit code 1. */
const withDatabase = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.provide(OpsDatabase.layer),
    Effect.asVoid,
    Effect.catchAll((error) =>
      Effect.zipRight(
        Console.error(`pw-ops: ${describe(error)}`),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  )

const json = Options.boolean("json").pipe(Options.withDescription("Print JSON instead of a table"))

const migrate = Command.make("migrate", {}, () =>
  withDatabase(Effect.gen(function*() {
    const applied = yield* Migrate.migrate()
    yield* Console.log(applied.length === 0 ? "No pending migrations." : `Applied:\n${applied.join("\n")}`)
  }))).pipe(Command.withDescription("Apply the platform's pending SQL migrations to DATABASE_URL and print their names"))

const createAdmin = Command.make("create-admin", {
  email: Options.text("email").pipe(Options.withDescription("E-mail address of the admin, used to sign in")),
  name: Options.text("name").pipe(Options.withDescription("Display name of the admin"))
}, (input) => withDatabase(CreateAdmin.createAdmin(input).pipe(Effect.provide(StaffConfig.layer)))).pipe(
  Command.withDescription(
    "Apply pending migrations, then create the first staff admin and print its password and TOTP secret once. Fails when an admin exists."
  )
)

const runners = Command.make("runners", { json }, (options) => withDatabase(Runners.print(options.json))).pipe(
  Command.withDescription(
    "List cluster_runners with health, last heartbeat, shard groups, and per group the shards each runner is assigned and holds the lock of"
  )
)

const shards = Command.make("shards", {
  group: Options.text("group").pipe(
    Options.withDescription("Shard group to list, such as default or docserver; all groups when omitted"),
    Options.optional
  ),
  json
}, (options) => withDatabase(Shards.print(Option.getOrUndefined(options.group), options.json))).pipe(
  Command.withDescription("List every shard with the runner the cluster assigns it to and the holder of its lock")
)

const stuckMessages = Command.make("stuck-messages", {
  olderThan: Options.text("older-than").pipe(
    Options.withDescription("Minimum time since a message became due, such as 10m, 2h or 1d"),
    Options.withDefault("10m"),
    Options.mapEffect((text) =>
      Either.match(Age.parse(text), {
        onLeft: (message) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message))),
        onRight: Effect.succeed
      })
    )
  ),
  limit: Options.integer("limit").pipe(Options.withDescription("Maximum messages listed"), Options.withDefault(50)),
  json
}, (options) => withDatabase(StuckMessages.print({ olderThan: options.olderThan, limit: options.limit }, options.json))).pipe(
  Command.withDescription(
    "List unprocessed messages sent more than --older-than ago, or scheduled for a deliver_at that long past, oldest first"
  )
)

const redrive = Command.make("redrive", {
  target: Args.text({ name: "execution-id-or-message-id" }).pipe(
    Args.withDescription("Execution id of the workflow, or the id of its run message or of another of its messages")
  )
}, ({ target }) => withDatabase(Redrive.print(target))).pipe(Command.withDescription(Redrive.description))

const pwOps = Command.make("pw-ops").pipe(
  Command.withDescription("Operator commands for the Performance West cluster; every command reads DATABASE_URL"),
  Command.withSubcommands([migrate, createAdmin, runners, shards, stuckMessages, redrive])
)

/** Logs go to stderr so that stdout contains only tables and JSON. */
const LoggingLive = Layer.unwrapEffect(Effect.gen(function*() {
  const level = yield* Config.logLevel("PW_LOG_LEVEL").pipe(
    Config.withDescription("Lowest level logged on stderr: All, Trace, Debug, Info, Warn, Error, Fatal or Off"),
    Config.withDefault(LogLevel.Warning)
  )
  return Layer.merge(
    Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)),
    Logger.minimumLogLevel(level)
  )
}).pipe(Effect.orDie))

Command.run(pwOps, { name: "pw-ops", version: "1.0.0" })(process.argv).pipe(
  // @effect/cli has printed the usage error already.
  Effect.catchIf(ValidationError.isValidationError, () =>
    Effect.sync(() => {
      process.exitCode = 2
    })),
  Effect.provide(Layer.merge(NodeContext.layer, LoggingLive)),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
