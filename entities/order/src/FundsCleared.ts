/**
 * A hook that runs once an order's funds cleared, besides starting its
 * workflows, such as topping up the card that pays filing fees. The runner
 * may provide one. Without one, nothing else happens.
 */
import type { OrderView } from "@pw/domain/Order"
import { Context, type Effect } from "effect"

/** Called after the order's funds cleared, on every delivery of the message that cleared them; must be idempotent. */
export class FundsCleared extends Context.Tag("@pw/order/FundsCleared")<FundsCleared, {
  readonly cleared: (order: OrderView) => Effect.Effect<void>
}>() {}
