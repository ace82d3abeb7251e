/**
 * The platform's PostgreSQL connection: an external server from DATABASE_URL,
 * or else an embedded server, with migrations applied before first use.
 */
import { createRequire } from "node:module"
import { NodeFileSystem } from "@effect/platform-node"
import type { SqlClient, SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Config, type ConfigError, Context, Effect, Layer, Option, Redacted } from "effect"
import * as path from "node:path"
import * as EmbeddedPostgres from "./EmbeddedPostgres.ts"
import * as Migrator from "./Migrator.ts"

/** Migrations shipped with this package: `packages/db/migrations`. */
export const defaultMigrationsDirectory = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@pw/db/package.json")),
  "migrations"
)

/** Settings read from the environment by {@link DatabaseConfig.layer}. */
export const config = Config.all({
  url: Config.redacted("DATABASE_URL").pipe(
    Config.withDescription(
      "PostgreSQL connection URL, such as postgres://user:password@127.0.0.1:5432/app. When unset or empty, an embedded PostgreSQL server is started instead."
    ),
    Config.option,
    Config.map(Option.filter((url) => Redacted.value(url).trim() !== ""))
  ),
  dataDirectory: Config.string("PW_DATA_DIR").pipe(
    Config.withDefault("var"),
    Config.withDescription(
      "Directory for local state, relative to the working directory unless absolute. The embedded PostgreSQL server keeps its cluster in <PW_DATA_DIR>/postgres."
    )
  )
})

/** Database settings. */
export class DatabaseConfig extends Context.Tag("@pw/db/DatabaseConfig")<
  DatabaseConfig,
  {
    /** External server to use, or none to start the embedded one. */
    readonly url: Option.Option<Redacted.Redacted<string>>
    /** Directory for local state, with the embedded cluster in its `postgres` folder. */
    readonly dataDirectory: string
  }
>() {
  /** Reads {@link config} from the current ConfigProvider. */
  static readonly layer: Layer.Layer<DatabaseConfig, ConfigError.ConfigError> = Layer.effect(DatabaseConfig, config)
}

/** Options of {@link layer}. */
export interface DatabaseLayerOptions {
  /** Folder of migration files, default {@link defaultMigrationsDirectory}. A missing folder counts as one without migrations. */
  readonly migrationsDirectory?: string | undefined
  /**
   * PostgreSQL `application_name` of the connections, shown in
   * `pg_stat_activity`. An `application_name` parameter in DATABASE_URL wins.
   */
  readonly applicationName?: string | undefined
}

/**
 * Connects to DATABASE_URL or, when it is unset, to an embedded server in
 * `<PW_DATA_DIR>/postgres` that starts with the layer and stops when the layer
 * is released, after the connection pool closes.
 */
const clientLayer = (applicationName: string | undefined): Layer.Layer<
  PgClient.PgClient | SqlClient.SqlClient,
  SqlError.SqlError | EmbeddedPostgres.EmbeddedPostgresError,
  DatabaseConfig
> => Layer.unwrapScoped(
  Effect.gen(function* () {
    const { url, dataDirectory } = yield* DatabaseConfig
    if (Option.isSome(url)) {
      yield* Effect.logInfo("Connecting to PostgreSQL from DATABASE_URL")
      return PgClient.layer({ url: url.value, applicationName })
    }
    const server = yield* EmbeddedPostgres.start({ dataDirectory: path.join(dataDirectory, "postgres") })
    return PgClient.layer({ url: server.url, applicationName })
  })
)

/**
 * Provides the PostgreSQL client after applying every pending migration from
 * `migrationsDirectory`. Configuration comes from {@link DatabaseConfig.layer}.
 * Column names pass through unchanged, so rows have the snake_case keys of
 * the SQL.
 */
export const layer = (
  options: DatabaseLayerOptions = {}
): Layer.Layer<
  PgClient.PgClient | SqlClient.SqlClient,
  ConfigError.ConfigError | SqlError.SqlError | EmbeddedPostgres.EmbeddedPostgresError | Migrator.MigrationError
> => {
  const migrations = Layer.effectDiscard(
    Migrator.run(options.migrationsDirectory ?? defaultMigrationsDirectory)
  ).pipe(Layer.provide(NodeFileSystem.layer))
  return migrations.pipe(Layer.provideMerge(clientLayer(options.applicationName)), Layer.provide(DatabaseConfig.layer))
}
