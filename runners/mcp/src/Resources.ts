/**
 * The MCP server's resources: `catalog://services`, the service catalog, and
 * `jurisdictions://all`, the US and Canadian jurisdictions with their fees
 * and annual filing rules. Both are JSON built from data in code.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { Service, services } from "@pw/domain/Catalog"
import { jurisdictions, JurisdictionsJson } from "@pw/domain/compliance/Jurisdictions"
import { Effect, Schema } from "effect"

const encodeServices = Schema.encodeSync(Schema.Array(Service))
const encodeJurisdictions = Schema.encodeSync(JurisdictionsJson)

/** Registers both resources on `server`. */
export const register = Effect.fn("Resources.register")(function*(server: McpServer) {
  const catalogText = JSON.stringify({ services: encodeServices(services) }, null, 2)
  const jurisdictionsText = encodeJurisdictions(jurisdictions)

  server.registerResource("catalog", "catalog://services", {
    title: "Service catalog",
    description: "Every service with its slug, kind, price model (USD cents) and description",
    mimeType: "application/json"
  }, (uri) => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: catalogText }] }))

  server.registerResource("jurisdictions", "jurisdictions://all", {
    title: "Jurisdictions",
    description: "US states, territories and Canadian provinces: codes, time zones, LLC fees in cents and annual filing rules, each with its source",
    mimeType: "application/json"
  }, (uri) => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: jurisdictionsText }] }))
  yield* Effect.logDebug("MCP resources registered")
})
