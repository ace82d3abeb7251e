/**
 * The MCP server end to end: the official SDK client spawns `pw-mcp` over
 * stdio against a platform process started as `npm start` starts it, on a
 * temporary data folder. The server attaches to that platform's embedded
 * PostgreSQL and creates orders through the cluster as a client-only node,
 * whose persisted messages the platform's runner polls from PostgreSQL.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Pricing from "@pw/domain/Pricing"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { eventually, type PlatformProcess, startPlatform } from "../support/PlatformProcess.ts"

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url))
const binary = join(repositoryRoot, "runners/mcp/bin/pw-mcp.mjs")
const orderBody = JSON.parse(await readFile(join(repositoryRoot, "test/data/otelco-cpni-order.json"), "utf8"))

/** An FRN in the bundled FCC sample data the platform loads on start. */
const sampleFrn = "0003768165"

const publicTools = ["check_fcc_compliance", "create_order", "describe_service", "get_order_status", "list_services", "quote"]

interface Session {
  readonly client: Client
  readonly stderr: () => string
}

let platform: PlatformProcess
let dataDirectory: string
const sessions: Array<Session> = []

/** Starts `pw-mcp` with `env` added and connects the SDK client to it. */
const connect = async (env: Record<string, string> = {}): Promise<Session> => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binary],
    cwd: repositoryRoot,
    env: { ...process.env, PW_DATA_DIR: dataDirectory, PW_PUBLIC_URL: platform.baseUrl, ...env } as Record<string, string>,
    stderr: "pipe"
  })
  let stderr = ""
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const client = new Client({ name: "pw-mcp-test", version: "1.0.0" })
  await client.connect(transport)
  const session = { client, stderr: () => stderr }
  sessions.push(session)
  return session
}

const call = async (session: Session, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
  (await session.client.callTool({ name, arguments: args })) as CallToolResult

const textOf = (result: CallToolResult): string => result.content.map((part) => (part.type === "text" ? part.text : "")).join("")
const jsonOf = (result: CallToolResult): Record<string, unknown> => JSON.parse(textOf(result))

/** Sends a staff request to the platform and returns the JSON body. */
const staffPost = async (path: string, body?: unknown): Promise<Record<string, unknown>> => {
  const secrets = JSON.parse(await readFile(join(dataDirectory, "secrets.json"), "utf8"))
  const response = await fetch(`${platform.baseUrl}${path}`, {
    method: "POST",
    headers: { "x-staff-key": secrets.staffApiKey, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  expect(response.status).toBe(201)
  return (await response.json()) as Record<string, unknown>
}

let publicSession: Session
let created: { readonly orderId: string; readonly accessToken: string; readonly checkoutUrl: string }
let createMillis = 0

beforeAll(async () => {
  dataDirectory = await mkdtemp(join(tmpdir(), "pw-mcp-test-"))
  await chmod(dataDirectory, 0o755)
  platform = await startPlatform({ PW_DATA_DIR: dataDirectory })
  publicSession = await connect()
  const started = Date.now()
  const result = await call(publicSession, "create_order", { ...orderBody, idempotencyKey: "mcp-test-order" })
  createMillis = Date.now() - started
  expect(result.isError).toBeFalsy()
  const body = jsonOf(result)
  created = { orderId: String(body.orderId), accessToken: String(body.accessToken), checkoutUrl: String(body.checkoutUrl) }
})

afterAll(async () => {
  for (const session of sessions) await session.client.close()
  await platform?.stop()
  if (dataDirectory !== undefined) await rm(dataDirectory, { recursive: true, force: true })
})

describe("public tools", () => {
  it("lists the public tools", async () => {
    const { tools } = await publicSession.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(publicTools)
  })

  it("lists the services", async () => {
    const result = await call(publicSession, "list_services")
    const services = jsonOf(result).services as Array<{ slug: string }>
    expect(services.map((service) => service.slug)).toContain("cpni-certification")
  })

  it("describes a service", async () => {
    const result = await call(publicSession, "describe_service", { slug: "rmd-filing" })
    expect((jsonOf(result).service as { name: string }).name).toBe("Robocall Mitigation Database filing")
  })

  it("rejects an unknown slug", async () => {
    const result = await call(publicSession, "describe_service", { slug: "no-such-service" })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain("\"no-such-service\"")
  })

  it("quotes as Pricing does", async () => {
    const items = [{ service: "cpni-certification", quantity: 1 }, { service: "rmd-filing", quantity: 1 }]
    const expected = Effect.runSync(Pricing.quote(items, "card"))
    const result = await call(publicSession, "quote", { items, paymentMethod: "card" })
    expect(jsonOf(result).total).toBe(expected.total)
  })

  it("rejects a per-state item without state", async () => {
    const result = await call(publicSession, "quote", { items: [{ service: "foreign-qualification-single" }], paymentMethod: "ach" })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain("items[0].state")
  })

  it("checks a sample FRN", async () => {
    const result = await call(publicSession, "check_fcc_compliance", { frn: sampleFrn, voice: true })
    expect(result.isError).toBeFalsy()
    const report = jsonOf(result)
    expect(report.frn).toBe(sampleFrn)
    expect((report.findings as Array<unknown>).length).toBe(7)
  })

  it("rejects an invalid FRN", async () => {
    const result = await call(publicSession, "check_fcc_compliance", { frn: "12345" })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain("FRN must be exactly 10 digits")
    expect(textOf(result)).toContain("(got \"12345\")")
  })
})

describe("orders", () => {
  it("creates an order with a pay link", () => {
    expect(created.orderId).toMatch(/^ord_[a-z2-7]{20}$/)
    expect(created.checkoutUrl).toBe(`${platform.baseUrl}/v1/orders/${created.orderId}/pay?token=${encodeURIComponent(created.accessToken)}`)
    // Both persisted messages (Create, Register) wait for the runner's 2-second storage poll.
    expect(createMillis).toBeLessThan(30_000)
  })

  it("rejects an invalid carrier", async () => {
    const result = await call(publicSession, "create_order", { ...orderBody, carrier: { ...orderBody.carrier, frn: "12345" } })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain("carrier.frn: FRN must be exactly 10 digits")
  })

  it("reads the order's status", async () => {
    const result = await call(publicSession, "get_order_status", { orderId: created.orderId, accessToken: created.accessToken })
    expect(jsonOf(result).status).toBe("awaiting_payment")
  })

  it("rejects a wrong token", async () => {
    const result = await call(publicSession, "get_order_status", { orderId: created.orderId, accessToken: "not-the-token" })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain(created.orderId)
  })

  it("rejects an unknown order", async () => {
    const result = await call(publicSession, "get_order_status", { orderId: "ord_aaaaaaaaaaaaaaaaaaaa", accessToken: created.accessToken })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain("ord_aaaaaaaaaaaaaaaaaaaa")
  })

  it("serves the pay link", async () => {
    const response = await fetch(created.checkoutUrl)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain("Pay $149.00")
  })
})

describe("resources", () => {
  it("lists both resources", async () => {
    const { resources } = await publicSession.client.listResources()
    expect(resources.map((resource) => resource.uri).sort()).toEqual(["catalog://services", "jurisdictions://all"])
  })

  it("reads the catalog", async () => {
    const { contents } = await publicSession.client.readResource({ uri: "catalog://services" })
    const text = contents[0] !== undefined && "text" in contents[0] ? contents[0].text : ""
    expect((JSON.parse(text).services as Array<unknown>).length).toBeGreaterThan(10)
  })

  it("reads the jurisdictions", async () => {
    const { contents } = await publicSession.client.readResource({ uri: "jurisdictions://all" })
    const text = contents[0] !== undefined && "text" in contents[0] ? contents[0].text : ""
    const codes = (JSON.parse(text) as Array<{ code: string }>).map((jurisdiction) => jurisdiction.code)
    expect(codes).toContain("US-WY")
    expect(codes).toContain("CA-BC")
  })
})

describe("customer tools", () => {
  let customer: Session
  let keyId: string
  let apiKey: string

  beforeAll(async () => {
    const { customerId } = await staffPost("/v1/staff/customers", { name: "Example Telecom LLC", email: "ops@example.com", frns: [orderBody.carrier.frn] })
    const key = await staffPost(`/v1/staff/customers/${String(customerId)}/api-keys`)
    keyId = String(key.keyId)
    apiKey = String(key.apiKey)
    customer = await connect({ PW_API_KEY: apiKey })
  })

  it("adds the customer's tools", async () => {
    const { tools } = await customer.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual([...publicTools, "get_carrier_calendar", "list_my_orders"].sort())
  })

  it("lists the customer's orders", async () => {
    const result = await call(customer, "list_my_orders")
    const orders = jsonOf(result).orders as Array<{ orderId: string }>
    expect(orders.map((order) => order.orderId)).toContain(created.orderId)
  })

  it("reads the calendar after payment", async () => {
    const pay = await fetch(`${platform.baseUrl}/v1/orders/${created.orderId}/pay`, {
      method: "POST",
      body: new URLSearchParams({ token: created.accessToken }),
      redirect: "manual"
    })
    expect(pay.status).toBe(303)
    // A paid CPNI order plans the carrier's next certification entry.
    const entries = await eventually("the carrier's calendar entry", async () => {
      const found = jsonOf(await call(customer, "get_carrier_calendar", { frn: orderBody.carrier.frn })).entries as Array<{ obligation: string }>
      return found.length > 0 ? found : undefined
    }, { attempts: 300, intervalMillis: 200 })
    expect(entries.length).toBeGreaterThan(0)
  })

  it("rejects another carrier's FRN", async () => {
    const result = await call(customer, "get_carrier_calendar", { frn: sampleFrn })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain(sampleFrn)
  })

  it("offers public tools for an unknown key", async () => {
    const unknownKey = "pwk_thisKeyWasNeverIssuedByStaff0000000000000000"
    const session = await connect({ PW_API_KEY: unknownKey })
    const { tools } = await session.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(publicTools)
    expect(session.stderr()).toContain("PW_API_KEY is unknown or revoked")
    expect(session.stderr()).toContain("cak_")
    expect(session.stderr()).not.toContain(unknownKey)
    expect(session.stderr()).not.toContain(apiKey)
    expect(keyId).toMatch(/^cak_[0-9a-f]{16}$/)
  })
})

/** Runs `pw-mcp` by hand, sends `lines`, closes stdin and collects stdout, stderr and the exit code. */
const runByHand = (env: Record<string, string>, lines: ReadonlyArray<unknown>, closeAfterReplies: number) =>
  new Promise<{ readonly stdout: string; readonly stderr: string; readonly code: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [binary], { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`pw-mcp did not finish within 60 seconds; stderr:\n${stderr}`))
    }, 60_000)
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.split("\n").filter((line) => line !== "").length >= closeAfterReplies) child.stdin.end()
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.once("exit", (code) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, code })
    })
    for (const line of lines) child.stdin.write(`${JSON.stringify(line)}\n`)
    if (closeAfterReplies === 0) child.stdin.end()
  })

describe("stdio", () => {
  it("writes only JSON-RPC to stdout", async () => {
    const run = await runByHand({ PW_DATA_DIR: dataDirectory }, [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "by-hand", version: "1.0.0" } } },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" }
    ], 2)
    const lines = run.stdout.split("\n").filter((line) => line !== "")
    expect(lines.length).toBe(2)
    for (const line of lines) expect(JSON.parse(line).jsonrpc).toBe("2.0")
    expect(run.stderr).toContain("MCP server listening on stdio")
    expect(run.code).toBe(0)
  })

  it("fails without a platform", async () => {
    const emptyDirectory = await mkdtemp(join(tmpdir(), "pw-mcp-empty-"))
    const run = await runByHand({ PW_DATA_DIR: emptyDirectory, DATABASE_URL: "" }, [], 0)
    await rm(emptyDirectory, { recursive: true, force: true })
    expect(run.code).not.toBe(0)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain("start the platform with npm start or set DATABASE_URL")
  })
})
