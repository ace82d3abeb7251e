import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { Effect, Layer } from "effect"
import * as EmbeddedObjectStore from "../src/EmbeddedObjectStore.ts"
import { ContractServer, objectStoreContract } from "./support/ObjectStoreContract.ts"

/** s3rver in a fresh temporary directory, removed after the file's tests. */
const EmbeddedServer = Layer.scoped(
  ContractServer,
  Effect.gen(function* () {
    const directory = yield* Effect.acquireRelease(
      Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-storage-contract-"))),
      (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
    )
    return yield* EmbeddedObjectStore.start(directory)
  })
)

// NOTE: s3rver does not check signature version 4 signatures, so the
// tampered-signature case is skipped here and runs against Swift.
objectStoreContract("ObjectStore on embedded s3rver", EmbeddedServer, { verifiesSignatures: false })
