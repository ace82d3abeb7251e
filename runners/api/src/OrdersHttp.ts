/**
 * Handlers of the customer order group. Each request is validated here, then
 * sent to the order's entity; reads and downloads check the access token.
 */
import { HttpApiBuilder } from "@effect/platform"
import { PlatformApi, CustomerOrder, DocumentLink, CreatedOrder } from "@pw/api/Api"
import { LinkExpired, NotFound, Unauthorized } from "@pw/api/ApiErrors"
import * as DocumentProgress from "@pw/domain/DocumentProgress"
import { PresentedAccessToken } from "@pw/api/Security"
import { Order, type OrderSnapshot } from "@pw/order/Order"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Clock, Config, DateTime, Duration, Effect, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import * as Credentials from "./Credentials.ts"
import { dieOnDeliveryFailure, fromOrderError } from "./EntityErrors.ts"
import * as OrderCheckout from "./OrderCheckout.ts"
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
    const checkouts = yield* OrderCheckout.make

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
          const started = yield* checkouts.start(snapshot, urlParams.coin)
          const view = yield* customerView(started.snapshot)
          return started.checkout === undefined ? view : new CustomerOrder({ ...view, checkout: started.checkout })
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
