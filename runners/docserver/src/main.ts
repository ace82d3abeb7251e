/**
 * Runs a runner process of the `docserver` shard group: document conversion
 * with LibreOffice. Needs `DATABASE_URL` shared with the other processes of
 * the cluster.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Logging from "@pw/runtime/Logging"
import * as Database from "@pw/db/Database"
import { DocumentConverterLive } from "@pw/document-converter/DocumentConverterLive"
import { PdfConverter } from "@pw/documents/PdfConverter"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Effect, Layer } from "effect"

const DocserverLive = DocumentConverterLive.pipe(
  Layer.provide(PdfConverter.layer),
  Layer.provide(SocketCluster.runnerLayer(["docserver"])),
  Layer.provide(ObjectStore.layer),
  Layer.provide(Database.layer())
)

NodeRuntime.runMain(Layer.launch(DocserverLive).pipe(Effect.provide(Logging.layer)), { disablePrettyLogger: true })
