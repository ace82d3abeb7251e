/**
 * Secrets of the HTTP API: the key that signs access tokens and download
 * links, and the staff API key. Without configuration, both are generated
 * once and kept in `<PW_DATA_DIR>/secrets.json` (mode 0600), so they survive
 * restarts of the embedded platform.
 */
import { Config, Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { mkdir, readFile, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"

/** The API's secrets; never logged. */
export class Secrets extends Context.Tag("@pw/api-runner/Secrets")<Secrets, {
  readonly signingKey: Redacted.Redacted<string>
  readonly staffApiKey: Redacted.Redacted<string>
}>() {}

const StoredSecrets = Schema.parseJson(Schema.Struct({ signingKey: Schema.String, staffApiKey: Schema.String }))

/** Path of the file holding generated secrets. */
export const secretsFile = (dataDirectory: string): string => join(resolve(dataDirectory), "secrets.json")

const loadOrCreate = Effect.fn("Secrets.loadOrCreate")(function*(dataDirectory: string) {
  const path = secretsFile(dataDirectory)
  const existing = yield* Effect.tryPromise(() => readFile(path, "utf8")).pipe(Effect.option)
  if (Option.isSome(existing)) {
    return yield* Schema.decode(StoredSecrets)(existing.value).pipe(
      Effect.orDieWith((error) => new Error(`${path} is not a valid secrets file; delete it to generate new secrets: ${error.message}`))
    )
  }
  const created = { signingKey: randomBytes(32).toString("base64url"), staffApiKey: randomBytes(24).toString("base64url") }
  yield* Effect.promise(async () => {
    await mkdir(resolve(dataDirectory), { recursive: true })
    await writeFile(path, JSON.stringify(created), { mode: 0o600, flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error
    })
  })
  yield* Effect.annotateLogs(Effect.logInfo("generated API secrets"), { path })
  const stored = yield* Effect.promise(() => readFile(path, "utf8"))
  return yield* Schema.decode(StoredSecrets)(stored).pipe(Effect.orDie)
})

/**
 * Secrets from `PW_SIGNING_SECRET` and `STAFF_API_KEY`, each generated and
 * stored under `PW_DATA_DIR` when unset.
 */
export const layer = Layer.effect(
  Secrets,
  Effect.gen(function*() {
    const signing = yield* Config.option(Config.redacted("PW_SIGNING_SECRET").pipe(
      Config.withDescription("Key that signs customer access tokens and download links; 32 random bytes or more")
    ))
    const staff = yield* Config.option(Config.redacted("STAFF_API_KEY").pipe(
      Config.withDescription("Key staff send in the X-Staff-Key header")
    ))
    const dataDirectory = yield* Config.string("PW_DATA_DIR").pipe(
      Config.withDescription("Folder for the embedded platform's data"),
      Config.withDefault("var")
    )
    if (Option.isSome(signing) && Option.isSome(staff)) {
      return { signingKey: signing.value, staffApiKey: staff.value }
    }
    const generated = yield* loadOrCreate(dataDirectory)
    return {
      signingKey: Option.getOrElse(signing, () => Redacted.make(generated.signingKey)),
      staffApiKey: Option.getOrElse(staff, () => Redacted.make(generated.staffApiKey))
    }
  }).pipe(Effect.orDie)
)
