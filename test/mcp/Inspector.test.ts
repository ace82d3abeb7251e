/**
 * The MCP Inspector's command-line mode (`mcp-inspector --cli`, from
 * `@modelcontextprotocol/inspector` 0.15.0) lists the server's tools, the
 * way a developer checks an MCP server by hand. Its launcher needs
 * commander 13, which the root package.json pins because s3rver brings
 * commander 5. The server attaches to a migrated embedded
 * PostgreSQL that this test starts in a temporary PW_DATA_DIR; no platform
 * runs, which `tools/list` does not need. Everything stays offline.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Database from "@pw/db/Database"
import { ConfigProvider, Effect, Layer } from "effect"
import { execFile } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as TestDatabase from "../support/TestDatabase.ts"

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url))
const inspectorCli = join(repositoryRoot, "node_modules/@modelcontextprotocol/inspector/cli/build/cli.js")

/** Runs the inspector CLI's `tools/list` on `pw-mcp` and returns its stdout. */
const inspectTools = (dataDirectory: string) =>
  Effect.async<string, Error>((resume) => {
    const child = execFile(
      process.execPath,
      [inspectorCli, "--cli", process.execPath, "runners/mcp/bin/pw-mcp.mjs", "--method", "tools/list"],
      { cwd: repositoryRoot, env: { ...process.env, PW_DATA_DIR: dataDirectory, DATABASE_URL: "" }, timeout: 120_000 },
      (error, stdout, stderr) => resume(error === null ? Effect.succeed(stdout) : Effect.fail(new Error(`${error.message}\n${stderr}`)))
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

describe("MCP Inspector", () => {
  it.scopedLive("lists the tools", () =>
    Effect.gen(function*() {
      const dataDirectory = yield* TestDatabase.temporaryDirectory("pw-mcp-inspector-")
      yield* Layer.build(Database.layer().pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", dataDirectory]]))))
      ))
      const stdout = yield* inspectTools(dataDirectory)
      const listed = JSON.parse(stdout) as { readonly tools: ReadonlyArray<{ readonly name: string }> }
      expect(listed.tools.map((tool) => tool.name).sort()).toEqual([
        "check_fcc_compliance",
        "create_order",
        "describe_service",
        "get_order_status",
        "list_services",
        "quote"
      ])
    }))
})
