/**
 * The atomic write behind `ObjectStore.put`: upload under a temporary key,
 * copy into place on the server, remove the temporary object.
 */
import * as Crypto from "node:crypto"
import * as Minio from "minio"
import { Clock, Duration, Effect } from "effect"
import type { StoredObject } from "./ObjectStore.ts"
import { ObjectStoreError } from "./ObjectStoreErrors.ts"
import * as ObjectKey from "./ObjectKey.ts"
import type { S3Client } from "./S3Client.ts"
import type { S3Request } from "./S3Request.ts"
import * as TemporaryKey from "./TemporaryKey.ts"

/** User metadata header that carries the SHA-256 hex of the bytes. */
export const checksumHeader = "X-Amz-Meta-Sha256"

/** The store's client, request runner, bucket and time limit, as an atomic put uses them. */
export interface AtomicPutContext {
  readonly client: S3Client
  readonly request: S3Request
  readonly bucket: string
  /** Maximum wait for an abandoned upload to end before its temporary object is removed. */
  readonly requestTimeout: Duration.Duration
}

/** Modification time from a CopyObject result, or `undefined` when the server sent none. */
const copiedAt = (copied: Awaited<ReturnType<S3Client["copyObject"]>>): Date | undefined => {
  const value = "LastModified" in copied ? copied.LastModified : copied.lastModified
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * Stores `bytes` under `key` as described on `ObjectStore.put`. The copy
 * keeps the temporary object's Content-Type and metadata (the default
 * `COPY` metadata directive). The temporary key carries no characters that
 * need escaping, because s3rver and Swift decode `x-amz-copy-source`
 * differently.
 */
export const put = Effect.fn("AtomicPut.put")(function* (
  context: AtomicPutContext,
  key: string,
  bytes: Uint8Array,
  contentType: string
): Effect.fn.Return<StoredObject, ObjectStoreError> {
  const { client, request, bucket, requestTimeout } = context
  yield* ObjectKey.validate("put", key)
  if (TemporaryKey.isTemporary(key)) {
    return yield* new ObjectStoreError({
      operation: "put",
      key,
      message: `Cannot put key "${key}": the prefix ${TemporaryKey.temporaryPrefix} is reserved for temporary uploads. Choose a key outside it.`,
      cause: undefined
    })
  }

  // A Buffer with its size makes the client send one PUT with a
  // Content-Length. For a stream of unknown size it starts a multipart
  // upload, which s3rver 3.7 rejects with NotImplemented.
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const sha256 = Crypto.createHash("sha256").update(body).digest("hex")
  const temporaryKey = yield* TemporaryKey.make(key)

  // Interrupting the fiber does not stop the HTTP request, so the cleanup
  // waits for the upload to end before removing the temporary object.
  // Otherwise a late upload would create the object again. The mask keeps
  // an interruption from landing between the start and the cleanup's setup.
  return yield* Effect.uninterruptibleMask((restore) =>
    Effect.gen(function* () {
      const uploading = yield* Effect.sync(() =>
        client.putObject(bucket, temporaryKey, body, body.byteLength, {
          "Content-Type": contentType,
          [checksumHeader]: sha256
        })
      )
      const uploadEnded = uploading.then(
        () => undefined,
        () => undefined
      )

      const removeTemporary = Effect.promise(() => uploadEnded).pipe(
        Effect.interruptible,
        Effect.timeout(requestTimeout),
        Effect.ignore,
        Effect.zipRight(request("remove temporary", temporaryKey, () => client.removeObject(bucket, temporaryKey))),
        Effect.catchAll((error) =>
          Effect.logWarning("Temporary object not removed").pipe(
            Effect.annotateLogs({ bucket, key, temporaryKey, reason: error.message })
          )
        )
      )

      const uploadAndCopy = Effect.gen(function* () {
        const uploaded = yield* request("put", key, () => uploading)
        const copied = yield* request("copy", key, () =>
          client.copyObject(
            new Minio.CopySourceOptions({ Bucket: bucket, Object: temporaryKey }),
            new Minio.CopyDestinationOptions({ Bucket: bucket, Object: key })
          )
        )
        // s3rver and Swift send the copy's ETag only in the XML body, which the
        // client drops. A copy of a single-part object keeps its MD5 ETag.
        const copiedEtag = "Etag" in copied ? copied.Etag : undefined
        const lastModified = copiedAt(copied) ?? new Date(yield* Clock.currentTimeMillis)
        return {
          size: body.byteLength,
          etag: copiedEtag === undefined || copiedEtag === "" ? uploaded.etag : copiedEtag,
          lastModified,
          contentType,
          sha256
        }
      })
      return yield* restore(uploadAndCopy).pipe(Effect.ensuring(removeTemporary))
    })
  )
})
