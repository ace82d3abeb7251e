/**
 * The SHA-256 of a file, read as a stream, so that re-importing an
 * unchanged file can be recognised without parsing it.
 */
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
import { FileUnreadable } from "./ReadResult.ts"

/** Hex SHA-256 of the file at `path`; fails with {@link FileUnreadable} when it cannot be read. */
export const sha256OfFile = Effect.fn("FileDigest.sha256OfFile")((path: string) =>
  Effect.async<string, FileUnreadable>((resume) => {
    const hash = createHash("sha256")
    const stream = createReadStream(path)
    stream.on("data", (chunk) => hash.update(chunk))
    stream.on("error", (error) => resume(Effect.fail(new FileUnreadable({ file: path, message: `cannot read the file: ${error.message}` }))))
    stream.on("end", () => resume(Effect.succeed(hash.digest("hex"))))
    return Effect.sync(() => stream.destroy())
  })
)
