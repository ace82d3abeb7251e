/**
 * Handlers of the staff group: review and approve orders.
 */
import { HttpApiBuilder } from "@effect/platform"
import { PlatformApi } from "@pw/api/Api"
import { StaffMember } from "@pw/api/Security"
import { Order } from "@pw/order/Order"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { dieOnDeliveryFailure, fromOrderError } from "./EntityErrors.ts"

/** The staff group's handlers. */
export const StaffHttp = HttpApiBuilder.group(PlatformApi, "staff", (handlers) =>
  Effect.gen(function*() {
    const makeOrder = yield* Order.client
    return handlers
      .handle("getOrder", ({ path }) =>
        makeOrder(path.orderId).Get().pipe(
          dieOnDeliveryFailure,
          Effect.mapError(fromOrderError),
          Effect.map((snapshot) => snapshot.order)
        ))
      .handle("approve", ({ path }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          const snapshot = yield* makeOrder(path.orderId).Approve({ approvedBy: staff.name, requestId: randomUUID() }).pipe(
            dieOnDeliveryFailure,
            Effect.mapError(fromOrderError)
          )
          yield* Effect.annotateLogs(Effect.logInfo("order approved"), { orderId: path.orderId, approvedBy: staff.name })
          return snapshot.order
        }))
  }))
