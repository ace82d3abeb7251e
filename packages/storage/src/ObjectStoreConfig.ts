/**
 * Settings of the object store: which S3-compatible server, which bucket,
 * and the request time limit.
 */
import * as Path from "node:path"
import { Config, Context, Duration, Effect, Layer, Option } from "effect"
import type { ConfigError, Redacted } from "effect"

/** Address and credentials of an external S3-compatible server. */
export interface RemoteEndpoint {
  readonly url: URL
  readonly accessKey: Redacted.Redacted<string>
  readonly secretKey: Redacted.Redacted<string>
}

/** Settings of the object store, read by `ObjectStoreConfig.layer` from the environment. */
export class ObjectStoreConfig extends Context.Tag("@pw/storage/ObjectStoreConfig")<
  ObjectStoreConfig,
  {
    /** External server, or `None` to start the embedded one. */
    readonly remote: Option.Option<RemoteEndpoint>
    readonly bucket: string
    readonly region: string
    /** Directory for the embedded server's objects (`<PW_DATA_DIR>/objects`). */
    readonly embeddedDirectory: string
    /** Time limit of each S3 request. An atomic `put` makes up to three. */
    readonly requestTimeout: Duration.Duration
  }
>() {
  /**
   * Reads `S3_ENDPOINT`, `S3_ACCESS_KEY`, `S3_SECRET_KEY`, `S3_BUCKET`,
   * `S3_REGION`, `S3_REQUEST_TIMEOUT` and `PW_DATA_DIR`. The access and
   * secret keys are required only when `S3_ENDPOINT` is set.
   */
  static readonly layer: Layer.Layer<ObjectStoreConfig, ConfigError.ConfigError> = Layer.effect(
    ObjectStoreConfig,
    Effect.gen(function* () {
      const endpoint = yield* Config.option(
        Config.url("S3_ENDPOINT").pipe(
          Config.withDescription(
            "URL of an S3-compatible server, for example http://127.0.0.1:9000. When unset, an embedded server is started."
          )
        )
      )
      const remote = yield* Option.match(endpoint, {
        onNone: () => Effect.succeedNone,
        onSome: (url) =>
          Config.all({
            accessKey: Config.redacted("S3_ACCESS_KEY").pipe(Config.withDescription("Access key ID for S3_ENDPOINT.")),
            secretKey: Config.redacted("S3_SECRET_KEY").pipe(
              Config.withDescription("Secret access key for S3_ENDPOINT.")
            )
          }).pipe(Effect.map((keys) => Option.some({ url, ...keys })))
      })
      const bucket = yield* Config.string("S3_BUCKET").pipe(
        Config.withDefault("documents"),
        Config.withDescription("Bucket for stored documents, created at start if missing.")
      )
      const region = yield* Config.string("S3_REGION").pipe(
        Config.withDefault("us-east-1"),
        Config.withDescription("Region the bucket is created in and requests are signed for.")
      )
      const requestTimeout = yield* Config.duration("S3_REQUEST_TIMEOUT").pipe(
        Config.withDefault(Duration.seconds(30)),
        Config.withDescription(
          'Time limit of each S3 request (read, write, copy, stat, list, delete), for example "30 seconds".'
        )
      )
      const dataDirectory = yield* Config.string("PW_DATA_DIR").pipe(
        Config.withDefault("var"),
        Config.withDescription(
          "Directory for local state. The embedded S3 server stores objects in its objects/ subdirectory."
        )
      )
      return {
        remote,
        bucket,
        region,
        embeddedDirectory: Path.resolve(dataDirectory, "objects"),
        requestTimeout
      }
    })
  )
}
