/**
 * The rules every object key must follow before a request is sent.
 */
import { Effect } from "effect"
import { ObjectStoreError } from "./ObjectStoreErrors.ts"

/** Maximum key length S3 accepts, in bytes of UTF-8. */
export const maximumKeyBytes = 1024

/** Maximum number of characters of a key quoted in an error message. */
const quotedKeyLength = 100

/**
 * Succeeds when `key` is 1 to 1024 bytes of UTF-8, and otherwise fails with
 * `ObjectStoreError` naming `operation` and the key.
 */
export const validate = (operation: string, key: string): Effect.Effect<void, ObjectStoreError> => {
  const bytes = Buffer.byteLength(key, "utf8")
  if (bytes >= 1 && bytes <= maximumKeyBytes) {
    return Effect.void
  }
  const quoted = key.length > quotedKeyLength ? `${key.slice(0, quotedKeyLength)}…` : key
  return Effect.fail(
    new ObjectStoreError({
      operation,
      key,
      message: `Cannot ${operation} key "${quoted}": an object key must be 1 to ${maximumKeyBytes} bytes of UTF-8, and this one has ${bytes}.`,
      cause: undefined
    })
  )
}
