/**
 * Kills the platform with SIGKILL while compliance entries change state and
 * restarts it on the same database: right after the first invoice row of a
 * planned calendar appears, and right after an entry's completion commits.
 * Each entry still has one invoice, one e-mail of each kind, and one
 * next-period entry. The calendar is for 2026, whose due dates have all
 * passed, so every timer fires as soon as the entries are scheduled.
 * PostgreSQL runs apart from the platform, so the test can read it.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ExternalDatabase, startDatabase } from "../support/ExternalDatabase.ts"
import { eventually, type PlatformProcess, startPlatform } from "../support/PlatformProcess.ts"

const staffKey = "chaos-compliance-staff-key"
const carrierId = "0040000001"
const contactEmail = "compliance@tollfree.example.com"

/** A de minimis toll-free carrier: in 2026 it owes the 499-A, the CPNI certification and the RMD recertification, all billed. */
const profile = {
  frn: carrierId,
  serviceCategories: ["toll-free"],
  priorYearInterstateRevenueCents: 100_000,
  newFiler: false,
  usStates: [],
  events: []
}

const plannedKeys = [
  `${carrierId}:fcc-cpni-certification:2025`,
  `${carrierId}:fcc-rmd-recertification:2026`,
  `${carrierId}:fcc-499a:2025`
]
const cpniKey = `${carrierId}:fcc-cpni-certification:2025`
const nextCpniKey = `${carrierId}:fcc-cpni-certification:2026`

/** The outbox id `ComplianceNotifications` gives an entry's due-soon notice. */
const dueSoonOutboxId = (entryKey: string) => `compliance-due-soon/${entryKey.replace(/:/g, "_")}`

describe("compliance entry crash", () => {
  let directory: string
  let database: ExternalDatabase
  let platform: PlatformProcess | undefined

  const start = async () => {
    platform = await startPlatform({
      DATABASE_URL: database.url,
      PW_DATA_DIR: join(directory, "var"),
      STAFF_API_KEY: staffKey,
      PW_SIGNING_SECRET: "chaos-compliance-signing-secret"
    })
    return platform
  }

  const staff = async (running: PlatformProcess, method: "GET" | "POST" | "PUT", path: string, body?: unknown) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { "x-staff-key": staffKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  const entryPath = (entryKey: string) => `/v1/staff/compliance/entries/${encodeURIComponent(entryKey)}`

  const count = async (query: string, values: ReadonlyArray<unknown>): Promise<number> => {
    const result = await database.client.query<{ count: string }>(query, [...values])
    return Number(result.rows[0]?.count ?? Number.NaN)
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "pw-chaos-compliance-"))
    await chmod(directory, 0o755)
    database = await startDatabase(join(directory, "postgres"))
  })

  afterAll(async () => {
    await platform?.stop()
    await database?.close()
    await rm(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  it("recovers entries killed mid-transition", async () => {
    let running = await start()
    expect((await staff(running, "PUT", `/v1/staff/carriers/${carrierId}/compliance-profile`, profile)).status).toBe(200)
    const planned = await staff(running, "POST", `/v1/staff/carriers/${carrierId}/calendar/2026/plan`, { contactEmail })
    expect(planned.status).toBe(200)

    // Kill 1: the first invoice is recorded, the others may not be.
    await eventually("the first invoice row", async () =>
      await count("SELECT count(*) FROM compliance_invoices", []) > 0 ? true : undefined, { intervalMillis: 10 })
    await running.kill9()

    running = await start()
    await eventually("an invoice for every planned entry", async () =>
      await count("SELECT count(*) FROM compliance_invoices WHERE entry_key = ANY($1)", [plannedKeys]) === plannedKeys.length
        ? true
        : undefined)
    const invoiced = await staff(running, "GET", entryPath(cpniKey))
    const invoice = invoiced.body["invoice"] as { readonly id: string; readonly amount: number }
    const paid = await staff(running, "POST", `${entryPath(cpniKey)}/payments`, {
      invoiceId: invoice.id,
      amount: invoice.amount,
      paymentReference: "wire-example-chaos"
    })
    expect(paid.body["status"]).toBe("paid")

    // Kill 2: the completion is committed; the next period may not be scheduled yet.
    const completing = fetch(`${running.baseUrl}${entryPath(cpniKey)}/complete`, {
      method: "POST",
      headers: { "x-staff-key": staffKey, "idempotency-key": "chaos-complete" }
    }).catch(() => undefined)
    await eventually("the completion audit row", async () =>
      await count(
        "SELECT count(*) FROM audit_events WHERE entity_type = 'ComplianceEntry' AND entity_id = $1 AND event = 'completed'",
        [cpniKey]
      ) > 0 ? true : undefined, { intervalMillis: 5 })
    await running.kill9()
    await completing

    running = await start()
    await eventually("the next period's entry", async () =>
      await count("SELECT count(*) FROM compliance_entries WHERE key = $1", [nextCpniKey]) === 1 ? true : undefined)
    const completed = await staff(running, "GET", entryPath(cpniKey))
    expect(completed.body["status"]).toBe("completed")

    for (const entryKey of plannedKeys) {
      expect(await count("SELECT count(*) FROM compliance_invoices WHERE entry_key = $1", [entryKey])).toBe(1)
      expect(await count("SELECT count(*) FROM mail_outbox WHERE id = $1", [dueSoonOutboxId(entryKey)])).toBe(1)
      expect(await count(
        "SELECT count(*) FROM mail_outbox WHERE kind = 'compliance-invoice' AND id = 'compliance-invoice/' || (SELECT id FROM compliance_invoices WHERE entry_key = $1)",
        [entryKey]
      )).toBe(1)
    }
    expect(await count("SELECT count(*) FROM mail_outbox WHERE kind = 'compliance-invoice'", [])).toBe(plannedKeys.length)
    expect(await count(
      "SELECT count(*) FROM compliance_entries WHERE carrier_id = $1 AND obligation_id = 'fcc-cpni-certification'",
      [carrierId]
    )).toBe(2)
    expect(await count(
      "SELECT count(*) FROM audit_events WHERE entity_type = 'ComplianceEntry' AND entity_id = $1 AND event = 'scheduled'",
      [nextCpniKey]
    )).toBe(1)
  })
})
