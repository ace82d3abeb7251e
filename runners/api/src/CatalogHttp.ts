/**
 * Handlers of the catalog group: list services, price items.
 */
import { HttpApiBuilder } from "@effect/platform"
import { BadRequest } from "@pw/api/ApiErrors"
import { PlatformApi } from "@pw/api/Api"
import { services } from "@pw/domain/Catalog"
import * as Pricing from "@pw/domain/Pricing"
import { Effect } from "effect"

/** The catalog group's handlers; pure, no entity involved. */
export const CatalogHttp = HttpApiBuilder.group(PlatformApi, "catalog", (handlers) =>
  handlers
    .handle("list", () => Effect.succeed({ services }))
    .handle("quote", ({ payload }) =>
      Pricing.quote(payload.items, payload.paymentMethod).pipe(
        Effect.mapError((error) => new BadRequest({ message: `${error.field}: ${error.message}`, field: error.field }))
      )))
