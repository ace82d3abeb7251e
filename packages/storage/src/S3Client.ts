/**
 * The MinIO client that `ObjectStore` talks S3 through, on its own
 * keep-alive HTTP agent.
 */
import * as Http from "node:http"
import * as Https from "node:https"
import * as Minio from "minio"
import { Effect, Redacted } from "effect"
import type { Scope } from "effect"
import type { RemoteEndpoint } from "./ObjectStoreConfig.ts"
import { ObjectStoreError } from "./ObjectStoreErrors.ts"

/**
 * The MinIO client calls `S3ObjectStore` makes. A test can hand in a
 * client whose calls fail or hang, to exercise failure paths against a real
 * server.
 */
export type S3Client = Pick<
  Minio.Client,
  | "bucketExists"
  | "makeBucket"
  | "putObject"
  | "copyObject"
  | "getObject"
  | "statObject"
  | "removeObject"
  | "listObjectsV2"
  | "presignedGetObject"
>

/** Error text and S3 error code (such as `NoSuchKey`) of a failure thrown by the MinIO client. */
export const describeCause = (cause: unknown): { readonly text: string; readonly code: string | undefined } => {
  if (cause instanceof Error) {
    const code = "code" in cause && typeof cause.code === "string" ? cause.code : undefined
    return { text: code === undefined ? cause.message : `${code}: ${cause.message}`, code }
  }
  return { text: String(cause), code: undefined }
}

/**
 * Builds a MinIO client for `endpoint`, signing for `region` with path-style
 * addressing, on a keep-alive HTTP agent that is destroyed when the scope
 * closes. Fails with `ObjectStoreError` (operation "connect") when the URL
 * is not a bare http or https origin. Sends no request.
 */
export const connect = Effect.fn("S3Client.connect")(function* (
  endpoint: RemoteEndpoint,
  region: string
): Effect.fn.Return<Minio.Client, ObjectStoreError, Scope.Scope> {
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
        // With the region given, presigning needs no GetBucketLocation request.
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
