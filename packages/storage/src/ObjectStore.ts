/**
 * Object storage for generated documents, on any S3-compatible server
 * through the MinIO client: atomic writes, SHA-256 checksums and presigned
 * download links.
 */
import { Context, Effect, Layer, Option } from "effect"
import type { ConfigError, Duration } from "effect"
import * as EmbeddedObjectStore from "./EmbeddedObjectStore.ts"
import { ObjectStoreConfig } from "./ObjectStoreConfig.ts"
import {
  type ObjectChecksumMismatch,
  type ObjectNotFound,
  ObjectStoreError,
  type PresignExpiryOutOfRange
} from "./ObjectStoreErrors.ts"
import * as S3Client from "./S3Client.ts"
import * as S3ObjectStore from "./S3ObjectStore.ts"

export { ObjectStoreConfig, type RemoteEndpoint } from "./ObjectStoreConfig.ts"
export {
  ObjectChecksumMismatch,
  ObjectNotFound,
  ObjectStoreError,
  PresignExpiryOutOfRange
} from "./ObjectStoreErrors.ts"

/** Size, entity tag, modification time, content type and checksum of a stored object. */
export interface ObjectStat {
  readonly size: number
  readonly etag: string
  /** Time the server stored the object, by the server's clock. */
  readonly lastModified: Date
  /** The `Content-Type` the object was stored with. */
  readonly contentType: string
  /**
   * SHA-256 of the bytes as 64 lowercase hex digits, from the object's
   * `x-amz-meta-sha256` metadata. Absent on objects that another tool wrote.
   */
  readonly sha256?: string
}

/** Description of an object that `put` stored, always with its SHA-256. */
export interface StoredObject extends ObjectStat {
  readonly sha256: string
}

/** Lifetime and download name of a presigned link. */
export interface PresignGetOptions {
  /** How long the link works: a whole number of seconds from 1 second to 7 days. */
  readonly expiresIn: Duration.DurationInput
  /**
   * File name the browser saves the download as, sent back by the server as
   * `Content-Disposition: attachment`. Without it the server sends none.
   */
  readonly downloadFileName?: string
}

/** Stores and reads whole objects by key in one bucket. */
export class ObjectStore extends Context.Tag("@pw/storage/ObjectStore")<
  ObjectStore,
  {
    /**
     * Stores `bytes` under `key` with `contentType`, replacing any object
     * already there, and returns what was stored, with the SHA-256 of the
     * bytes (also kept as `x-amz-meta-sha256`). The write is atomic: the
     * bytes go to a temporary key under `.tmp_/`, are copied into place with
     * a server-side copy, and the temporary object is removed, so a reader
     * of `key` gets the old object or the new one, never part of one. When
     * the call fails or is interrupted before the copy is sent, `key` is
     * unchanged. Interrupted while the copy runs, `key` contains the old or
     * the whole new object. The temporary object is removed in every case
     * (best effort: a failure to remove it is logged, not returned). Keys
     * under `.tmp_/` are rejected. A process killed mid-put can leave a
     * temporary object behind, which `list(".tmp_/")` shows.
     */
    readonly put: (key: string, bytes: Uint8Array, contentType: string) => Effect.Effect<StoredObject, ObjectStoreError>
    /**
     * Reads the whole object under `key`. When it carries a SHA-256, the
     * bytes are checked against it and a difference fails with
     * `ObjectChecksumMismatch`.
     */
    readonly get: (key: string) => Effect.Effect<Uint8Array, ObjectNotFound | ObjectChecksumMismatch | ObjectStoreError>
    /** Returns what is known about the object under `key`, or `None` when there is none. */
    readonly stat: (key: string) => Effect.Effect<Option.Option<ObjectStat>, ObjectStoreError>
    /** Deletes the object under `key`, and succeeds when there is none. */
    readonly remove: (key: string) => Effect.Effect<void, ObjectStoreError>
    /**
     * Returns the keys that start with `prefix`, in all "folders" below it,
     * sorted. Temporary objects of uploads in progress are left out unless
     * `prefix` itself starts with `.tmp_/`.
     */
    readonly list: (prefix: string) => Effect.Effect<ReadonlyArray<string>, ObjectStoreError>
    /**
     * Returns a URL that downloads the object under `key` with a plain HTTP
     * GET, without credentials, until `expiresIn` has passed (counted from
     * the current second). Signing sends no request, so a missing object is
     * found only when the URL is fetched (404). The URL names the configured
     * endpoint's host, so it works for clients that reach that host.
     */
    readonly presignGet: (
      key: string,
      options: PresignGetOptions
    ) => Effect.Effect<string, PresignExpiryOutOfRange | ObjectStoreError>
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
    Effect.gen(function* () {
      const config = yield* ObjectStoreConfig
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
      const client = yield* S3Client.connect(endpoint, config.region)
      const store = yield* S3ObjectStore.make(client, {
        bucket: config.bucket,
        region: config.region,
        requestTimeout: config.requestTimeout,
        server: endpoint.url.host
      })
      yield* Effect.logInfo("Object store ready").pipe(
        Effect.annotateLogs({
          endpoint: endpoint.url.href,
          bucket: config.bucket,
          embedded: Option.isNone(config.remote)
        })
      )
      return store
    })
  ).pipe(Layer.provide(ObjectStoreConfig.layer))
}
