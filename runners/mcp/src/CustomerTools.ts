/**
 * The tools of a customer authenticated by `PW_API_KEY`: its orders and the
 * compliance calendars of its carriers. Both read only the rows of the
 * customer's own carriers (FRNs).
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { SqlClient } from "@effect/sql"
import { CalendarDate, CalendarEntry } from "@pw/api/CalendarGroup"
import { listCarrierEntries } from "@pw/api-runner/calendar/CarrierEntries"
import type { KeyHolder } from "@pw/api-runner/CustomerStore"
import { Frn } from "@pw/domain/Carrier"
import { OrderStatus } from "@pw/domain/Order"
import { Effect, Schema } from "effect"
import { z } from "zod"
import { decodeInput, jsonResult, makeRunner, ToolFailure } from "./ToolResult.ts"

/** Maximum number of orders `list_my_orders` returns. */
const maxListedOrders = 200

const OrderRow = Schema.Struct({
  id: Schema.String,
  status: OrderStatus,
  carrier_frn: Schema.String,
  legal_name: Schema.String,
  total: Schema.NumberFromString,
  created_at: Schema.DateTimeUtcFromDate
})
const decodeOrderRows = Schema.decodeUnknown(Schema.Array(OrderRow))
const encodeEntries = Schema.encodeSync(Schema.Array(CalendarEntry))

/** The customer's orders, newest first, at most {@link maxListedOrders}. */
const listOrders = Effect.fn("CustomerTools.listOrders")(function*(frns: ReadonlyArray<string>) {
  const sql = yield* SqlClient.SqlClient
  if (frns.length === 0) return []
  const rows = yield* sql`
    SELECT id, status, carrier_frn, carrier ->> 'legalName' AS legal_name, (quote ->> 'total') AS total, created_at
    FROM orders
    WHERE ${sql.in("carrier_frn", frns)}
    ORDER BY created_at DESC, id
    LIMIT ${maxListedOrders}
  `.pipe(Effect.flatMap(decodeOrderRows))
  return rows.map((row) => ({
    orderId: row.id,
    status: row.status,
    frn: row.carrier_frn,
    carrierLegalName: row.legal_name,
    total: row.total,
    createdAt: row.created_at.toJSON()
  }))
}, Effect.orDie)

/** Registers `list_my_orders` and `get_carrier_calendar` for `holder` on `server`. Needs PostgreSQL. */
export const register = Effect.fn("CustomerTools.register")(function*(server: McpServer, holder: KeyHolder) {
  const run = makeRunner(yield* Effect.runtime<SqlClient.SqlClient>())
  const carriers = holder.frns.join(", ")

  server.registerTool("list_my_orders", {
    title: "List my orders",
    description: `Lists the orders of your carriers (${carriers}), newest first, at most ${maxListedOrders}: id, status, carrier and total in USD cents.`,
    outputSchema: z.object({ orders: z.array(z.object({ orderId: z.string(), status: z.string() }).passthrough()) }).passthrough(),
    annotations: { readOnlyHint: true, openWorldHint: false }
  }, () =>
    run("list_my_orders", Effect.map(listOrders(holder.frns), (orders) => jsonResult({ orders }))))

  server.registerTool("get_carrier_calendar", {
    title: "Get a carrier's compliance calendar",
    description: `Returns the compliance calendar of one of your carriers (${carriers}): each obligation with its due date, status, rule source and explanation.`,
    inputSchema: {
      frn: z.string().describe("FRN of one of your carriers, 10 digits"),
      from: z.string().optional().describe("First due date to include, YYYY-MM-DD"),
      to: z.string().optional().describe("Last due date to include, YYYY-MM-DD")
    },
    outputSchema: z.object({ frn: z.string(), entries: z.array(z.object({ key: z.string(), dueDate: z.string(), status: z.string() }).passthrough()) }).passthrough(),
    annotations: { readOnlyHint: true, openWorldHint: false }
  }, ({ frn, from, to }) =>
    run("get_carrier_calendar", Effect.gen(function*() {
      const validFrn: string = yield* decodeInput(Frn, frn)
      if (!holder.frns.includes(validFrn)) {
        return yield* new ToolFailure({ message: `FRN ${validFrn} is not one of your carriers; your carriers are ${carriers}` })
      }
      const range = yield* decodeInput(Schema.Struct({ from: Schema.optional(CalendarDate), to: Schema.optional(CalendarDate) }), { from, to })
      if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
        return yield* new ToolFailure({ message: `to ${range.to} is before from ${range.from}; give a range whose from is on or before its to` })
      }
      const entries = yield* listCarrierEntries(validFrn, range)
      return jsonResult({ frn: validFrn, entries: encodeEntries(entries) })
    }).pipe(Effect.annotateLogs({ customerId: holder.customerId }))))
})
