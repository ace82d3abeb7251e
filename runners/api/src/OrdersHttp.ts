/**
 * Handlers of the customer order group. Each request is validated here, then
 * sent to the order's entity; reads and downloads check the access token.
 */
import { HttpApiBuilder } from "@effect/platform"
import { PlatformApi, CustomerOrder, DocumentLink, CreatedOrder } from "@pw/api/Api"
import { Conflict, LinkExpired, NotFound, Unauthorized } from "@pw/api/ApiErrors"
import * as DocumentProgress from "@pw/domain/DocumentProgress"
import type { PaymentGateway } from "@pw/domain/Order"
import { Payments } from "@pw/payments/Payments"
import { PresentedAccessToken } from "@pw/api/Security"
import { usd } from "@pw/domain/Money"
import { Order, type OrderSnapshot } from "@pw/order/Order"
import { PublicUrl } from "@pw/order/OrderNotifications"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Clock, Config, DateTime, Duration, Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import * as Credentials from "./Credentials.ts"
import { dieOnDeliveryFailure, fromOrderError } from "./EntityErrors.ts"
import { OrderIntake } from "./OrderIntake.ts"
import { Secrets } from "./Secrets.ts"

/** How long a download link stays valid. */
export const DownloadLinkTtl = Config.duration("DOWNLOAD_LINK_TTL").pipe(
  Config.withDescription("How long a document download link stays valid, such as \"1 hour\""),
  Config.withDefault(Duration.hours(1))
)

/** The order group's handlers. */
export const OrdersHttp = HttpApiBuilder.group(PlatformApi, "orders", (handlers) =>
  Effect.gen(function*() {
    const makeOrder = yield* Order.client
    const intake = yield* OrderIntake
    const secrets = yield* Secrets
    const store = yield* ObjectStore
    const linkTtl = yield* DownloadLinkTtl
    const publicUrl = yield* PublicUrl
    const payments = yield* Payments

    const customerView = Effect.fn("OrdersHttp.customerView")(function*(snapshot: OrderSnapshot) {
      const nowMillis = yield* Clock.currentTimeMillis
      const expires = Math.floor((nowMillis + Duration.toMillis(linkTtl)) / 1000)
      const orderId = snapshot.order.id
      // Documents become downloadable once staff approved the order.
      const delivered = snapshot.order.status === "delivered"
      const documents = snapshot.order.documents.map((document) => {
        if (!delivered) return new DocumentLink(document)
        const signature = Credentials.downloadSignature(secrets.signingKey, orderId, document.id, expires)
        return new DocumentLink({
          ...document,
          downloadUrl: `/v1/orders/${orderId}/documents/${document.id}/download?expires=${expires}&signature=${signature}`,
          downloadExpiresAt: DateTime.unsafeMake(expires * 1000)
        })
      })
      const documentProgress = DocumentProgress.documentProgress(snapshot.order.items, snapshot.order.documents)
      return new CustomerOrder({ ...snapshot.order, documents, documentProgress })
    })

    /**
     * Opens a checkout at `gateway` for the order's total. The idempotency key
     * is derived from the order, method and total, so a retried request gets
     * the same checkout and a re-priced order a new one.
     */
    const startCheckout = (gateway: Exclude<PaymentGateway, "sandbox">, snapshot: OrderSnapshot, coin: string | undefined) =>
      Effect.gen(function*() {
        const order = snapshot.order
        const request = {
          orderId: order.id,
          amount: usd(order.quote.total),
          method: order.quote.paymentMethod,
          description: `Performance West order ${order.id} for ${order.carrier.legalName}`,
          idempotencyKey: `checkout:${order.id}:${order.quote.paymentMethod}:${order.quote.total}`,
          successUrl: `${publicUrl}/v1/orders/${order.id}`,
          cancelUrl: `${publicUrl}/v1/orders/${order.id}`,
          ...(coin === undefined ? {} : { coin })
        }
        const unavailable = () => Effect.die(new Error(`${gateway} was chosen for the order but is not configured`))
        const opened = gateway === "stripe"
          ? Option.match(payments.stripe, { onNone: unavailable, onSome: ({ gateway }) => gateway.createCheckout(request) })
          : gateway === "paypal"
          ? Option.match(payments.paypal, { onNone: unavailable, onSome: ({ gateway }) => gateway.createCheckout(request) })
          : Option.match(payments.shkeeper, { onNone: unavailable, onSome: ({ gateway }) => gateway.createCheckout(request) })
        return yield* opened.pipe(
          Effect.tapError((error) => Effect.annotateLogs(Effect.logWarning("checkout failed"), { orderId: order.id, gateway, reason: error.message })),
          Effect.mapError((error) => new Conflict({ message: `the ${gateway} checkout could not be opened: ${error.message}`, field: "paymentMethod" }))
        )
      })

    /** Loads the order and checks the presented access token against it. */
    const authorizedSnapshot = Effect.fn("OrdersHttp.authorizedSnapshot")(function*(orderId: string) {
      const token = yield* PresentedAccessToken
      const snapshot = yield* makeOrder(orderId).Get().pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))
      if (!Credentials.matchesTokenHash(Redacted.value(token), snapshot.accessTokenHash)) {
        return yield* new Unauthorized({ message: `the access token does not belong to order ${orderId}; use the accessToken returned when the order was created` })
      }
      return snapshot
    })

    return handlers
      .handle("create", ({ headers, payload }) =>
        Effect.gen(function*() {
          const accepted = yield* intake.create(payload, headers["idempotency-key"])
          return new CreatedOrder({ order: yield* customerView(accepted.snapshot), accessToken: accepted.accessToken })
        }))
      .handle("get", ({ path }) => Effect.flatMap(authorizedSnapshot(path.orderId), customerView))
      .handle("checkout", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const snapshot = yield* authorizedSnapshot(path.orderId)
          const quote = snapshot.order.quote
          const gateway = payments.gatewayFor(quote.paymentMethod)
          if (gateway === undefined) {
            return yield* new Conflict({
              message: `payment by ${quote.paymentMethod} is not available; choose another payment method`,
              field: "paymentMethod"
            })
          }

          if (gateway === "sandbox") {
            // The sandbox gateway approves at once; its payment id is fixed per
            // order, so a repeated checkout records the same payment.
            yield* makeOrder(path.orderId).RecordPayment({
              paymentId: `sbx_${path.orderId.slice("ord_".length)}`,
              gateway: "sandbox",
              method: quote.paymentMethod,
              amount: usd(quote.total)
            }).pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))
            // A repeated checkout gets the stored reply of the first, so return the order as it is now.
            const current = yield* makeOrder(path.orderId).Get().pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))
            return yield* customerView(current)
          }

          if (snapshot.order.status !== "awaiting_payment") {
            return yield* new Conflict({ message: `order ${path.orderId} is ${snapshot.order.status}, not awaiting payment`, field: "status" })
          }
          const checkout = yield* startCheckout(gateway, snapshot, urlParams.coin)
          const startedAt = yield* DateTime.now
          const recorded = yield* makeOrder(path.orderId).RecordCheckout({ checkout, startedAt }).pipe(
            dieOnDeliveryFailure,
            Effect.mapError(fromOrderError)
          )
          return new CustomerOrder({ ...(yield* customerView(recorded)), checkout })
        }).pipe(Effect.annotateLogs({ orderId: path.orderId })))
      .handle("cancel", ({ path }) =>
        Effect.gen(function*() {
          yield* authorizedSnapshot(path.orderId)
          const cancelled = yield* makeOrder(path.orderId).Cancel({ reason: "cancelled by the customer", requestId: randomUUID() }).pipe(
            dieOnDeliveryFailure,
            Effect.mapError(fromOrderError)
          )
          return yield* customerView(cancelled)
        }))
      .handle("download", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const snapshot = yield* authorizedSnapshot(path.orderId)
          const valid = Credentials.verifyDownloadSignature(
            secrets.signingKey,
            path.orderId,
            path.documentId,
            urlParams.expires,
            urlParams.signature
          )
          if (!valid) {
            return yield* new Unauthorized({
              message: "the download link's signature is invalid; take a fresh link from GET /v1/orders/{orderId}",
              field: "signature"
            })
          }
          const nowSeconds = Math.floor((yield* Clock.currentTimeMillis) / 1000)
          if (urlParams.expires < nowSeconds) {
            return yield* new LinkExpired({
              message: "the download link has expired; take a fresh link from GET /v1/orders/{orderId}",
              field: "expires"
            })
          }
          const stored = snapshot.storedDocuments.find((document) => document.documentId === path.documentId)
          if (snapshot.order.status !== "delivered") {
            return yield* new NotFound({
              message: `document ${path.documentId} is not released; documents can be downloaded once order ${path.orderId} is delivered`,
              field: "documentId"
            })
          }
          if (stored === undefined) {
            return yield* new NotFound({ message: `document ${path.documentId} not found on order ${path.orderId}`, field: "documentId" })
          }
          return yield* store.get(stored.objectKey).pipe(
            Effect.tapError((error) =>
              Effect.annotateLogs(Effect.logError("stored document could not be read"), {
                objectKey: stored.objectKey,
                error: error._tag,
                reason: error.message
              })
            ),
            Effect.orDie
          )
        }).pipe(Effect.annotateLogs({ orderId: path.orderId, documentId: path.documentId })))
  }))
