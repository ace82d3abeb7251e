/**
 * The public catalog tools: `list_services`, `describe_service` and `quote`.
 * They read the catalog and pricing in code and need no database.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { QuoteRequest } from "@pw/api/Api"
import { findService, Service, services } from "@pw/domain/Catalog"
import * as Pricing from "@pw/domain/Pricing"
import { Quote } from "@pw/domain/Quote"
import { Effect, Schema } from "effect"
import { z } from "zod"
import { decodeInput, jsonResult, makeRunner, ToolFailure } from "./ToolResult.ts"

const encodeServices = Schema.encodeSync(Schema.Array(Service))
const encodeService = Schema.encodeSync(Service)
const encodeQuote = Schema.encodeSync(Quote)

/** Input shape of one ordered item, shared by `quote` and `create_order`. */
export const itemShape = z.object({
  service: z.string().describe("Service slug from list_services, such as cpni-certification"),
  quantity: z.number().int().optional().describe("How many, at least 1; default 1"),
  state: z.string().optional().describe("Two-letter US state code, required by the per-state services such as foreign-qualification-single")
})

/** Input of the payment method, shared by `quote` and `create_order`. */
export const paymentMethodInput = z.enum(["card", "ach", "klarna", "paypal", "crypto"])
  .describe("How the customer pays; it sets the surcharge: card 3 %, ach 0 %, klarna 6 %, paypal 3 %, crypto 0 %")

const serviceOutput = z.object({ slug: z.string(), name: z.string(), kind: z.string() }).passthrough()

/** Registers the catalog tools on `server`. */
export const register = Effect.fn("CatalogTools.register")(function*(server: McpServer) {
  const run = makeRunner(yield* Effect.runtime<never>())

  server.registerTool("list_services", {
    title: "List services",
    description: "Lists every service Performance West sells: slug, name, kind, price model (USD cents) and description.",
    outputSchema: z.object({ services: z.array(serviceOutput) }).passthrough(),
    annotations: { readOnlyHint: true, openWorldHint: false }
  }, () => run("list_services", Effect.succeed(jsonResult({ services: encodeServices(services) }))))

  server.registerTool("describe_service", {
    title: "Describe a service",
    description: "Returns one service of the catalog by its slug.",
    inputSchema: { slug: z.string().describe("Service slug, such as cpni-certification") },
    outputSchema: z.object({ service: serviceOutput }).passthrough(),
    annotations: { readOnlyHint: true, openWorldHint: false }
  }, ({ slug }) =>
    run("describe_service", Effect.gen(function*() {
      const service = findService(slug)
      if (service === undefined) {
        return yield* new ToolFailure({ message: `unknown service ${JSON.stringify(slug)}; list_services lists the valid slugs` })
      }
      return jsonResult({ service: encodeService(service) })
    })))

  server.registerTool("quote", {
    title: "Price services",
    description: "Prices services for a payment method: service fees, state fees, the 15 % multi-service discount and the payment surcharge, in USD cents.",
    inputSchema: { items: z.array(itemShape).describe("The services to price, at least one"), paymentMethod: paymentMethodInput },
    outputSchema: z.object({ total: z.number(), currency: z.string() }).passthrough(),
    annotations: { readOnlyHint: true, openWorldHint: false }
  }, (input) =>
    run("quote", Effect.gen(function*() {
      const request = yield* decodeInput(QuoteRequest, input)
      const quote = yield* Pricing.quote(request.items, request.paymentMethod).pipe(
        Effect.mapError((error) => new ToolFailure({ message: `${error.field}: ${error.message}` }))
      )
      return jsonResult({ ...encodeQuote(quote) })
    })))
})
