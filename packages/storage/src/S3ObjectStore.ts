/**
 * The `ObjectStore` service on one bucket of an S3-compatible server,
 * built from a MinIO client.
 */
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import * as StreamConsumers from "node:stream/consumers"
import { Duration, Effect, Option } from "effect"
import * as AtomicPut from "./AtomicPut.ts"
import type { ObjectStat, ObjectStore, PresignGetOptions } from "./ObjectStore.ts"
import { ObjectChecksumMismatch, ObjectNotFound, ObjectStoreError } from "./ObjectStoreErrors.ts"
import * as ObjectKey from "./ObjectKey.ts"
import * as PresignedGet from "./PresignedGet.ts"
import type { S3Client } from "./S3Client.ts"
import * as S3Request from "./S3Request.ts"
import * as TemporaryKey from "./TemporaryKey.ts"

/** Maximum time to reach the server and create the bucket. */
const bucketSetupTimeout = Duration.seconds(30)

/** Content type S3 reports for an object stored without one. */
const defaultContentType = "application/octet-stream"

/** Bucket, region, server and request time limit of one store. */
export interface S3ObjectStoreSettings {
  readonly bucket: string
  /** Region a missing bucket is created in. */
  readonly region: string
  /** Time limit of each S3 request. */
  readonly requestTimeout: Duration.Duration
  /** Host and port of the server, for messages. */
  readonly server: string
}

/** The `x-amz-meta-sha256` value as lowercase hex, when it is one. */
const checksumValue = (value: unknown): string | undefined =>
  typeof value === "string" && /^[0-9a-fA-F]{64}$/.test(value) ? value.toLowerCase() : undefined

/**
 * Creates the bucket when it is missing (within 30 seconds) and returns the
 * store on it. Every operation is one or more requests through `client`,
 * each limited to `requestTimeout`. Tests pass a client whose calls fail to
 * exercise the failure paths.
 */
export const make = Effect.fn("S3ObjectStore.make")(function* (
  client: S3Client,
  settings: S3ObjectStoreSettings
): Effect.fn.Return<ObjectStore["Type"], ObjectStoreError> {
  const { bucket, region, requestTimeout, server } = settings
  const request = S3Request.make({ bucket, server, requestTimeout })

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

  const put = Effect.fn("ObjectStore.put")(function* (key: string, bytes: Uint8Array, contentType: string) {
    yield* Effect.annotateCurrentSpan({ key, size: bytes.byteLength })
    return yield* AtomicPut.put({ client, request, bucket, requestTimeout }, key, bytes, contentType)
  })

  const get = Effect.fn("ObjectStore.get")(function* (key: string) {
    yield* Effect.annotateCurrentSpan({ key })
    yield* ObjectKey.validate("get", key)
    const { body, expected } = yield* request("get", key, async (signal) => {
      const stream = await client.getObject(bucket, key)
      signal.addEventListener("abort", () => stream.destroy(), { once: true })
      const header = stream instanceof Http.IncomingMessage ? stream.headers["x-amz-meta-sha256"] : undefined
      return { body: await StreamConsumers.buffer(stream), expected: checksumValue(header) }
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
    if (expected !== undefined) {
      const actual = Crypto.createHash("sha256").update(body).digest("hex")
      if (actual !== expected) {
        return yield* new ObjectChecksumMismatch({
          bucket,
          key,
          expected,
          actual,
          message: `Object "${key}" in bucket "${bucket}" on ${server} has SHA-256 ${actual}, but was stored with ${expected}: it was changed outside this store or corrupted. Write it again with put.`
        })
      }
    }
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  })

  const stat = Effect.fn("ObjectStore.stat")(function* (key: string) {
    yield* Effect.annotateCurrentSpan({ key })
    yield* ObjectKey.validate("stat", key)
    return yield* request("stat", key, () => client.statObject(bucket, key)).pipe(
      Effect.map((item): Option.Option<ObjectStat> => {
        const contentType = item.metaData["content-type"]
        const sha256 = checksumValue(item.metaData["sha256"])
        return Option.some({
          size: item.size,
          etag: item.etag,
          lastModified: item.lastModified,
          contentType: typeof contentType === "string" ? contentType : defaultContentType,
          ...(sha256 === undefined ? {} : { sha256 })
        })
      }),
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
    yield* ObjectKey.validate("remove", key)
    // S3 returns 204 for DeleteObject whether or not the key exists.
    yield* request("remove", key, () => client.removeObject(bucket, key))
  })

  const list = Effect.fn("ObjectStore.list")(function* (prefix: string) {
    yield* Effect.annotateCurrentSpan({ prefix })
    const withTemporary = TemporaryKey.isTemporary(prefix)
    return yield* request("list", prefix, async (signal) => {
      const stream = client.listObjectsV2(bucket, prefix, true)
      signal.addEventListener("abort", () => stream.destroy(), { once: true })
      const keys: Array<string> = []
      for await (const item of stream) {
        if (typeof item.name === "string" && (withTemporary || !TemporaryKey.isTemporary(item.name))) {
          keys.push(item.name)
        }
      }
      return keys.sort()
    })
  })

  const presignGet = Effect.fn("ObjectStore.presignGet")(function* (key: string, options: PresignGetOptions) {
    yield* Effect.annotateCurrentSpan({ key })
    yield* ObjectKey.validate("presign get", key)
    const seconds = yield* PresignedGet.expirySeconds(key, options.expiresIn)
    const fileName = options.downloadFileName
    if (fileName !== undefined && fileName.trim() === "") {
      return yield* new ObjectStoreError({
        operation: "presign get",
        key,
        message: `Cannot presign a download of "${key}" with a blank downloadFileName. Give a file name such as "certification.pdf", or leave it out.`,
        cause: undefined
      })
    }
    const responseHeaders =
      fileName === undefined ? {} : { "response-content-disposition": PresignedGet.attachmentDisposition(fileName) }
    // Signing is local: the client has its region and sends no request.
    return yield* request("presign get", key, () => client.presignedGetObject(bucket, key, seconds, responseHeaders))
  })

  return { put, get, stat, remove, list, presignGet }
})
