/**
 * Tool results of the MCP server. A tool succeeds with JSON as text content
 * and as `structuredContent`. A tool that fails for the caller's input (bad
 * value, unknown order, wrong token) returns an `isError` result with a plain
 * message naming the value. A defect is logged on stderr, and the caller gets
 * an `isError` result without a stack trace.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { formatPath } from "@pw/api-runner/ErrorBodies"
import { Effect, ParseResult, Runtime, Schema } from "effect"

/** A failure the caller can fix; `message` names the value and what to do. */
export class ToolFailure extends Schema.TaggedError<ToolFailure>()("ToolFailure", {
  message: Schema.String
}) {}

/** A success result carrying `value`, which must be a JSON object. */
export const jsonResult = (value: Record<string, unknown>): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
  structuredContent: value
})

/**
 * Decodes tool input with an Effect schema. The first problem becomes a
 * {@link ToolFailure} such as `carrier.frn: FRN must be exactly 10 digits ...`.
 */
export const decodeInput = <A, I>(schema: Schema.Schema<A, I>, input: unknown): Effect.Effect<A, ToolFailure> =>
  Schema.decodeUnknown(schema)(input).pipe(
    Effect.mapError((error) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
      if (issue === undefined) return new ToolFailure({ message: "the input does not match the tool's schema" })
      const field = formatPath(issue.path.filter((segment) => typeof segment !== "symbol"))
      return new ToolFailure({ message: field === "" ? issue.message : `${field}: ${issue.message}` })
    })
  )

/**
 * Returns a function that runs a tool's effect on `runtime` and always
 * resolves with a result, so the SDK never turns a failure into a protocol
 * error. `tool` names the tool in the logs.
 */
export const makeRunner = <R>(runtime: Runtime.Runtime<R>) =>
(tool: string, effect: Effect.Effect<CallToolResult, ToolFailure, R>): Promise<CallToolResult> =>
  Runtime.runPromise(runtime)(
    effect.pipe(
      Effect.catchTag("ToolFailure", (failure) =>
        Effect.as(
          Effect.annotateLogs(Effect.logInfo("tool call rejected"), { tool, reason: failure.message }),
          { content: [{ type: "text" as const, text: failure.message }], isError: true }
        )),
      Effect.catchAllCause((cause) =>
        Effect.as(
          Effect.annotateLogs(Effect.logError("tool call failed", cause), { tool }),
          { content: [{ type: "text" as const, text: `${tool} failed inside the server; the server's log on stderr has the details` }], isError: true }
        )),
      Effect.withSpan(`McpTool.${tool}`)
    )
  )
