import { describe, expect, it } from "@effect/vitest"
import { DateTime } from "effect"
import { documentProgress, plannedDocuments } from "../src/DocumentProgress.ts"
import { OrderDocument } from "../src/Order.ts"
import { OrderItem } from "../src/Quote.ts"

const item = (service: string) => OrderItem.make({ service, quantity: 1 })

const attached = (kind: string) =>
  new OrderDocument({
    id: `doc_${kind}`,
    kind,
    fileName: `${kind}.pdf`,
    contentType: "application/pdf",
    size: 1,
    sha256: "0".repeat(64),
    createdAt: DateTime.unsafeMake(0)
  })

describe("DocumentProgress", () => {
  it("plans the CPNI certification", () => {
    expect(plannedDocuments([item("cpni-certification")]).map((document) => document.kind)).toEqual([
      "cpni-certification"
    ])
  })

  it("plans nothing for hand-fulfilled services", () => {
    expect(plannedDocuments([item("ocn-registration")])).toEqual([])
  })

  it("counts a kind once", () => {
    expect(plannedDocuments([item("cpni-certification"), item("cpni-certification")])).toHaveLength(1)
  })

  it("reports pending documents", () => {
    const progress = documentProgress([item("cpni-certification"), item("rmd-filing")], [])
    expect(progress.generated).toBe(0)
    expect(progress.expected).toBe(1)
    expect(progress.pending).toEqual(["CPNI certification"])
    expect(progress.summary).toBe("0 of 1 document generated")
  })

  it("counts attached documents", () => {
    const progress = documentProgress([item("cpni-certification")], [attached("cpni-certification")])
    expect(progress.generated).toBe(1)
    expect(progress.pending).toEqual([])
    expect(progress.summary).toBe("1 of 1 document generated")
  })

  it("ignores unplanned attachments", () => {
    const progress = documentProgress([item("cpni-certification")], [attached("binder")])
    expect(progress.generated).toBe(0)
  })

  it("explains an empty plan", () => {
    expect(documentProgress([item("ocn-registration")], []).summary).toBe(
      "no documents are generated automatically for this order"
    )
  })
})
