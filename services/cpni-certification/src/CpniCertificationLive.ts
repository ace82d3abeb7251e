/**
 * The CPNI certification workflow's steps. Each side effect is a named
 * activity with a deterministic object key, so a step re-run after a crash
 * overwrites what it wrote before instead of adding a second document.
 */
import { Activity, DurableDeferred } from "@effect/workflow"
import { DocumentConverter, ConversionError } from "@pw/document-converter/DocumentConverter"
import { documentTemplates } from "@pw/documents/DocumentTemplates"
import * as DocxTemplate from "@pw/documents/DocxTemplate"
import { Order } from "@pw/order/Order"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Config, DateTime, Effect, Schema } from "effect"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as CertificationDocument from "./CertificationDocument.ts"
import { CpniCertificationWorkflow, serviceSlug, StaffApproval } from "./CpniCertificationWorkflow.ts"

/** Folder holding the DOCX templates; defaults to the repository's `templates/`. */
export const TemplatesDirectory = Config.string("PW_TEMPLATES_DIR").pipe(
  Config.withDescription("Folder holding the DOCX templates"),
  Config.withDefault(fileURLToPath(new URL("../../../templates", import.meta.url)))
)

/** The rendered certification and its year. */
const RenderedCertification = Schema.Struct({
  docxKey: Schema.String,
  calendarYear: Schema.Int
})

/** The workflow's implementation; needs the object store and clients of the Order and DocumentConverter entities. */
export const CpniCertificationLive = CpniCertificationWorkflow.toLayer(Effect.fn(function*({ orderId }) {
  const makeOrder = yield* Order.client
  const makeConverter = yield* DocumentConverter.client
  const store = yield* ObjectStore
  const templatesDirectory = yield* Effect.orDie(TemplatesDirectory)

  const rendered = yield* Activity.make({
    name: "RenderCertification",
    success: RenderedCertification,
    execute: Effect.gen(function*() {
      const snapshot = yield* makeOrder(orderId).Get()
      const facts = snapshot.order.cpniCertification
      const now = yield* DateTime.now
      const data = CertificationDocument.templateData(snapshot.order, now)
      if (facts === undefined || data === undefined) {
        return yield* Effect.dieMessage(`order ${orderId} has no CPNI certification facts`)
      }
      const template = yield* Effect.promise(() =>
        readFile(join(templatesDirectory, documentTemplates["cpni-certification"].file))
      )
      const docx = yield* DocxTemplate.render(template, data)
      const docxKey = CertificationDocument.objectKey(orderId, facts.calendarYear, "docx")
      yield* store.put(docxKey, docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
      return { docxKey, calendarYear: facts.calendarYear }
    }).pipe(Effect.orDie)
  })

  const pdf = yield* Activity.make({
    name: "ConvertCertification",
    success: Schema.Struct({ objectKey: Schema.String, size: Schema.Int, sha256: Schema.String }),
    error: ConversionError,
    execute: makeConverter(`${orderId}-${serviceSlug}`).ConvertToPdf({
      sourceKey: rendered.docxKey,
      targetKey: CertificationDocument.objectKey(orderId, rendered.calendarYear, "pdf")
    }).pipe(Effect.catchTags({ MailboxFull: Effect.die, AlreadyProcessingMessage: Effect.die, PersistenceError: Effect.die }))
  }).pipe(
    Activity.retry({ times: 3 }),
    Effect.tapError((error) =>
      Activity.make({
        name: "FlagConversionFailure",
        execute: makeOrder(orderId).FlagForAttention({ step: "ConvertCertification", reason: error.message }).pipe(
          Effect.asVoid,
          Effect.orDie
        )
      })
    )
  )

  yield* Activity.make({
    name: "AttachCertification",
    execute: makeOrder(orderId).AttachDocument({
      documentId: `doc_${orderId.slice("ord_".length)}_cpni`,
      kind: serviceSlug,
      objectKey: pdf.objectKey,
      fileName: CertificationDocument.fileName(rendered.calendarYear),
      contentType: "application/pdf",
      size: pdf.size,
      sha256: pdf.sha256
    }).pipe(Effect.asVoid, Effect.orDie)
  })

  const approval = yield* DurableDeferred.await(StaffApproval)
  yield* Effect.annotateLogs(Effect.logInfo("certification approved"), { orderId, approvedBy: approval.approvedBy })
}))
