/**
 * SQL access to the order tables, used only by the Order entity's handlers.
 */
import { PgClient } from "@effect/sql-pg"
import { CarrierProfile } from "@pw/domain/Carrier"
import { CpniCertificationFacts } from "@pw/domain/CpniCertification"
import { Money } from "@pw/domain/Money"
import { OrderDocument, OrderStatus, OrderView, Payment, PaymentGateway, PaymentStatus } from "@pw/domain/Order"
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { OrderItem, Quote } from "@pw/domain/Quote"
import { Effect, Option, Schema } from "effect"
import { OrderSnapshot, StoredDocument } from "./Order.ts"

const OrderRow = Schema.Struct({
  id: Schema.String,
  status: OrderStatus,
  carrier: CarrierProfile,
  items: Schema.Array(OrderItem),
  quote: Quote,
  cpni_certification: Schema.NullOr(CpniCertificationFacts),
  contact_email: Schema.NullOr(Schema.String),
  access_token_hash: Schema.String,
  request_hash: Schema.String,
  created_at: Schema.DateTimeUtcFromDate,
  updated_at: Schema.DateTimeUtcFromDate
})

const PaymentRow = Schema.Struct({
  id: Schema.String,
  gateway: PaymentGateway,
  method: PaymentMethod,
  status: PaymentStatus,
  currency: Money.fields.currency,
  amount: Schema.NumberFromString,
  available_on: Schema.NullOr(Schema.DateTimeUtcFromDate),
  overpaid: Schema.NumberFromString,
  recorded_at: Schema.DateTimeUtcFromDate
})

const DocumentRow = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  object_key: Schema.String,
  file_name: Schema.String,
  content_type: Schema.String,
  size: Schema.NumberFromString,
  sha256: Schema.String,
  created_at: Schema.DateTimeUtcFromDate
})

const decodeOrderRows = Schema.decodeUnknown(Schema.Array(OrderRow))
const decodePaymentRows = Schema.decodeUnknown(Schema.Array(PaymentRow))
const decodeDocumentRows = Schema.decodeUnknown(Schema.Array(DocumentRow))
const encodeCarrier = Schema.encodeSync(CarrierProfile)
const encodeItems = Schema.encodeSync(Schema.Array(OrderItem))
const encodeQuote = Schema.encodeSync(Quote)
const encodeFacts = Schema.encodeSync(CpniCertificationFacts)

/** Reads and writes the order tables. Every function expects to run inside the handler's transaction. */
export const make = Effect.gen(function*() {
  const sql = yield* PgClient.PgClient

  const findForUpdate = (orderId: string) =>
    sql`SELECT * FROM orders WHERE id = ${orderId} FOR UPDATE`.pipe(
      Effect.flatMap(decodeOrderRows),
      Effect.map((rows) => Option.fromNullable(rows[0])),
      Effect.orDie
    )

  const insert = (order: {
    readonly id: string
    readonly status: OrderStatus
    readonly carrier: CarrierProfile
    readonly items: ReadonlyArray<OrderItem>
    readonly quote: Quote
    readonly cpniCertification: CpniCertificationFacts | undefined
    readonly contactEmail: string | undefined
    readonly accessTokenHash: string
    readonly requestHash: string
  }) =>
    sql`
      INSERT INTO orders (id, status, carrier_frn, carrier, items, quote, cpni_certification, contact_email, access_token_hash, request_hash)
      VALUES (
        ${order.id}, ${order.status}, ${order.carrier.frn},
        ${JSON.stringify(encodeCarrier(order.carrier))}::jsonb, ${JSON.stringify(encodeItems(order.items))}::jsonb,
        ${JSON.stringify(encodeQuote(order.quote))}::jsonb,
        ${order.cpniCertification === undefined ? null : JSON.stringify(encodeFacts(order.cpniCertification))}::jsonb,
        ${order.contactEmail ?? null}, ${order.accessTokenHash}, ${order.requestHash}
      )
    `.pipe(Effect.asVoid, Effect.orDie)

  const setStatus = (orderId: string, status: OrderStatus) =>
    sql`UPDATE orders SET status = ${status}, updated_at = now() WHERE id = ${orderId}`.pipe(Effect.asVoid, Effect.orDie)

  const setQuote = (orderId: string, quote: Quote) =>
    sql`UPDATE orders SET quote = ${JSON.stringify(encodeQuote(quote))}::jsonb, updated_at = now() WHERE id = ${orderId}`.pipe(
      Effect.asVoid,
      Effect.orDie
    )

  const insertPayment = (orderId: string, payment: {
    readonly id: string
    readonly gateway: PaymentGateway
    readonly method: PaymentMethod
    readonly amount: Money
  }) =>
    sql`
      INSERT INTO order_payments (id, order_id, gateway, method, currency, amount)
      VALUES (${payment.id}, ${orderId}, ${payment.gateway}, ${payment.method}, ${payment.amount.currency}, ${payment.amount.amount})
    `.pipe(Effect.asVoid, Effect.orDie)

  const insertDocument = (orderId: string, document: {
    readonly id: string
    readonly kind: string
    readonly objectKey: string
    readonly fileName: string
    readonly contentType: string
    readonly size: number
    readonly sha256: string
  }) =>
    sql`
      INSERT INTO order_documents (id, order_id, kind, object_key, file_name, content_type, size, sha256)
      VALUES (${document.id}, ${orderId}, ${document.kind}, ${document.objectKey}, ${document.fileName},
              ${document.contentType}, ${document.size}, ${document.sha256})
    `.pipe(Effect.asVoid, Effect.orDie)

  const snapshot = (orderId: string) =>
    Effect.gen(function*() {
      const rows = yield* sql`SELECT * FROM orders WHERE id = ${orderId}`.pipe(Effect.flatMap(decodeOrderRows))
      const row = rows[0]
      if (row === undefined) return Option.none<OrderSnapshot>()
      const payments = yield* sql`
        SELECT id, gateway, method, status, currency, amount::text AS amount, available_on,
               overpaid::text AS overpaid, recorded_at
        FROM order_payments WHERE order_id = ${orderId} ORDER BY recorded_at, id
      `.pipe(Effect.flatMap(decodePaymentRows))
      const documents = yield* sql`
        SELECT id, kind, object_key, file_name, content_type, size::text AS size, sha256, created_at
        FROM order_documents WHERE order_id = ${orderId} ORDER BY created_at, id
      `.pipe(Effect.flatMap(decodeDocumentRows))

      const order = new OrderView({
        id: row.id as OrderView["id"],
        status: row.status,
        carrier: row.carrier,
        items: row.items,
        quote: row.quote,
        ...(row.cpni_certification === null ? {} : { cpniCertification: row.cpni_certification }),
        ...(row.contact_email === null ? {} : { contactEmail: row.contact_email }),
        payments: payments.map((payment) =>
          new Payment({
            id: payment.id,
            gateway: payment.gateway,
            method: payment.method,
            status: payment.status,
            amount: new Money({ currency: payment.currency, amount: payment.amount }),
            ...(payment.available_on === null ? {} : { availableOn: payment.available_on }),
            overpaid: payment.overpaid,
            recordedAt: payment.recorded_at
          })
        ),
        documents: documents.map((document) =>
          new OrderDocument({
            id: document.id,
            kind: document.kind,
            fileName: document.file_name,
            contentType: document.content_type,
            size: document.size,
            sha256: document.sha256,
            createdAt: document.created_at
          })
        ),
        createdAt: row.created_at,
        updatedAt: row.updated_at
      })
      return Option.some(
        new OrderSnapshot({
          order,
          accessTokenHash: row.access_token_hash,
          storedDocuments: documents.map((document) =>
            new StoredDocument({
              documentId: document.id,
              objectKey: document.object_key,
              fileName: document.file_name,
              contentType: document.content_type
            })
          )
        })
      )
    }).pipe(Effect.orDie)

  const findPayment = (paymentId: string) =>
    sql`SELECT id, status FROM order_payments WHERE id = ${paymentId}`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Schema.Array(Schema.Struct({ id: Schema.String, status: PaymentStatus })))),
      Effect.map((rows) => rows[0]),
      Effect.orDie
    )

  const upsertPayment = (orderId: string, payment: {
    readonly id: string
    readonly gateway: PaymentGateway
    readonly method: PaymentMethod
    readonly status: PaymentStatus
    readonly reference: string | undefined
    readonly amount: Money
    readonly availableOn: Date | undefined
    readonly overpaid: number
  }) =>
    sql`
      INSERT INTO order_payments (id, order_id, gateway, method, status, reference, currency, amount, available_on, overpaid)
      VALUES (${payment.id}, ${orderId}, ${payment.gateway}, ${payment.method}, ${payment.status}, ${payment.reference ?? null},
              ${payment.amount.currency}, ${payment.amount.amount}, ${payment.availableOn ?? null}, ${payment.overpaid})
      ON CONFLICT (id) DO UPDATE SET
        status = EXCLUDED.status,
        amount = EXCLUDED.amount,
        available_on = COALESCE(EXCLUDED.available_on, order_payments.available_on),
        overpaid = EXCLUDED.overpaid,
        updated_at = now()
    `.pipe(Effect.asVoid, Effect.orDie)

  const setPaymentStatus = (paymentId: string, status: PaymentStatus) =>
    sql`UPDATE order_payments SET status = ${status}, updated_at = now() WHERE id = ${paymentId}`.pipe(Effect.asVoid, Effect.orDie)

  const insertCheckout = (orderId: string, checkout: {
    readonly id: string
    readonly gateway: PaymentGateway
    readonly method: PaymentMethod
    readonly redirectUrl: string
    readonly amount: number
    readonly startedAt: Date
  }) =>
    sql`
      INSERT INTO order_checkouts (id, order_id, gateway, method, redirect_url, amount, started_at)
      VALUES (${checkout.id}, ${orderId}, ${checkout.gateway}, ${checkout.method}, ${checkout.redirectUrl},
              ${checkout.amount}, ${checkout.startedAt})
      ON CONFLICT (id) DO NOTHING
    `.pipe(Effect.asVoid, Effect.orDie)

  /** Records a gateway event id; `false` when it was recorded before. */
  const recordPaymentEvent = (orderId: string, event: {
    readonly gateway: PaymentGateway
    readonly eventId: string
    readonly kind: string
    readonly providerType: string
  }) =>
    sql`
      INSERT INTO payment_events (gateway, event_id, order_id, kind, provider_type)
      VALUES (${event.gateway}, ${event.eventId}, ${orderId}, ${event.kind}, ${event.providerType})
      ON CONFLICT (gateway, event_id) DO NOTHING
      RETURNING event_id
    `.pipe(Effect.map((rows) => rows.length === 1), Effect.orDie)

  const insertRefund = (orderId: string, refund: {
    readonly id: string
    readonly paymentId: string
    readonly amount: Money
    readonly allocations: ReadonlyArray<{ readonly service: string; readonly amount: number }>
    readonly reason: string
  }) =>
    sql`
      INSERT INTO order_refunds (id, order_id, payment_id, currency, amount, allocations, reason)
      VALUES (${refund.id}, ${orderId}, ${refund.paymentId}, ${refund.amount.currency}, ${refund.amount.amount},
              ${JSON.stringify(refund.allocations)}::jsonb, ${refund.reason})
    `.pipe(Effect.asVoid, Effect.orDie)

  /** Returns the most recent checkout's payment page, if any. */
  const latestCheckoutUrl = (orderId: string) =>
    sql`SELECT redirect_url FROM order_checkouts WHERE order_id = ${orderId} ORDER BY started_at DESC LIMIT 1`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Schema.Array(Schema.Struct({ redirect_url: Schema.String })))),
      Effect.map((rows) => rows[0]?.redirect_url),
      Effect.orDie
    )

  const refundedAmount = (paymentId: string) =>
    sql`SELECT COALESCE(sum(amount), 0)::text AS total FROM order_refunds WHERE payment_id = ${paymentId}`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Schema.Array(Schema.Struct({ total: Schema.NumberFromString })))),
      Effect.map((rows) => rows[0]?.total ?? 0),
      Effect.orDie
    )

  return {
    findForUpdate,
    insert,
    setStatus,
    setQuote,
    insertPayment,
    insertDocument,
    snapshot,
    findPayment,
    upsertPayment,
    setPaymentStatus,
    insertCheckout,
    recordPaymentEvent,
    insertRefund,
    refundedAmount,
    latestCheckoutUrl
  } as const
})
