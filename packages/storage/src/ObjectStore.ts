/**
 * Object storage for generated documents, on any S3-compatible server
 * through the MinIO client.
 */
import * as Http from "node:http"
import * as Https from "node:https"
import * as Path from "node:path"
import * as StreamConsumers from "node:stream/consumers"
import * as Minio from "minio"
import { Config, Context, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import type { ConfigError, Scope } from "effect"
import * as EmbeddedObjectStore from "./EmbeddedObjectStore.ts"

/** Maximum time to reach the server and create the bucket when the layer starts. */
const bucketSetupTimeout = Duration.seconds(30)

/** `get` found no object under `key`. */
export class ObjectNotFound extends Schema.TaggedError<ObjectNotFound>()("ObjectNotFound", {
  bucket: Schema.String,
  key: Schema.String,
  message: Schema.String
}) {}

/**
 * An S3 request failed or timed out for a reason other than a missing
 * object: server unreachable, access denied, invalid key, and so on.
 */
export class ObjectStoreError extends Schema.TaggedError<ObjectStoreError>()("ObjectStoreError", {
  operation: Schema.String,
  key: Schema.optional(Schema.String),
  /** S3 error code such as `AccessDenied`, when the server sent one. */
  code: Schema.optional(Schema.String),
  message: Schema.String,
  cause: Schema.Defect
}) {}

/** Size in bytes, entity tag and last modification time of a stored object. */
export interface ObjectStat {
  readonly size: number
  readonly etag: string
  /** Time the server stored the object, by the server's clock. */
  readonly lastModified: Date
}

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
    /** Time limit of each `put`, `get` and `stat` call. */
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
        Config.withDescription('Time limit of each object read, write or stat, for example "30 seconds".')
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

/** Error name and S3 error code of a failure thrown by the MinIO client. */
const describeCause = (cause: unknown): { readonly text: string; readonly code: string | undefined } => {
  if (cause instanceof Error) {
    const code = "code" in cause && typeof cause.code === "string" ? cause.code : undefined
    return { text: code === undefined ? cause.message : `${code}: ${cause.message}`, code }
  }
  return { text: String(cause), code: undefined }
}

/**
 * Builds a MinIO client for `endpoint` on its own keep-alive HTTP agent,
 * which is destroyed when the scope closes.
 */
const makeClient = (endpoint: RemoteEndpoint, region: string) =>
  Effect.gen(function* () {
    const { url } = endpoint
    const useSSL = url.protocol === "https:"
    if (!useSSL && url.protocol !== "http:") {
      return yield* new ObjectStoreError({
        operation: "connect",
        message: `S3_ENDPOINT ${url.href} is invalid: the scheme must be http or https.`,
        cause: undefined
      })
    }
    if (url.pathname !== "/" || url.search !== "") {
      return yield* new ObjectStoreError({
        operation: "connect",
        message: `S3_ENDPOINT ${url.href} is invalid: give only scheme, host and port, without a path or query.`,
        cause: undefined
      })
    }

    const defaultPort = useSSL ? 443 : 80
    const port = url.port === "" ? defaultPort : Number(url.port)
    const agent = yield* Effect.acquireRelease(
      Effect.sync(() => (useSSL ? new Https.Agent({ keepAlive: true }) : new Http.Agent({ keepAlive: true }))),
      (agent) => Effect.sync(() => agent.destroy())
    )
    return yield* Effect.try({
      try: () =>
        new Minio.Client({
          endPoint: url.hostname,
          port,
          useSSL,
          accessKey: Redacted.value(endpoint.accessKey),
          secretKey: Redacted.value(endpoint.secretKey),
          region,
          pathStyle: true,
          transportAgent: agent
        }),
      catch: (cause) =>
        new ObjectStoreError({
          operation: "connect",
          message: `Failed to create the S3 client for ${url.href}: ${describeCause(cause).text}`,
          cause
        })
    })
  })

/** Connects to the configured or embedded server and creates the bucket if missing. */
const make: Effect.Effect<ObjectStore["Type"], ObjectStoreError, ObjectStoreConfig | Scope.Scope> = Effect.gen(
  function* () {
    const config = yield* ObjectStoreConfig
    const { bucket, region, requestTimeout } = config

    const endpoint = yield* Option.match(config.remote, {
      onSome: Effect.succeed,
      onNone: () =>
        EmbeddedObjectStore.start(config.embeddedDirectory).pipe(
          Effect.map((embedded) => ({
            url: embedded.endpoint,
            accessKey: embedded.accessKey,
            secretKey: embedded.secretKey
          })),
          Effect.mapError(
            (error) =>
              new ObjectStoreError({ operation: "start embedded server", message: error.message, cause: error })
          )
        )
    })
    const client = yield* makeClient(endpoint, region)
    const server = endpoint.url.host

    /** Runs one MinIO call with the request time limit, mapping failures to `ObjectStoreError`. */
    const request = <A>(
      operation: string,
      key: string | undefined,
      run: (signal: AbortSignal) => Promise<A>
    ): Effect.Effect<A, ObjectStoreError> => {
      const target = key === undefined ? `bucket "${bucket}"` : `key "${key}" in bucket "${bucket}"`
      const keyField = key === undefined ? {} : { key }
      return Effect.tryPromise({
        try: run,
        catch: (cause) => {
          const { text, code } = describeCause(cause)
          return new ObjectStoreError({
            operation,
            ...keyField,
            ...(code === undefined ? {} : { code }),
            message: `S3 ${operation} failed for ${target} on ${server}: ${text}`,
            cause
          })
        }
      }).pipe(
        Effect.timeoutFail({
          duration: requestTimeout,
          onTimeout: () =>
            new ObjectStoreError({
              operation,
              ...keyField,
              message: `S3 ${operation} timed out after ${Duration.format(requestTimeout)} for ${target} on ${server}`,
              cause: undefined
            })
        })
      )
    }

    yield* request("create bucket", undefined, async () => {
      if (await client.bucketExists(bucket)) {
        return false
      }
      await client.makeBucket(bucket, region)
      return true
    }).pipe(
      Effect.catchIf(
        // Another process created the bucket between the check and the create.
        (error) => error.code === "BucketAlreadyOwnedByYou" || error.code === "BucketAlreadyExists",
        () => Effect.succeed(false)
      ),
      Effect.timeoutFail({
        duration: bucketSetupTimeout,
        onTimeout: () =>
          new ObjectStoreError({
            operation: "create bucket",
            message: `Timed out after ${Duration.format(bucketSetupTimeout)} checking or creating bucket "${bucket}" on ${server}`,
            cause: undefined
          })
      }),
      Effect.tap((created) =>
        created ? Effect.logInfo("Bucket created").pipe(Effect.annotateLogs({ bucket, region })) : Effect.void
      )
    )
    yield* Effect.logInfo("Object store ready").pipe(
      Effect.annotateLogs({
        endpoint: endpoint.url.href,
        bucket,
        embedded: Option.isNone(config.remote)
      })
    )

    const put = Effect.fn("ObjectStore.put")(function* (key: string, bytes: Uint8Array, contentType: string) {
      yield* Effect.annotateCurrentSpan({ key, size: bytes.byteLength })
      // A Buffer with its size makes the client send one PUT with a
      // Content-Length. For a stream of unknown size it starts a multipart
      // upload, which s3rver 3.7 rejects with NotImplemented.
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      const uploaded = yield* request("put", key, () =>
        client.putObject(bucket, key, body, body.byteLength, { "Content-Type": contentType })
      )
      return { size: body.byteLength, etag: uploaded.etag, lastModified: new Date() }
    })

    const get = Effect.fn("ObjectStore.get")(function* (key: string) {
      yield* Effect.annotateCurrentSpan({ key })
      const body = yield* request("get", key, async (signal) => {
        const stream = await client.getObject(bucket, key)
        signal.addEventListener("abort", () => stream.destroy(), { once: true })
        return await StreamConsumers.buffer(stream)
      }).pipe(
        Effect.catchIf(
          (error) => error.code === "NoSuchKey",
          () =>
            new ObjectNotFound({
              bucket,
              key,
              message: `Object "${key}" not found in bucket "${bucket}" on ${server}`
            })
        )
      )
      return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
    })

    const stat = Effect.fn("ObjectStore.stat")(function* (key: string) {
      yield* Effect.annotateCurrentSpan({ key })
      return yield* request("stat", key, () => client.statObject(bucket, key)).pipe(
        Effect.map(
          (item): Option.Option<ObjectStat> =>
            Option.some({ size: item.size, etag: item.etag, lastModified: item.lastModified })
        ),
        // A HEAD response has no body, so a missing object arrives as code NotFound
        // rather than NoSuchKey.
        Effect.catchIf(
          (error) => error.code === "NotFound" || error.code === "NoSuchKey",
          () => Effect.succeedNone
        )
      )
    })

    const remove = Effect.fn("ObjectStore.remove")(function* (key: string) {
      yield* Effect.annotateCurrentSpan({ key })
      // S3 answers DeleteObject with 204 whether or not the key exists.
      yield* request("remove", key, () => client.removeObject(bucket, key))
    })

    const list = Effect.fn("ObjectStore.list")(function* (prefix: string) {
      yield* Effect.annotateCurrentSpan({ prefix })
      return yield* request("list", prefix, async (signal) => {
        const stream = client.listObjectsV2(bucket, prefix, true)
        signal.addEventListener("abort", () => stream.destroy(), { once: true })
        const keys: Array<string> = []
        for await (const item of stream) {
          if (typeof item.name === "string") {
            keys.push(item.name)
          }
        }
        return keys.sort()
      })
    })

    return { put, get, stat, remove, list }
  }
)

/** Stores and reads whole objects by key in one bucket. */
export class ObjectStore extends Context.Tag("@pw/storage/ObjectStore")<
  ObjectStore,
  {
    /**
     * Stores `bytes` under `key` with one PUT request, replacing any object
     * already there, and returns the stored size and entity tag.
     */
    readonly put: (key: string, bytes: Uint8Array, contentType: string) => Effect.Effect<ObjectStat, ObjectStoreError>
    /** Reads the whole object under `key`. */
    readonly get: (key: string) => Effect.Effect<Uint8Array, ObjectNotFound | ObjectStoreError>
    /** Returns size and entity tag of the object under `key`, or `None` when there is none. */
    readonly stat: (key: string) => Effect.Effect<Option.Option<ObjectStat>, ObjectStoreError>
    /** Deletes the object under `key`; succeeds when there is none. */
    readonly remove: (key: string) => Effect.Effect<void, ObjectStoreError>
    /** Returns the keys that start with `prefix`, in all "folders" below it, sorted. */
    readonly list: (prefix: string) => Effect.Effect<ReadonlyArray<string>, ObjectStoreError>
  }
>() {
  /**
   * The object store configured from the environment (see
   * `ObjectStoreConfig.layer`). Without `S3_ENDPOINT` it starts the embedded
   * server on 127.0.0.1, storing objects in `<PW_DATA_DIR>/objects`, and
   * closes it with the layer. Creates the bucket if it is missing.
   */
  static readonly layer: Layer.Layer<ObjectStore, ObjectStoreError | ConfigError.ConfigError> = Layer.scoped(
    ObjectStore,
    make
  ).pipe(Layer.provide(ObjectStoreConfig.layer))
}
