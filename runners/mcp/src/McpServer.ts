/**
 * The MCP server over stdio: every tool and resource registered, served
 * until the client closes stdin or the process is interrupted.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import type { SqlClient } from "@effect/sql"
import type { OrderIntake } from "@pw/api-runner/OrderIntake"
import type { FccComplianceCheck } from "@pw/fcc-check/FccComplianceCheck"
import type { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Option } from "effect"
import * as CatalogTools from "./CatalogTools.ts"
import { resolveKeyHolder } from "./CustomerKey.ts"
import * as CustomerTools from "./CustomerTools.ts"
import * as FccCheckTool from "./FccCheckTool.ts"
import * as OrderTools from "./OrderTools.ts"
import * as Resources from "./Resources.ts"

/** Name and version the server reports in `initialize`. */
export const serverInfo = { name: "performance-west", version: "1.0.0" } as const

/** Time the transport gets to close at shutdown. */
const closeTimeout = Duration.seconds(5)

/** Succeeds once stdin ends or the transport closes, whichever comes first. */
const awaitClientGone = (server: McpServer) =>
  Effect.async<void>((resume) => {
    let waiting = true
    const done = () => {
      if (waiting) resume(Effect.void)
      waiting = false
    }
    process.stdin.once("end", done)
    process.stdin.once("close", done)
    server.server.onclose = done
    return Effect.sync(() => {
      waiting = false
      process.stdin.off("end", done)
      process.stdin.off("close", done)
    })
  })

/**
 * Registers the tools (the customer's too when `PW_API_KEY` names a valid
 * key) and resources, connects stdio and serves until the client is gone.
 */
export const serve: Effect.Effect<
  void,
  never,
  OrderIntake | FccComplianceCheck | SqlClient.SqlClient | PgClient.PgClient
> = Effect.gen(function*() {
  const server = new McpServer(serverInfo, {
    instructions:
      "Performance West sells US and Canadian telecom compliance filings. Use list_services, quote and check_fcc_compliance " +
      "to find what a carrier needs; create_order returns a checkoutUrl that a person opens to pay."
  })
  yield* CatalogTools.register(server)
  yield* FccCheckTool.register(server)
  yield* OrderTools.register(server)
  yield* Resources.register(server)
  const holder = yield* resolveKeyHolder
  if (Option.isSome(holder)) yield* CustomerTools.register(server, holder.value)

  yield* Effect.acquireRelease(
    Effect.promise(() => server.connect(new StdioServerTransport())),
    () => Effect.promise(() => server.close()).pipe(Effect.timeout(closeTimeout), Effect.ignore)
  )
  yield* Effect.annotateLogs(Effect.logInfo("MCP server listening on stdio"), {
    customerId: Option.match(holder, { onNone: () => "none", onSome: (found) => found.customerId })
  })
  yield* awaitClientGone(server)
  yield* Effect.logInfo("MCP client closed stdin; stopping")
}).pipe(Effect.scoped, Effect.orDie)
