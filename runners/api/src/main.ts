/**
 * Runs the HTTP API as a client-only front end: it hosts no shards and sends
 * every request to the runners through the cluster. Needs `DATABASE_URL`
 * shared with the runner processes.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Logging from "@pw/runtime/Logging"
import * as Database from "@pw/db/Database"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Effect, Layer } from "effect"
import * as HttpServer from "./HttpServer.ts"

const ApiLive = HttpServer.layer.pipe(
  Layer.provide(SocketCluster.clientLayer),
  Layer.provide(ObjectStore.layer),
  Layer.provide(Database.layer())
)

NodeRuntime.runMain(Layer.launch(ApiLive).pipe(Effect.provide(Logging.layer)), { disablePrettyLogger: true })
