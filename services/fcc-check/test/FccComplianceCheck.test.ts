import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Frn } from "@pw/domain/Carrier"
import * as FccImport from "@pw/fcc-data/FccImport"
import { Effect, Layer, Schema, TestClock } from "effect"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import type { FccCheckReport, FindingKey } from "../src/FccCheckReport.ts"
import { FccComplianceCheck } from "../src/FccComplianceCheck.ts"
import * as FccComplianceCheckLive from "../src/FccComplianceCheckLive.ts"

const data = fileURLToPath(new URL("../../../packages/fcc-data/test/data/", import.meta.url))
const frn = Schema.decodeUnknownSync(Frn)
const otelco = frn("0018538512")
const comcast = frn("0003768165")
const noRecord = frn("0000000000")
const rmdOnly = frn("0091000001")
const asOf = "2026-11-30"

/** 2026-12-05, noon in New York: after the 2026 deadlines of 499-A, CPNI and RMD. */
const checkTime = Date.parse("2026-12-05T17:00:00Z")

const rmdCsv = [
  "Business Name,FRN,Implementation,Last Updated,Last Recertified",
  "Otelco Telephone LLC,0018538512,Complete STIR/SHAKEN Implementation,2025-02-20,2025-02-20",
  "Harbor Point Voice LLC,0091000001,Partial STIR/SHAKEN Implementation,2026-02-10,2026-02-10"
].join("\n")

const loaded = Effect.gen(function*() {
  const directory = yield* TestDatabase.temporaryDirectory("pw-fcc-check-")
  const rmdFile = join(directory, "rmd.csv")
  yield* Effect.promise(() => writeFile(rmdFile, rmdCsv))
  yield* FccImport.importForm499(join(data, "form499/filer-db-sample.xlsx"), asOf)
  yield* FccImport.importRmd(rmdFile, asOf)
  yield* FccImport.importCoresPage(join(data, "cores/frn-0003768165.html"), asOf)
  yield* FccImport.importCoresPage(join(data, "cores/frn-0000000000-no-record.html"), asOf)
})

const CheckLive = FccComplianceCheckLive.layer.pipe(
  Layer.provideMerge(Layer.effectDiscard(Effect.scoped(loaded).pipe(Effect.orDie))),
  Layer.provideMerge(TestDatabase.layer)
)

const checkAt = (target: Frn, options?: Parameters<FccComplianceCheck["Type"]["check"]>[1]) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(checkTime)
    const checker = yield* FccComplianceCheck
    return yield* checker.check(target, options)
  })

const finding = (report: FccCheckReport, key: FindingKey) => {
  const found = report.findings.find((each) => each.key === key)
  if (found === undefined) throw new Error(`no ${key} finding`)
  return found
}

layer(CheckLive)("FccComplianceCheck", (it) => {
  describe("Otelco from the samples", () => {
    it.effect("reports the 499-A filed 2025-04-01", () =>
      Effect.gen(function*() {
        const report = yield* checkAt(otelco)
        expect(finding(report, "form-499-filer").facts?.lastFiling).toBe("2025-04-01")
      }))

    it.effect("flags the missed 2026 499-A", () =>
      Effect.gen(function*() {
        const filer = finding(yield* checkAt(otelco), "form-499-filer")
        expect({ status: filer.status, dueDate: filer.dueDate }).toEqual({ status: "action_needed", dueDate: "2026-04-01" })
      }))

    it.effect("names the carrier from the filer data", () =>
      Effect.gen(function*() {
        const report = yield* checkAt(otelco)
        expect({ name: report.carrier.legalName, filer: report.carrier.filer499Id }).toEqual({
          name: "Otelco Telephone LLC",
          filer: "801003"
        })
      }))

    it.effect("flags the 2026 RMD recertification", () =>
      Effect.gen(function*() {
        const rmd = finding(yield* checkAt(otelco), "robocall-mitigation-database")
        expect({ status: rmd.status, dueDate: rmd.dueDate }).toEqual({ status: "action_needed", dueDate: "2026-03-02" })
      }))

    it.effect("treats a contributor as not de minimis", () =>
      Effect.gen(function*() {
        const quarterly = finding(yield* checkAt(otelco), "form-499q")
        expect(quarterly.explanation).toContain("not de minimis")
      }))

    it.effect("names a source for every finding", () =>
      Effect.gen(function*() {
        const report = yield* checkAt(otelco)
        expect(report.findings.every((each) => each.source.name.length > 0)).toBe(true)
      }))

    it.effect("dates the filer source with the import", () =>
      Effect.gen(function*() {
        const source = finding(yield* checkAt(otelco), "form-499-filer").source
        expect({ name: source.name, asOf: source.asOf }).toEqual({ name: "FCC Form 499 Filer Database", asOf })
      }))

    it.effect("prices the remedies with the discount", () =>
      Effect.gen(function*() {
        const quote = (yield* checkAt(otelco)).remediation?.quote
        expect({
          services: quote?.lines.map((line) => line.service),
          discount: quote?.discountBasisPoints
        }).toEqual({ services: ["rmd-filing", "fcc-499a"], discount: 1_500 })
      }))

    it.effect("prefills the order from the filer", () =>
      Effect.gen(function*() {
        const remediation = (yield* checkAt(otelco)).remediation
        expect(remediation?.orderRequest.carrier.filer499Id).toBe("801003")
      }))
  })

  describe("CORES", () => {
    it.effect("gives the no-record FRN the red light", () =>
      Effect.gen(function*() {
        expect(finding(yield* checkAt(noRecord), "cores-registration").status).toBe("missing")
      }))

    it.effect("finds the registered FRN", () =>
      Effect.gen(function*() {
        const cores = finding(yield* checkAt(comcast), "cores-registration")
        expect({ status: cores.status, registered: cores.facts?.registrationDate }).toEqual({ status: "ok", registered: "2000-09-12" })
      }))

    it.effect("leaves an unseen FRN unknown", () =>
      Effect.gen(function*() {
        expect(finding(yield* checkAt(frn("0099999999")), "cores-registration").status).toBe("unknown")
      }))
  })

  describe("RMD", () => {
    it.effect("accepts a 2026 recertification", () =>
      Effect.gen(function*() {
        const rmd = finding(yield* checkAt(rmdOnly), "robocall-mitigation-database")
        expect({ status: rmd.status, dueDate: rmd.dueDate }).toEqual({ status: "ok", dueDate: "2027-03-01" })
      }))

    it.effect("marks an unlisted FRN missing", () =>
      Effect.gen(function*() {
        expect(finding(yield* checkAt(comcast), "robocall-mitigation-database").status).toBe("missing")
      }))
  })

  describe("Form 499", () => {
    it.effect("offers the initial 499 to a non-filer", () =>
      Effect.gen(function*() {
        expect(finding(yield* checkAt(rmdOnly), "form-499-filer").remedy?.service).toBe("fcc-499-initial")
      }))
  })

  describe("CPNI", () => {
    it.effect("is unknown without platform records", () =>
      Effect.gen(function*() {
        expect(finding(yield* checkAt(otelco), "cpni-certification").status).toBe("unknown")
      }))

    it.effect("is ok after a delivered certification", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`
          INSERT INTO orders (id, status, carrier_frn, carrier, items, quote, cpni_certification, access_token_hash, request_hash)
          VALUES ('ord_cpnicheckdelivered1', 'delivered', ${rmdOnly}, '{}'::jsonb,
                  '[{"service":"cpni-certification","quantity":1}]'::jsonb, '{}'::jsonb,
                  '{"calendarYear":2025}'::jsonb, 'x', 'y')`
        expect(finding(yield* checkAt(rmdOnly), "cpni-certification").status).toBe("ok")
      }))
  })

  describe("Broadband Data Collection", () => {
    it.effect("asks about broadband first", () =>
      Effect.gen(function*() {
        const bdc = finding(yield* checkAt(otelco), "broadband-data-collection")
        expect(bdc.questions?.map((question) => question.parameter)).toEqual(["broadband"])
      }))

    it.effect("keeps a voice answer given first", () =>
      Effect.gen(function*() {
        const bdc = finding(yield* checkAt(otelco, { voice: true }), "broadband-data-collection")
        expect(bdc.questions?.map((question) => [question.parameter, question.answer])).toEqual([["broadband", undefined], ["voice", true]])
      }))

    it.effect("asks about voice second", () =>
      Effect.gen(function*() {
        const bdc = finding(yield* checkAt(otelco, { broadband: true }), "broadband-data-collection")
        expect({ status: bdc.status, asked: bdc.questions?.map((question) => question.parameter) }).toEqual({
          status: "question",
          asked: ["broadband", "voice"]
        })
      }))

    it.effect("remedies both with the full filing", () =>
      Effect.gen(function*() {
        const bdc = finding(yield* checkAt(otelco, { broadband: true, voice: true }), "broadband-data-collection")
        expect({ remedy: bdc.remedy?.service, due: bdc.dueDate }).toEqual({ remedy: "bdc-filing", due: "2027-03-01" })
      }))

    it.effect("does not apply with two noes", () =>
      Effect.gen(function*() {
        const bdc = finding(yield* checkAt(otelco, { broadband: false, voice: false }), "broadband-data-collection")
        expect(bdc.status).toBe("not_applicable")
      }))
  })

  describe("D.C. agent", () => {
    it.effect("reads the agent of the filer", () =>
      Effect.gen(function*() {
        expect(finding(yield* checkAt(otelco), "dc-agent").status).toBe("ok")
      }))
  })
})
