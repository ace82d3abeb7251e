/**
 * Handlers of the catalog group: list services and crypto coins, price items.
 */
import { HttpApiBuilder } from "@effect/platform"
import { BadRequest } from "@pw/api/ApiErrors"
import { PlatformApi } from "@pw/api/Api"
import { services } from "@pw/domain/Catalog"
import * as Pricing from "@pw/domain/Pricing"
import { Payments } from "@pw/payments/Payments"
import { Effect, Option } from "effect"

/** The catalog group's handlers; no entity involved. */
export const CatalogHttp = HttpApiBuilder.group(PlatformApi, "catalog", (handlers) =>
  Effect.gen(function*() {
    const payments = yield* Payments

    return handlers
      .handle("list", () => Effect.succeed({ services }))
      .handle("cryptoCoins", () =>
        Option.match(payments.shkeeper, {
          onNone: () => Effect.succeed({ coins: [] }),
          onSome: ({ gateway }) =>
            gateway.listCoins().pipe(
              Effect.map((coins) => ({ coins: coins.map((coin) => ({ name: coin.name, displayName: coin.displayName })) })),
              Effect.orDie
            )
        }))
      .handle("quote", ({ payload }) =>
        Pricing.quote(payload.items, payload.paymentMethod).pipe(
          Effect.mapError((error) => new BadRequest({ message: `${error.field}: ${error.message}`, field: error.field }))
        ))
  }))
