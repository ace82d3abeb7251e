/**
 * The CPNI certification workflow's steps. Each side effect is a named
 * activity with a deterministic object key, so a step re-run after a crash
 * overwrites what it wrote before instead of adding a second document. Staff
 * to-dos are created under dedupe keys for the same reason: a generation that
 * failed for good, and the filing on ECFS once staff approved, which is done
 * by hand.
 */
import { Activity, DurableDeferred } from "@effect/workflow"
import { DocumentConverter } from "@pw/document-converter/DocumentConverter"
import { Order } from "@pw/order/Order"
import { TodoStore } from "@pw/staff/TodoStore"
import { DateTime, Effect, Layer, Schema } from "effect"
import * as CertificationDocument from "./CertificationDocument.ts"
import { CertificationError, CpniCertificationWorkflow, serviceSlug, StaffApproval } from "./CpniCertificationWorkflow.ts"

/** The certification's template input and where its files go. */
const PreparedCertification = Schema.Struct({
  data: Schema.Unknown,
  calendarYear: Schema.Int,
  docxKey: Schema.String,
  pdfKey: Schema.String
})

/**
 * The workflow's implementation. It needs clients of the Order and
 * DocumentConverter entities, and PostgreSQL for staff to-dos.
 */
export const CpniCertificationLive = CpniCertificationWorkflow.toLayer(Effect.fn(function*({ orderId }) {
  const makeOrder = yield* Order.client
  const makeConverter = yield* DocumentConverter.client
  const todos = yield* TodoStore
  const carrierName = makeOrder(orderId).Get().pipe(Effect.map((snapshot) => snapshot.order.carrier.legalName))

  // The filing date is taken once and kept in the workflow's journal, so a
  // document generated again after a crash carries the same date.
  const prepared = yield* Activity.make({
    name: "PrepareCertification",
    success: PreparedCertification,
    execute: Effect.gen(function*() {
      const snapshot = yield* makeOrder(orderId).Get()
      const facts = snapshot.order.cpniCertification
      const data = CertificationDocument.templateData(snapshot.order, yield* DateTime.now)
      if (facts === undefined || data === undefined) {
        return yield* Effect.dieMessage(`order ${orderId} has no CPNI certification facts`)
      }
      return {
        data,
        calendarYear: facts.calendarYear,
        docxKey: CertificationDocument.objectKey(orderId, facts.calendarYear, "docx"),
        pdfKey: CertificationDocument.objectKey(orderId, facts.calendarYear, "pdf")
      }
    }).pipe(Effect.orDie)
  })

  const pdf = yield* Activity.make({
    name: "GenerateCertification",
    success: Schema.Struct({ objectKey: Schema.String, size: Schema.Int, sha256: Schema.String }),
    error: CertificationError,
    execute: Effect.gen(function*() {
      // A retried attempt gets a new request id, so the entity generates again instead of replaying the failure.
      const requestId = yield* Activity.idempotencyKey("GenerateCertification", { includeAttempt: true })
      return yield* makeConverter(`${orderId}-${serviceSlug}`).GenerateDocument({
        template: "cpni-certification",
        data: prepared.data,
        docxKey: prepared.docxKey,
        pdfKey: prepared.pdfKey,
        requestId
      })
    }).pipe(Effect.catchTags({ MailboxFull: Effect.die, AlreadyProcessingMessage: Effect.die, PersistenceError: Effect.die }))
  }).pipe(
    // Bad template data stays bad, so only conversion failures are retried.
    Activity.retry({ times: 3, while: (error) => error._tag === "ConversionError" }),
    Effect.tapError((error) =>
      Activity.make({
        name: "FlagGenerationFailure",
        execute: Effect.gen(function*() {
          yield* makeOrder(orderId).FlagForAttention({ step: "GenerateCertification", reason: error.message })
          const carrier = yield* carrierName
          yield* todos.create({
            dedupeKey: `order:${orderId}:GenerateCertification`,
            kind: "failure",
            title: `Certification for ${carrier} could not be generated`,
            detail: `Generating the CPNI certification of order ${orderId} failed: ${error.message}. ` +
              "Check the order's certification facts and the cpni-certification template; " +
              "when the cause is a conversion failure, check the document converter's logs.",
            orderId
          })
        }).pipe(Effect.orDie)
      })
    )
  )

  yield* Activity.make({
    name: "AttachCertification",
    execute: makeOrder(orderId).AttachDocument({
      documentId: `doc_${orderId.slice("ord_".length)}_cpni`,
      kind: serviceSlug,
      objectKey: pdf.objectKey,
      fileName: CertificationDocument.fileName(prepared.calendarYear),
      contentType: "application/pdf",
      size: pdf.size,
      sha256: pdf.sha256
    }).pipe(Effect.asVoid, Effect.orDie)
  })

  const approval = yield* DurableDeferred.await(StaffApproval)
  yield* Effect.annotateLogs(Effect.logInfo("certification approved"), { orderId, approvedBy: approval.approvedBy })

  // The FCC offers no API for ECFS filings, so staff file the approved PDF by hand.
  yield* Activity.make({
    name: "CreateFilingTodo",
    execute: Effect.gen(function*() {
      const carrier = yield* carrierName
      yield* todos.create({
        dedupeKey: `order:${orderId}:file-cpni`,
        kind: "manual_step",
        title: `File the CPNI certification of ${carrier} in EB Docket No. 06-36 on ECFS`,
        detail: `${approval.approvedBy} approved ${CertificationDocument.fileName(prepared.calendarYear)} of order ${orderId}. ` +
          "Download it from the order, file it in EB Docket No. 06-36 on ECFS, " +
          "and complete this to-do with the ECFS confirmation number.",
        orderId
      })
    }).pipe(Effect.orDie)
  })
})).pipe(Layer.provide(TodoStore.layer))
