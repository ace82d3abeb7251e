/**
 * Order ids, customer access tokens and signed download links.
 *
 * An access token is an HMAC of the order id under the signing key, so a
 * retried `POST /v1/orders` with the same Idempotency-Key gets the same token
 * back. The order stores only its SHA-256.
 */
import { Redacted } from "effect"
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"

const base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567"

const base32 = (bytes: Uint8Array, length: number): string => {
  let output = ""
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5 && output.length < length) {
      output += base32Alphabet[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return output
}

/** A new order id; with an idempotency key, the same key always gives the same id. */
export const makeOrderId = (idempotencyKey: string | undefined): string =>
  idempotencyKey === undefined
    ? `ord_${base32(randomBytes(16), 20)}`
    : `ord_${base32(createHash("sha256").update(`idempotency-key:${idempotencyKey}`).digest(), 20)}`

/** Hex SHA-256 of a string. */
export const sha256Hex = (value: string): string => createHash("sha256").update(value).digest("hex")

/** The customer's access token of an order. */
export const accessToken = (signingKey: Redacted.Redacted<string>, orderId: string): string =>
  createHmac("sha256", Redacted.value(signingKey)).update(`access-token:${orderId}`).digest("base64url")

const equalText = (left: string, right: string): boolean => {
  const a = Buffer.from(left)
  const b = Buffer.from(right)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Whether `presented` hashes to the order's stored token hash, compared in constant time. */
export const matchesTokenHash = (presented: string, storedHash: string): boolean =>
  equalText(sha256Hex(presented), storedHash)

/** Signature of a download link for one document until `expires` (Unix seconds). */
export const downloadSignature = (
  signingKey: Redacted.Redacted<string>,
  orderId: string,
  documentId: string,
  expires: number
): string =>
  createHmac("sha256", Redacted.value(signingKey)).update(`download:${orderId}:${documentId}:${expires}`).digest("base64url")

/** Whether `signature` signs this document's link until `expires`. */
export const verifyDownloadSignature = (
  signingKey: Redacted.Redacted<string>,
  orderId: string,
  documentId: string,
  expires: number,
  signature: string
): boolean => equalText(downloadSignature(signingKey, orderId, documentId, expires), signature)

/** Whether two secrets are equal, compared in constant time. */
export const equalSecrets = (presented: string, expected: Redacted.Redacted<string>): boolean =>
  equalText(presented, Redacted.value(expected))
