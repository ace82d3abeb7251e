/**
 * Translation of entity failures into the API's error bodies. Cluster
 * delivery failures are not the caller's fault and become defects (HTTP 500).
 */
import type { InvalidOrderState, OrderNotFound, OrderRejected, IdempotencyKeyReused, PaymentMismatch } from "@pw/order/OrderErrors"
import { BadRequest, Conflict, NotFound } from "@pw/api/ApiErrors"
import { Effect } from "effect"

type OrderError = OrderNotFound | InvalidOrderState | OrderRejected | IdempotencyKeyReused | PaymentMismatch

/** The HTTP error each Order entity failure becomes. */
export type HttpErrorOf<E extends OrderError> = E extends OrderNotFound ? NotFound
  : E extends OrderRejected ? BadRequest
  : Conflict

/** Maps the Order entity's failures to HTTP errors. */
export const fromOrderError = <E extends OrderError>(error: E): HttpErrorOf<E> => toHttpError(error) as HttpErrorOf<E>

const toHttpError = (error: OrderError): BadRequest | NotFound | Conflict => {
  switch (error._tag) {
    case "OrderNotFound":
      return new NotFound({ message: error.message, field: "orderId" })
    case "InvalidOrderState":
      return new Conflict({ message: error.message, field: "status" })
    case "OrderRejected":
      return new BadRequest({ message: error.message, field: error.field })
    case "IdempotencyKeyReused":
      return new Conflict({ message: error.message, field: "Idempotency-Key" })
    case "PaymentMismatch":
      return new Conflict({ message: error.message, field: "amount" })
  }
}

/** Turns the cluster's delivery failures into defects. */
export const dieOnDeliveryFailure = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, { readonly _tag: "MailboxFull" | "AlreadyProcessingMessage" | "PersistenceError" }>, R> =>
  effect.pipe(
    Effect.catchIf(
      (error): error is Extract<E, { readonly _tag: "MailboxFull" | "AlreadyProcessingMessage" | "PersistenceError" }> =>
        typeof error === "object" && error !== null && "_tag" in error &&
        (error._tag === "MailboxFull" || error._tag === "AlreadyProcessingMessage" || error._tag === "PersistenceError"),
      Effect.die
    )
  ) as Effect.Effect<A, Exclude<E, { readonly _tag: "MailboxFull" | "AlreadyProcessingMessage" | "PersistenceError" }>, R>
