/**
 * Failures the Order entity returns to its callers.
 */
import { Schema } from "effect"

/** No order has this id. */
export class OrderNotFound extends Schema.TaggedError<OrderNotFound>()("OrderNotFound", {
  orderId: Schema.String
}) {
  override get message() {
    return `order ${this.orderId} not found`
  }
}

/** The order is in a state where the requested action is not allowed. */
export class InvalidOrderState extends Schema.TaggedError<InvalidOrderState>()("InvalidOrderState", {
  orderId: Schema.String,
  status: Schema.String,
  action: Schema.String,
  hint: Schema.String
}) {
  override get message() {
    return `cannot ${this.action} order ${this.orderId} while it is ${this.status}; ${this.hint}`
  }
}

/** The order request is invalid; `field` is the path of the offending value. */
export class OrderRejected extends Schema.TaggedError<OrderRejected>()("OrderRejected", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `${this.field}: ${this.reason}`
  }
}

/** The same idempotency key was used before for a different order request. */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  orderId: Schema.String
}) {
  override get message() {
    return `Idempotency-Key was already used for another request (order ${this.orderId}); send a new key for a new order`
  }
}

/** A payment's amount or currency differs from the order's quoted total. */
export class PaymentMismatch extends Schema.TaggedError<PaymentMismatch>()("PaymentMismatch", {
  orderId: Schema.String,
  expected: Schema.Int,
  received: Schema.Int,
  currency: Schema.String
}) {
  override get message() {
    return `payment of ${this.received} ${this.currency} cents does not match the total of ${this.expected} for order ${this.orderId}`
  }
}
