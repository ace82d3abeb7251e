/**
 * Runs the HTTP API as a client-only front end: it hosts no shards and sends
 * every request to the runners through the cluster. Needs `DATABASE_URL`
 * shared with the runner processes.
 */
import * as RunnerProgram from "@pw/runtime/RunnerProgram"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Layer } from "effect"
import * as HttpServer from "./HttpServer.ts"

const ApiLive = HttpServer.layer.pipe(Layer.provide(ObjectStore.layer))

RunnerProgram.runClientMain({ name: "api", opsPort: 9466 }, ApiLive)
