/**
 * Runs the MCP server on stdio (`npx pw-mcp`). It attaches to the running
 * platform's PostgreSQL (DATABASE_URL, or the embedded server of `npm start`
 * in PW_DATA_DIR) and joins its cluster as a client that hosts no shards.
 * Orders reach the Order entity as persisted messages. Stdout carries only
 * protocol messages, and every log line goes to stderr.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Secrets from "@pw/api-runner/Secrets"
import { OrderIntake } from "@pw/api-runner/OrderIntake"
import { attachLayer } from "@pw/db/RunningEmbeddedPostgres"
import * as FccComplianceCheckLive from "@pw/fcc-check/FccComplianceCheckLive"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { Cause, Effect, Layer } from "effect"
import * as McpServer from "./McpServer.ts"
import * as StderrLogging from "./StderrLogging.ts"

const ServicesLive = Layer.mergeAll(
  OrderIntake.layer.pipe(Layer.provide(Secrets.layer), Layer.provide(SocketCluster.clientLayer)),
  FccComplianceCheckLive.layer
).pipe(Layer.provideMerge(attachLayer))

const program = McpServer.serve.pipe(
  Effect.provide(ServicesLive),
  Effect.tapErrorCause((cause) =>
    Cause.isInterruptedOnly(cause)
      ? Effect.void
      : Effect.annotateLogs(Effect.logError("MCP server stopped on an error"), {
        reason: Cause.pretty(cause, { renderErrorCause: false }).split("\n")[0] ?? "unknown"
      })
  ),
  Effect.provide(StderrLogging.layer)
)

// Errors are logged above through the stderr logger; the default report would go to stdout.
NodeRuntime.runMain(program, { disableErrorReporting: true, disablePrettyLogger: true })
