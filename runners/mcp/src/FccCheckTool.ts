/**
 * The public `check_fcc_compliance` tool: the FCC compliance check of one
 * FRN, as the HTTP API's check endpoint runs it.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { Frn } from "@pw/domain/Carrier"
import { FccCheckReport } from "@pw/fcc-check/FccCheckReport"
import { FccComplianceCheck } from "@pw/fcc-check/FccComplianceCheck"
import { Effect, Schema } from "effect"
import { z } from "zod"
import { decodeInput, jsonResult, makeRunner } from "./ToolResult.ts"

const encodeReport = Schema.encodeSync(FccCheckReport)

/** Registers `check_fcc_compliance` on `server`. Needs {@link FccComplianceCheck}. */
export const register = Effect.fn("FccCheckTool.register")(function*(server: McpServer) {
  const checker = yield* FccComplianceCheck
  const run = makeRunner(yield* Effect.runtime<never>())

  server.registerTool("check_fcc_compliance", {
    title: "Check a carrier's FCC compliance",
    description:
      "Checks one carrier, by FRN, against the imported FCC data (Form 499 filer database, Robocall Mitigation Database, CORES) " +
      "and the platform's records: one finding per obligation with status, rule, due date and source, and a quote for what is missing.",
    inputSchema: {
      frn: z.string().describe("FCC Registration Number: exactly 10 digits with leading zeros, such as 0018538512"),
      broadband: z.boolean().optional().describe("Whether the carrier offers broadband internet access; answers the Broadband Data Collection question"),
      voice: z.boolean().optional().describe("Whether the carrier offers voice service; answers the Broadband Data Collection question")
    },
    outputSchema: z.object({ frn: z.string(), findings: z.array(z.object({ key: z.string(), status: z.string() }).passthrough()) }).passthrough(),
    annotations: { readOnlyHint: true, openWorldHint: false }
  }, ({ frn, broadband, voice }) =>
    run("check_fcc_compliance", Effect.gen(function*() {
      const validFrn = yield* decodeInput(Frn, frn)
      const report = yield* checker.check(validFrn, { broadband, voice }).pipe(Effect.orDie)
      return jsonResult({ ...encodeReport(report) })
    }).pipe(Effect.annotateLogs({ frn }))))
})
