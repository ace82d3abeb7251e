/**
 * The bridge from an order to the service workflows that fulfil it. The
 * runner provides it, so the Order entity does not depend on every service.
 */
import type { OrderItem } from "@pw/domain/Quote"
import { Context, type Effect } from "effect"

/** Starts and resumes the workflows of an order's services. */
export class Fulfilment extends Context.Tag("@pw/order/Fulfilment")<Fulfilment, {
  /** Starts one workflow per item that has one; starting again is harmless. */
  readonly start: (orderId: string, items: ReadonlyArray<OrderItem>) => Effect.Effect<void>
  /** Resumes the workflows that wait for staff approval; resuming again is harmless. */
  readonly approved: (orderId: string, items: ReadonlyArray<OrderItem>, approvedBy: string) => Effect.Effect<void>
}>() {}
