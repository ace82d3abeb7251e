/**
 * A fresh embedded PostgreSQL with every migration applied, in a temporary
 * folder that is removed when the layer is released.
 */
import * as Database from "@pw/db/Database"
import { ConfigProvider, Effect, Layer } from "effect"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** Creates a temporary folder that PostgreSQL's user can traverse; removed with the scope. */
export const temporaryDirectory = (prefix: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const directory = await mkdtemp(join(tmpdir(), prefix))
      await chmod(directory, 0o755)
      return directory
    }),
    (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
  )

/** PgClient and SqlClient over a new embedded server, migrated. */
export const layer = Layer.unwrapScoped(
  Effect.map(temporaryDirectory("pw-test-db-"), (directory) =>
    Database.layer().pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", directory]]))))
    ))
).pipe(Layer.orDie)
