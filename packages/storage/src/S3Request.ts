/**
 * One S3 request through the MinIO client, with a time limit and failures
 * as `ObjectStoreError`.
 */
import { Duration, Effect } from "effect"
import { ObjectStoreError } from "./ObjectStoreErrors.ts"
import { describeCause } from "./S3Client.ts"

/** The bucket, server and time limit that every request of one store shares. */
export interface S3RequestSettings {
  readonly bucket: string
  /** Host and port of the server, for messages. */
  readonly server: string
  /** Time limit of one request. */
  readonly requestTimeout: Duration.Duration
}

/**
 * Runs one MinIO call on `key` (or on the bucket when `key` is undefined).
 * `run` gets an `AbortSignal` that fires when the call times out or is
 * interrupted, so that a response stream can be destroyed. Fails with
 * `ObjectStoreError`, carrying the S3 error code when the server sent one.
 */
export type S3Request = <A>(
  operation: string,
  key: string | undefined,
  run: (signal: AbortSignal) => Promise<A>
) => Effect.Effect<A, ObjectStoreError>

/**
 * Returns the `S3Request` for `settings`. The call is interruptible even
 * inside a finalizer, so the time limit also applies to cleanup requests.
 * An interrupted MinIO call is abandoned, not cancelled, unless `run` uses
 * the signal.
 */
export const make = (settings: S3RequestSettings): S3Request => {
  const { bucket, server, requestTimeout } = settings
  return (operation, key, run) => {
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
      Effect.interruptible,
      Effect.timeoutFail({
        duration: requestTimeout,
        onTimeout: () =>
          new ObjectStoreError({
            operation,
            ...keyField,
            message: `S3 ${operation} timed out after ${Duration.format(requestTimeout)} for ${target} on ${server}. Check that the server is reachable, or raise S3_REQUEST_TIMEOUT.`,
            cause: undefined
          })
      })
    )
  }
}
