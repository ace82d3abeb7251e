/**
 * CPNI annual certification as a durable workflow: render the certification,
 * convert it to PDF, attach it to the order, wait for staff approval.
 */
import { DurableDeferred, Workflow } from "@effect/workflow"
import { ConversionError } from "@pw/document-converter/DocumentConverter"
import { Schema } from "effect"

/** The service slug this workflow fulfils. */
export const serviceSlug = "cpni-certification"

/** The workflow definition; one execution per order. */
export const CpniCertificationWorkflow = Workflow.make({
  name: "CpniCertification",
  payload: { orderId: Schema.String },
  error: ConversionError,
  idempotencyKey: ({ orderId }) => orderId
})

/** Staff approval of the rendered certification, completed by the Order entity's Approve handler. */
export const StaffApproval = DurableDeferred.make("CpniCertification/StaffApproval", {
  success: Schema.Struct({ approvedBy: Schema.String })
})
