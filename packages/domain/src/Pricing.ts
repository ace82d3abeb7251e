/**
 * Prices ordered items: catalog price, state fees, multi-service discount and
 * payment-method surcharge, all in integer cents.
 */
import { Data, Effect } from "effect"
import { findService, type Service } from "./Catalog.ts"
import { applyRate, usd } from "./Money.ts"
import { type PaymentMethod, surchargeBasisPoints } from "./PaymentMethod.ts"
import { type OrderItem, Quote, QuoteLine } from "./Quote.ts"
import { foreignQualificationFees } from "./StateFees.ts"
import type { UsState } from "./UsState.ts"

/** Discount for two or more single compliance services ordered together, in basis points. */
export const multiServiceDiscountBasisPoints = 1_500

/** A priced item could not be priced; `field` is the path of the offending value in the request. */
export class PricingError extends Data.TaggedError("PricingError")<{
  readonly field: string
  readonly message: string
}> {}

/** Filing fees, in USD cents, by state for the per-state services. */
export type StateFeeTable = Readonly<Partial<Record<UsState, number>>>

const priceLine = (
  item: OrderItem,
  index: number,
  stateFees: StateFeeTable
): Effect.Effect<QuoteLine, PricingError> => {
  const field = `items[${index}]`
  const service: Service | undefined = findService(item.service)
  if (service === undefined) {
    return new PricingError({
      field: `${field}.service`,
      message: `unknown service "${item.service}"; GET /v1/catalog lists the valid slugs`
    })
  }
  const base = {
    service: service.slug,
    name: service.name,
    quantity: item.quantity,
    discountable: service.kind === "compliance"
  }
  switch (service.price._tag) {
    case "Quoted":
      return new PricingError({
        field: `${field}.service`,
        message: `"${service.slug}" is priced on request; contact staff for a quote`
      })
    case "Flat": {
      if (item.state !== undefined) {
        return new PricingError({
          field: `${field}.state`,
          message: `"${service.slug}" is not sold per state; remove state`
        })
      }
      const unitAmount = service.price.amount
      return Effect.succeed(new QuoteLine({ ...base, unitAmount, amount: unitAmount * item.quantity }))
    }
    case "PerState": {
      if (item.state === undefined) {
        return new PricingError({
          field: `${field}.state`,
          message: `"${service.slug}" is sold per state; give state as a two-letter code such as WY`
        })
      }
      const fee = stateFees[item.state]
      if (fee === undefined) {
        return new PricingError({
          field: `${field}.state`,
          message: `the filing fee for ${item.state} is not on file; contact staff for a quote`
        })
      }
      const unitAmount = service.price.amount
      return Effect.succeed(
        new QuoteLine({
          ...base,
          state: item.state,
          unitAmount,
          amount: unitAmount * item.quantity,
          governmentFee: usd(fee * item.quantity)
        })
      )
    }
  }
}

const sum = (values: ReadonlyArray<number>): number => values.reduce((total, value) => total + value, 0)

/**
 * Prices `items` for `paymentMethod`. The discount applies first, to service
 * fees only. The surcharge is then charged on the discounted subtotal
 * (service fees and government fees). Both round half-up to the cent.
 */
export const quote = Effect.fn("Pricing.quote")(function*(
  items: ReadonlyArray<OrderItem>,
  paymentMethod: PaymentMethod,
  stateFees: StateFeeTable = foreignQualificationFees
) {
  if (items.length === 0) {
    return yield* new PricingError({ field: "items", message: "items is empty; order at least one service" })
  }
  const lines = yield* Effect.forEach(items, (item, index) => priceLine(item, index, stateFees))

  const serviceFees = sum(lines.map((line) => line.amount))
  const governmentFees = sum(lines.map((line) => line.governmentFee?.amount ?? 0))
  const subtotal = serviceFees + governmentFees

  const discountableServices = new Set(lines.filter((line) => line.discountable).map((line) => line.service))
  const discountBasisPoints = discountableServices.size >= 2 ? multiServiceDiscountBasisPoints : 0
  const discountableFees = sum(lines.filter((line) => line.discountable).map((line) => line.amount))
  const discount = applyRate(discountableFees, discountBasisPoints)
  const discountedSubtotal = subtotal - discount

  const surchargeRate = surchargeBasisPoints[paymentMethod]
  const surcharge = applyRate(discountedSubtotal, surchargeRate)

  return new Quote({
    currency: "USD",
    lines,
    serviceFees,
    governmentFees,
    subtotal,
    discountBasisPoints,
    discount,
    discountedSubtotal,
    paymentMethod,
    surchargeBasisPoints: surchargeRate,
    surcharge,
    total: discountedSubtotal + surcharge
  })
})
