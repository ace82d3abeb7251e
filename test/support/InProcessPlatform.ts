/**
 * The whole application in the test process: the entities, the workflows and
 * the HTTP API over the single-process cluster, on a fresh embedded
 * PostgreSQL (`TestDatabase.ts`) and the embedded object store, serving on a
 * free port of 127.0.0.1.
 *
 * `ApplicationLive` in `runners/platform/src/Platform.ts` keeps the HTTP
 * server inside, so the bound port cannot be read from it. This module
 * composes the same parts (`EntitiesLive`, and the server as
 * `runners/api/src/HttpServer.ts` builds it) but keeps `HttpServer` in the
 * output. The server listens on port 0 given directly, not through
 * `HttpConfig`: `Config.port` rejects `PW_HTTP_PORT=0`.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import * as HttpServerLive from "@pw/api-runner/HttpServer"
import { EntitiesLive } from "@pw/platform/Platform"
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { ConfigProvider, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { createServer } from "node:http"
import * as TestDatabase from "./TestDatabase.ts"

/** The staff key the application accepts in `X-Staff-Key`. */
export const staffApiKey = "http-test-staff-key"

/** The key that signs access tokens and download links. */
export const signingSecret = Redacted.make("http-test-signing-secret-of-at-least-32-bytes")

/** The HTTP server of `runners/api/src/HttpServer.ts`, with `HttpServer` in the output. */
const HttpLive = HttpServerLive.served.pipe(
  Layer.provideMerge(NodeHttpServer.layer(createServer, { host: "127.0.0.1", port: 0 }))
)

/** The application with its HTTP server, database client and object store, in a temporary data folder. */
export const layer = Layer.unwrapScoped(
  Effect.map(TestDatabase.temporaryDirectory("pw-http-test-"), (dataDirectory) =>
    Layer.mergeAll(EntitiesLive, HttpLive).pipe(
      Layer.provideMerge(SingleProcessCluster.layer()),
      Layer.provideMerge(ObjectStore.layer),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
        new Map([
          ["PW_DATA_DIR", dataDirectory],
          ["STAFF_API_KEY", staffApiKey],
          ["PW_SIGNING_SECRET", Redacted.value(signingSecret)]
        ])
      ))),
      // TestDatabase sets a config provider with only PW_DATA_DIR, and it stays
      // in force for the layers built after it. So the database is built first.
      Layer.provideMerge(TestDatabase.layer)
    ))
).pipe(Layer.orDie)

/** Rows in each domain table. */
export interface DomainRowCounts {
  readonly orders: number
  readonly order_payments: number
  readonly order_documents: number
  readonly audit_events: number
  readonly carriers: number
}

/** Counts the rows of every domain table in one statement. */
export const domainRowCounts = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<DomainRowCounts>`
    SELECT
      (SELECT count(*)::int FROM orders) AS orders,
      (SELECT count(*)::int FROM order_payments) AS order_payments,
      (SELECT count(*)::int FROM order_documents) AS order_documents,
      (SELECT count(*)::int FROM audit_events) AS audit_events,
      (SELECT count(*)::int FROM carriers) AS carriers
  `.pipe(Effect.flatMap((rows) => Effect.fromNullable(rows[0])))
).pipe(Effect.orDie)

/** One order's row and the number of rows that refer to it. */
export interface OrderRows {
  readonly status: string
  readonly updated_at: string
  readonly payments: number
  readonly documents: number
  readonly audit_events: number
}

/** Reads an order's status, last change and dependent row counts. */
export const orderRows = (orderId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<OrderRows>`
      SELECT
        o.status,
        o.updated_at::text AS updated_at,
        (SELECT count(*)::int FROM order_payments WHERE order_id = o.id) AS payments,
        (SELECT count(*)::int FROM order_documents WHERE order_id = o.id) AS documents,
        (SELECT count(*)::int FROM audit_events WHERE entity_type = 'Order' AND entity_id = o.id) AS audit_events
      FROM orders o WHERE o.id = ${orderId}
    `.pipe(Effect.flatMap((rows) => Effect.fromNullable(rows[0])))
  ).pipe(Effect.orDie)

/** A running application. */
export interface InProcessPlatform {
  /** Such as `http://127.0.0.1:40123`. */
  readonly baseUrl: string
  /** Runs an effect against the application's services, such as a query. */
  readonly run: <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) => Promise<A>
  /** Stops the server, the cluster, the object store and PostgreSQL, and removes the data folder. */
  readonly dispose: () => Promise<void>
}

/** Builds {@link layer} and reads the port the server bound. */
export const start = async (): Promise<InProcessPlatform> => {
  const runtime = ManagedRuntime.make(layer)
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address)).catch(
    async (error: unknown) => {
      await runtime.dispose()
      throw error
    }
  )
  if (address._tag !== "TcpAddress") {
    await runtime.dispose()
    throw new Error(`expected a TCP address, got ${address._tag}`)
  }
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    run: (effect) => runtime.runPromise(effect),
    dispose: () => runtime.dispose()
  }
}
