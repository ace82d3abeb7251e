/**
 * CPNI annual certification as a durable workflow: generate the certification
 * from its template, attach the PDF to the order, wait for staff approval.
 */
import { DurableDeferred, Workflow } from "@effect/workflow"
import { ConversionError, DocumentDataInvalid } from "@pw/document-converter/DocumentConverter"
import { Schema } from "effect"

/** The service slug this workflow fulfils. */
export const serviceSlug = "cpni-certification"

/** Why the certification could not be generated. */
export const CertificationError = Schema.Union(DocumentDataInvalid, ConversionError)

/** The workflow definition; one execution per order. */
export const CpniCertificationWorkflow = Workflow.make({
  name: "CpniCertification",
  payload: { orderId: Schema.String },
  error: CertificationError,
  idempotencyKey: ({ orderId }) => orderId
})

/** Staff approval of the rendered certification, completed by the Order entity's Approve handler. */
export const StaffApproval = DurableDeferred.make("CpniCertification/StaffApproval", {
  success: Schema.Struct({ approvedBy: Schema.String })
})
