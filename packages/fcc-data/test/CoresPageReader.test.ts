import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as CoresPageReader from "../src/CoresPageReader.ts"
import { tempDir } from "./support/TempDir.ts"

const registrationSample = fileURLToPath(new URL("data/cores/frn-0003768165.html", import.meta.url))
const noRecordSample = fileURLToPath(new URL("data/cores/frn-0000000000-no-record.html", import.meta.url))

const detailPage = (rows: string, title = "FCC Registration System") => `<html>
  <head><title>${title}</title></head>
  <body>
    <div id="srchDetailContent">
      <div id="srchDetailHeader">Registration Detail</div>
      <table role="table">${rows}</table>
    </div>
  </body>
</html>`

const row = (label: string, value: string) => `<tr><th scope="col">${label}</th><td>${value}</td></tr>`

const fictionalRows = [
  row("FRN:", "0012345670"),
  row("Registration Date:", "01/02/2015 09:05:00 AM"),
  row("Entity Name:", "HARBORLINE VOICE INC."),
  row("Entity Type:", "Private Sector , Limited Liability Corporation"),
  row("Contact Organization:", "Harborline Voice Inc."),
  row("Contact Address:", "\n  200 Sample Street<br />\n  Suite 4<br />\n\n  Anytown, OH 00000<br />\n  United States\n"),
  row("ContactPhone:", "(555) 010-0202")
].join("\n")

describe("CoresPageReader", () => {
  it.effect("registration sample parsed", () =>
    Effect.gen(function*() {
      const page = yield* CoresPageReader.open(registrationSample)
      assert.strictEqual(page._tag, "CoresRegistration")
      if (page._tag !== "CoresRegistration") return
      assert.strictEqual(page.frn, "0003768165")
      assert.strictEqual(page.entityName, "COMCAST CABLE COMMUNICATIONS, LLC")
      assert.deepStrictEqual(page.entityType, Option.some("Private Sector , Corporation"))
      assert.deepStrictEqual(page.registrationDate, Option.some("2000-09-12"))
      assert.deepStrictEqual(page.lastUpdated, Option.some("2026-05-18"))
      assert.deepStrictEqual(page.contactOrganization, Option.some("Comcast Cable Communications, LLC"))
      assert.strictEqual(Option.getOrElse(page.contactAddress, () => "").split(", ").length, 5)
    }))

  it.effect("no-record sample parsed", () =>
    Effect.gen(function*() {
      const page = yield* CoresPageReader.open(noRecordSample)
      assert.deepStrictEqual(page, { _tag: "CoresNoRecord" })
    }))

  it.effect("address lines joined", () =>
    Effect.gen(function*() {
      const page = yield* CoresPageReader.parse(detailPage(fictionalRows), "fictional.html")
      assert.strictEqual(page._tag, "CoresRegistration")
      if (page._tag !== "CoresRegistration") return
      assert.deepStrictEqual(page.contactAddress, Option.some("200 Sample Street, Suite 4, Anytown, OH 00000, United States"))
      assert.deepStrictEqual(page.registrationDate, Option.some("2015-01-02"))
      assert.deepStrictEqual(page.lastUpdated, Option.none())
    }))

  it.effect("other title rejected", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(CoresPageReader.parse(detailPage(fictionalRows, "Example Search Results"), "other.html"))
      assert.strictEqual(error.file, "other.html")
      assert.include(error.message, "not a CORES registration detail page")
    }))

  it.effect("login page rejected", () =>
    Effect.gen(function*() {
      const html = `<html><head><title>FCC Registration System</title></head>
        <body><form action="/login" method="post"><input name="username" /><input name="password" type="password" /></form></body></html>`
      const error = yield* Effect.flip(CoresPageReader.parse(html, "login.html"))
      assert.include(error.message, "not a CORES registration detail page")
    }))

  it.effect("detail without FRN rejected", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(CoresPageReader.parse(detailPage(row("Entity Name:", "HARBORLINE VOICE INC.")), "no-frn.html"))
      assert.include(error.message, "no FRN row")
    }))

  it.effect("invalid date rejected", () =>
    Effect.gen(function*() {
      const rows = [row("FRN:", "0012345670"), row("Entity Name:", "HARBORLINE VOICE INC."), row("Last Updated:", "02/30/2025 10:00:00 AM")].join("")
      const error = yield* Effect.flip(CoresPageReader.parse(detailPage(rows), "bad-date.html"))
      assert.include(error.message, "Last Updated")
    }))

  it.scoped("missing file fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const error = yield* Effect.flip(CoresPageReader.open(join(directory, "frn-0012345670.html")))
      assert.include(error.message, "Cannot read")
    }))

  it("frnFromFileName reads names", () => {
    assert.deepStrictEqual(CoresPageReader.frnFromFileName("/data/frn-0000000000-no-record.html"), Option.some("0000000000"))
    assert.deepStrictEqual(CoresPageReader.frnFromFileName("frn-0003768165.html"), Option.some("0003768165"))
    assert.deepStrictEqual(CoresPageReader.frnFromFileName("frn-12345.html"), Option.none())
    assert.deepStrictEqual(CoresPageReader.frnFromFileName("frn-00037681650.html"), Option.none())
    assert.deepStrictEqual(CoresPageReader.frnFromFileName("page-0003768165.html"), Option.none())
  })
})
