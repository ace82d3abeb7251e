/**
 * Runs a runner process of the `docserver` shard group: document conversion
 * on the Word worker while its heartbeat is fresh, and on LibreOffice
 * otherwise. Needs `DATABASE_URL` shared with the other processes of the
 * cluster.
 */
import { DocumentConverterRunnerLive } from "@pw/document-converter/DocumentConverterLive"
import * as RunnerProgram from "@pw/runtime/RunnerProgram"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Layer } from "effect"

const DocserverLive = DocumentConverterRunnerLive.pipe(Layer.provide(ObjectStore.layer))

RunnerProgram.runMain({ name: "docserver", groups: ["docserver"], opsPort: 9465 }, DocserverLive)
