/**
 * The typed failures of `ObjectStore` operations.
 */
import { Schema } from "effect"

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

/**
 * `get` read bytes whose SHA-256 differs from the one `put` stored with the
 * object: the object was changed by another tool or corrupted on the server.
 */
export class ObjectChecksumMismatch extends Schema.TaggedError<ObjectChecksumMismatch>()("ObjectChecksumMismatch", {
  bucket: Schema.String,
  key: Schema.String,
  /** SHA-256 hex from the object's `x-amz-meta-sha256` metadata. */
  expected: Schema.String,
  /** SHA-256 hex of the bytes read. */
  actual: Schema.String,
  message: Schema.String
}) {}

/** `presignGet` was asked for a link lifetime outside what S3 signature version 4 allows. */
export class PresignExpiryOutOfRange extends Schema.TaggedError<PresignExpiryOutOfRange>()(
  "PresignExpiryOutOfRange",
  {
    key: Schema.String,
    /** The requested lifetime, formatted, for example "10d". */
    expiresIn: Schema.String,
    /** Shortest allowed lifetime, formatted. */
    minimum: Schema.String,
    /** Longest allowed lifetime, formatted. */
    maximum: Schema.String,
    message: Schema.String
  }
) {}
