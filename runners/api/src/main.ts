/**
 * Runs the HTTP API as a client-only front end: it hosts no shards and sends
 * every request to the runners through the cluster. Needs `DATABASE_URL`
 * shared with the runner processes.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Database from "@pw/db/Database"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Layer } from "effect"
import * as HttpServer from "./HttpServer.ts"

const ApiLive = HttpServer.layer.pipe(
  Layer.provide(SocketCluster.clientLayer),
  Layer.provide(ObjectStore.layer),
  Layer.provide(Database.layer())
)

Layer.launch(ApiLive).pipe(NodeRuntime.runMain)
