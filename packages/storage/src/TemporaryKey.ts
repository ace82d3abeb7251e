/**
 * Keys of the temporary objects an atomic `put` uploads before copying them
 * into place. They all live under one reserved prefix, so that leftovers of
 * a killed process can be listed in one call and never appear in the
 * listing of a regular prefix.
 */
import * as Crypto from "node:crypto"
import { Effect } from "effect"

/** The reserved prefix of temporary objects. `put` rejects keys under it. */
export const temporaryPrefix = ".tmp_/"

/** Maximum number of characters of the target's base name kept in a temporary key, for reading logs. */
const maximumBaseNameLength = 64

/** True when `key` is under the reserved temporary prefix. */
export const isTemporary = (key: string): boolean => key.startsWith(temporaryPrefix)

/**
 * A fresh temporary key for an upload to `key`:
 * `.tmp_/<32 random hex digits>_<base name>`, where the base name is the
 * last 64 characters of the last path segment of `key`, with every character
 * other than ASCII letters, digits, `.`, `-` and `_` replaced by `_`. The
 * key thus needs no escaping in an `x-amz-copy-source` header, which S3
 * servers decode differently.
 */
export const make = (key: string): Effect.Effect<string> =>
  Effect.sync(() => {
    const baseName = (key.split("/").pop() ?? "")
      .slice(-maximumBaseNameLength)
      .replace(/[^A-Za-z0-9._-]/g, "_")
    return `${temporaryPrefix}${Crypto.randomBytes(16).toString("hex")}_${baseName}`
  })
