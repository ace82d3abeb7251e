/**
 * The built runner programs (`npm run build`) start under Deno from the
 * bundled JavaScript and respond on their operations endpoints. The MCP
 * server responds to the protocol's `initialize` over stdio, and the
 * operator tool prints its help.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { execFile } from "node:child_process"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ExternalDatabase, startDatabase } from "../support/ExternalDatabase.ts"
import { denoBinary, eventually, freePort, type PlatformProcess, startProcess } from "../support/PlatformProcess.ts"

const run = promisify(execFile)
const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url))

/** The bundles must sit inside the repository, where their npm imports resolve from `node_modules`. */
const outputDirectory = join(repositoryRoot, "var", `built-runners-${process.pid}`)
const denoArguments = ["run", "--allow-all", "--node-modules-dir=manual"]

const statusOf = async (url: string): Promise<number> => (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status

describe("built runners under Deno", () => {
  let directory: string
  let database: ExternalDatabase
  const processes: Array<PlatformProcess> = []
  let shared: Record<string, string>

  beforeAll(async () => {
    await run(process.execPath, ["infra/build/build.mjs", outputDirectory], { cwd: repositoryRoot })
    directory = await mkdtemp(join(tmpdir(), "pw-built-"))
    await chmod(directory, 0o755)
    database = await startDatabase(join(directory, "postgres"))
    shared = {
      DATABASE_URL: database.url,
      PW_DATA_DIR: join(directory, "var"),
      PW_SIGNING_SECRET: "built-runners-signing-secret",
      DENO_NO_UPDATE_CHECK: "1"
    }
  })

  afterAll(async () => {
    for (const running of processes.reverse()) await running.stop()
    await database?.close()
    await rm(outputDirectory, { recursive: true, force: true })
    await rm(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  const bundle = (name: string) => relative(repositoryRoot, join(outputDirectory, `${name}.mjs`))

  it.each(["core", "docserver"])("%s runner answers health", async (name) => {
    const runner = await startProcess(
      bundle(name),
      { ...shared, PW_RUNNER_PORT: String(await freePort()) },
      { servesHttp: false, runtime: "deno" }
    )
    processes.push(runner)

    const ready = await eventually(`the ${name} runner to be ready`, async () => {
      if (runner.child.exitCode !== null) throw new Error(runner.output())
      return (await statusOf(`${runner.opsUrl}/readyz`)) === 200 ? true : undefined
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- output ---\n${runner.output()}`)
    })

    expect(ready).toBe(true)
    expect(await statusOf(`${runner.opsUrl}/healthz`)).toBe(200)
  })

  it("api front end serves the catalog", async () => {
    const front = await startProcess(bundle("api"), shared, { runtime: "deno" })
    processes.push(front)

    expect(await statusOf(`${front.baseUrl}/v1/catalog`)).toBe(200)
    expect(await statusOf(`${front.opsUrl}/healthz`)).toBe(200)
  })

  it("mcp server initializes over stdio", async () => {
    const transport = new StdioClientTransport({
      command: denoBinary(),
      args: [...denoArguments, bundle("mcp")],
      cwd: repositoryRoot,
      env: { ...process.env, ...shared } as Record<string, string>,
      stderr: "pipe"
    })
    const client = new Client({ name: "built-runners-test", version: "1.0.0" })
    await client.connect(transport)
    try {
      const tools = await client.listTools()
      expect(tools.tools.map((tool) => tool.name)).toContain("check_fcc_compliance")
    } finally {
      await client.close()
    }
  })

  it("operator tool prints help", async () => {
    const { stdout } = await run(denoBinary(), [...denoArguments, bundle("ops"), "--help"], {
      cwd: repositoryRoot,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" }
    })

    expect(stdout).toContain("migrate")
  })
})
