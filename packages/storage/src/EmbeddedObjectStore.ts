/**
 * An in-process S3-compatible server (s3rver) for development and tests,
 * used by `ObjectStore.layer` when `S3_ENDPOINT` is unset.
 *
 * NOTE: s3rver 3.7 checks the access key ID of a signature version 4
 * request and the expiry of a presigned URL, but not the signature itself.
 * It serves a request signed with the wrong secret, and a presigned URL
 * with an altered signature. It listens on 127.0.0.1 only, and the
 * signature checks are tested against OpenStack Swift instead.
 */
import * as Fs from "node:fs/promises"
import S3rver from "s3rver"
import * as S3rverStoreFixes from "./S3rverStoreFixes.ts"
import { Duration, Effect, Redacted, Schema } from "effect"
import type { Scope } from "effect"

/** Maximum time for the server to create its directory and start listening. */
const startTimeout = Duration.seconds(10)

/** Maximum time to wait for open connections to finish when the server closes. */
const closeTimeout = Duration.seconds(5)

/**
 * The credentials s3rver 3.7 checks request signatures against. They are
 * public, which is why the server listens on 127.0.0.1 only.
 */
const s3rverAccessKey = "S3RVER"
const s3rverSecretKey = "S3RVER"

/** A running embedded server: where to reach it and which credentials it accepts. */
export interface EmbeddedObjectStore {
  /** `http://127.0.0.1:<port>`, with a port the operating system picked. */
  readonly endpoint: URL
  readonly accessKey: Redacted.Redacted<string>
  readonly secretKey: Redacted.Redacted<string>
  /** Directory the objects are stored in, one subdirectory per bucket. */
  readonly directory: string
}

/** The embedded server failed to start, for example because its directory is not writable. */
export class EmbeddedObjectStoreError extends Schema.TaggedError<EmbeddedObjectStoreError>()(
  "EmbeddedObjectStoreError",
  {
    directory: Schema.String,
    message: Schema.String,
    cause: Schema.Defect
  }
) {}

/**
 * Starts s3rver on 127.0.0.1 with a free port, storing objects under
 * `directory` (created if missing). Objects written earlier to the same
 * directory are served again. The server closes when the scope closes,
 * waiting at most 5 seconds for open connections. Its request log is off.
 */
export const start = Effect.fn("EmbeddedObjectStore.start")(function* (
  directory: string
): Effect.fn.Return<EmbeddedObjectStore, EmbeddedObjectStoreError, Scope.Scope> {
  const server = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        await Fs.mkdir(directory, { recursive: true })
        const s3rver = new S3rver({
          address: "127.0.0.1",
          port: 0,
          directory,
          silent: true,
          vhostBuckets: false,
          resetOnClose: false
        })
        S3rverStoreFixes.apply(s3rver)
        const address = await s3rver.run()
        return { s3rver, port: address.port }
      },
      catch: (cause) =>
        new EmbeddedObjectStoreError({
          directory,
          message: `Failed to start the embedded S3 server on 127.0.0.1 with data directory ${directory}: ${String(cause)}`,
          cause
        })
    }).pipe(
      Effect.timeoutFail({
        duration: startTimeout,
        onTimeout: () =>
          new EmbeddedObjectStoreError({
            directory,
            message: `Timed out after ${Duration.format(startTimeout)} starting the embedded S3 server with data directory ${directory}`,
            cause: undefined
          })
      })
    ),
    ({ s3rver, port }) =>
      Effect.tryPromise(() => s3rver.close()).pipe(
        // Interruptible, because a finalizer is not, and the timeout must still apply.
        Effect.interruptible,
        Effect.timeout(closeTimeout),
        Effect.tap(() => Effect.logDebug("Embedded S3 server closed")),
        Effect.catchAll((error) => Effect.logWarning("Embedded S3 server did not close cleanly", error)),
        Effect.annotateLogs({ port, directory })
      )
  )

  const endpoint = new URL(`http://127.0.0.1:${server.port}`)
  yield* Effect.logInfo("Embedded S3 server started").pipe(Effect.annotateLogs({ endpoint: endpoint.href, directory }))
  return {
    endpoint,
    accessKey: Redacted.make(s3rverAccessKey),
    secretKey: Redacted.make(s3rverSecretKey),
    directory
  }
})
