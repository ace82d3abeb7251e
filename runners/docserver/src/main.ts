/**
 * Runs a runner process of the `docserver` shard group: document conversion
 * on the Word worker while its heartbeat is fresh, and on LibreOffice
 * otherwise. Needs `DATABASE_URL` shared with the other processes of the
 * cluster.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Logging from "@pw/runtime/Logging"
import * as Database from "@pw/db/Database"
import { DocumentConverterRunnerLive } from "@pw/document-converter/DocumentConverterLive"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Effect, Layer } from "effect"

const DocserverLive = DocumentConverterRunnerLive.pipe(
  Layer.provide(SocketCluster.runnerLayer(["docserver"])),
  Layer.provide(ObjectStore.layer),
  Layer.provide(Database.layer())
)

NodeRuntime.runMain(Layer.launch(DocserverLive).pipe(Effect.provide(Logging.layer)), { disablePrettyLogger: true })
