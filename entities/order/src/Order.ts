/**
 * The Order entity's protocol: one entity per order id, every state change a
 * persisted message whose primary key makes redelivery harmless.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { CarrierProfile } from "@pw/domain/Carrier"
import { CpniCertificationFacts } from "@pw/domain/CpniCertification"
import { Money } from "@pw/domain/Money"
import { OrderView, PaymentGateway } from "@pw/domain/Order"
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { OrderItem } from "@pw/domain/Quote"
import { PrimaryKey, Schema } from "effect"
import { IdempotencyKeyReused, InvalidOrderState, OrderNotFound, OrderRejected, PaymentMismatch } from "./OrderErrors.ts"
import { ApplyPaymentEvent, RecordCheckout, RecordRefund, RemindUnpaid, SettleFunds } from "./OrderPaymentMessages.ts"

/**
 * Creates the order, prices it and leaves it awaiting payment. Sending the
 * same request again returns the existing order; a different request for an
 * existing id fails with `IdempotencyKeyReused`.
 */
export class CreateOrder extends Schema.Class<CreateOrder>("CreateOrder")({
  carrier: CarrierProfile,
  items: Schema.Array(OrderItem),
  paymentMethod: PaymentMethod,
  cpniCertification: Schema.optional(CpniCertificationFacts),
  contactEmail: Schema.optional(Schema.String),
  /** SHA-256 of the customer's access token, hex. */
  accessTokenHash: Schema.String,
  /** SHA-256 of the canonical request, to tell a retry from a reused key. */
  requestHash: Schema.String
}) {
  // Keyed by the request's hash: a retry of the same request is deduplicated
  // by the cluster, while a different request reaches the handler, which
  // rejects it as a reused key.
  [PrimaryKey.symbol]() {
    return `create:${this.requestHash}`
  }
}

/** Re-prices an unpaid order for another payment method. */
export class RequoteOrder extends Schema.Class<RequoteOrder>("RequoteOrder")({
  paymentMethod: PaymentMethod,
  requestId: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `requote:${this.requestId}`
  }
}

/** Records a payment taken by a gateway; keyed by the gateway's payment id. */
export class RecordPayment extends Schema.Class<RecordPayment>("RecordPayment")({
  paymentId: Schema.String,
  gateway: PaymentGateway,
  method: PaymentMethod,
  amount: Money
}) {
  [PrimaryKey.symbol]() {
    return `payment:${this.paymentId}`
  }
}

/** Attaches a produced document and puts the order up for staff review. */
export class AttachDocument extends Schema.Class<AttachDocument>("AttachDocument")({
  documentId: Schema.String,
  kind: Schema.String,
  objectKey: Schema.String,
  fileName: Schema.String,
  contentType: Schema.String,
  size: Schema.Int,
  sha256: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `document:${this.documentId}`
  }
}

/**
 * Staff approval after review: the order is delivered. `requestId` names one
 * attempt, so an attempt rejected while the order was not ready does not
 * reply to a later one; the order is still approved once.
 */
export class ApproveOrder extends Schema.Class<ApproveOrder>("ApproveOrder")({
  approvedBy: Schema.String,
  requestId: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `approve:${this.requestId}`
  }
}

/** Cancels an order that has not been paid; `requestId` names one attempt, as for approval. */
export class CancelOrder extends Schema.Class<CancelOrder>("CancelOrder")({
  reason: Schema.String,
  requestId: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `cancel:${this.requestId}`
  }
}

/** Puts an order in progress aside for staff because a fulfilment step failed for good. */
export class FlagForAttention extends Schema.Class<FlagForAttention>("FlagForAttention")({
  step: Schema.String,
  reason: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `attention:${this.step}`
  }
}

/** An order document and where its bytes are stored. */
export class StoredDocument extends Schema.Class<StoredDocument>("StoredDocument")({
  documentId: Schema.String,
  objectKey: Schema.String,
  fileName: Schema.String,
  contentType: Schema.String
}) {}

/** The order with the hash that guards customer access and the storage keys of its documents. */
export class OrderSnapshot extends Schema.Class<OrderSnapshot>("OrderSnapshot")({
  order: OrderView,
  accessTokenHash: Schema.String,
  storedDocuments: Schema.Array(StoredDocument)
}) {}

/** The Order entity type, in the `default` shard group. */
export const Order = Entity.make("Order", [
  Rpc.make("Create", {
    payload: CreateOrder,
    success: OrderSnapshot,
    error: Schema.Union(OrderRejected, IdempotencyKeyReused)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Requote", {
    payload: RequoteOrder,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState, OrderRejected)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("RecordPayment", {
    payload: RecordPayment,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState, PaymentMismatch)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("AttachDocument", {
    payload: AttachDocument,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Approve", {
    payload: ApproveOrder,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Cancel", {
    payload: CancelOrder,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("FlagForAttention", {
    payload: FlagForAttention,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("RecordCheckout", {
    payload: RecordCheckout,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("ApplyPaymentEvent", {
    payload: ApplyPaymentEvent,
    success: OrderSnapshot,
    error: OrderNotFound
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("SettleFunds", {
    payload: SettleFunds,
    success: OrderSnapshot,
    error: OrderNotFound
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("RemindUnpaid", {
    payload: RemindUnpaid,
    success: Schema.Boolean,
    error: OrderNotFound
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("RecordRefund", {
    payload: RecordRefund,
    success: OrderSnapshot,
    error: Schema.Union(OrderNotFound, InvalidOrderState)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Get", {
    success: OrderSnapshot,
    error: OrderNotFound
  })
])
