/**
 * The same code as several processes on loopback sharing one database: a
 * runner of the `default` shard group, a runner of the `docserver` group and
 * a client-only HTTP front end fulfil a CPNI certification order together.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest"
import { customer, otelcoOrder } from "../support/Customer.ts"
import { type ExternalDatabase, startDatabase } from "../support/ExternalDatabase.ts"
import { pdfText } from "../support/PdfText.ts"
import { eventually, freePort, type PlatformProcess, startProcess } from "../support/PlatformProcess.ts"

const staffKey = "cluster-staff-key"

describe("runner processes", () => {
  let directory: string
  let database: ExternalDatabase
  const processes: Array<PlatformProcess> = []

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "pw-cluster-"))
    await chmod(directory, 0o755)
    database = await startDatabase(join(directory, "postgres"))
  })

  afterAll(async () => {
    for (const running of processes.reverse()) await running.stop()
    await database?.close()
    await rm(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  it("fulfil an order across processes", async () => {
    onTestFailed(() => {
      for (const running of processes) console.log(`--- output of process ${running.child.pid} ---\n${running.output()}`)
    })
    const shared = {
      DATABASE_URL: database.url,
      PW_DATA_DIR: join(directory, "var"),
      STAFF_API_KEY: staffKey,
      PW_SIGNING_SECRET: "cluster-signing-secret"
    }
    const core = await startProcess(
      "runners/core/src/main.ts",
      { ...shared, PW_RUNNER_PORT: String(await freePort()) },
      { servesHttp: false }
    )
    processes.push(core)
    processes.push(
      await startProcess("runners/docserver/src/main.ts", { ...shared, PW_RUNNER_PORT: String(await freePort()) }, { servesHttp: false })
    )
    const front = await startProcess("runners/api/src/main.ts", shared)
    processes.push(front)
    const api = customer(front.baseUrl)

    const created = await api.createOrder(otelcoOrder)
    await api.checkout(created.order.id, created.accessToken)
    await eventually("the certification to await review", async () => {
      const order = await api.getOrder(created.order.id, created.accessToken)
      return order.status === "awaiting_review" ? order : undefined
    })
    await api.approve(created.order.id, staffKey)

    const order = await api.getOrder(created.order.id, created.accessToken)
    const download = await api.download(order.documents[0]?.downloadUrl ?? "", created.accessToken)
    expect(await pdfText(download.bytes)).toContain("EB Docket No. 06-36")

    const runners = await database.client.query<{ address: string }>("SELECT address FROM cluster_runners ORDER BY address")
    expect(runners.rows).toHaveLength(2)

    const sessions = await database.client.query<{ application_name: string }>(
      "SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name LIKE 'performance-west-%' ORDER BY 1"
    )
    expect(sessions.rows.map((row) => row.application_name.replace(/:\d+$/, ""))).toEqual([
      "performance-west-api",
      "performance-west-core 127.0.0.1",
      "performance-west-docserver 127.0.0.1"
    ])

    const readiness = await fetch(`${core.opsUrl}/readyz`)
    expect(readiness.status).toBe(200)
    const metrics = await (await fetch(`${core.opsUrl}/metrics`)).text()
    expect(metrics).toMatch(/^effect_cluster_shards(\{[^}]*\})? [1-9]/m)
    expect(core.output()).toMatch(/^\{"message":/m)
  })

  it("stopping runner answers not ready", async () => {
    const core = processes[0]
    if (core === undefined) throw new Error("the core runner did not start")
    const stopped = core.stop()
    const statuses: Array<number> = []
    // Polls until the server closes; the runner hands its shards over in between.
    for (let attempt = 0; attempt < 3_000; attempt++) {
      const status = await fetch(`${core.opsUrl}/readyz`).then((response) => response.status, () => undefined)
      if (status === undefined) break
      statuses.push(status)
      if (status === 503) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await stopped

    expect(statuses).toContain(503)
  })
})
