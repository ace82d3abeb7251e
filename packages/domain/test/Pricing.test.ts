import { describe, expect, it } from "@effect/vitest"
import { findService } from "@pw/domain/Catalog"
import { applyRate } from "@pw/domain/Money"
import { type PaymentMethod, surchargeBasisPoints } from "@pw/domain/PaymentMethod"
import * as Pricing from "@pw/domain/Pricing"
import { OrderItem } from "@pw/domain/Quote"
import { foreignQualificationFees } from "@pw/domain/StateFees"
import { Effect } from "effect"

const item = (service: string, options: Partial<Pick<OrderItem, "quantity" | "state">> = {}) =>
  new OrderItem({ service, quantity: options.quantity ?? 1, ...(options.state === undefined ? {} : { state: options.state }) })

/** Returns the catalog price of a flat-priced service in cents. Throws when the service is not flat. */
const flatPrice = (slug: string): number => {
  const price = findService(slug)?.price
  if (price?._tag !== "Flat") throw new Error(`${slug} is not a flat-priced service`)
  return price.amount
}

/** Runs `effect` and returns its failure. A success becomes a one-line defect instead of a printed quote. */
const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.matchEffect(effect, {
    onFailure: Effect.succeed,
    onSuccess: () => Effect.dieMessage("expected pricing to fail, but it returned a quote")
  })

const cpni = flatPrice("cpni-certification")
const rmd = flatPrice("rmd-filing")

describe("Pricing surcharge", () => {
  const methods: ReadonlyArray<readonly [PaymentMethod, number]> = [
    ["card", 300],
    ["ach", 0],
    ["klarna", 600],
    ["paypal", 300],
    ["crypto", 0]
  ]

  it.each(methods)("rate table %s", (method, basisPoints) => {
    expect(surchargeBasisPoints[method]).toBe(basisPoints)
  })

  it.effect.each(methods)("single service %s", ([method, basisPoints]) =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification")], method)

      expect(quote.paymentMethod).toBe(method)
      expect(quote.surchargeBasisPoints).toBe(basisPoints)
      expect(quote.surcharge).toBe(applyRate(cpni, basisPoints))
      expect(quote.total).toBe(cpni + applyRate(cpni, basisPoints))
    }))

  it.effect("card 3 % after discount", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification"), item("rmd-filing")], "card")

      // 149.00 + 219.00 = 368.00, and 15 % off (55.20) leaves 312.80. 3 % of 312.80 is 9.384.
      expect(quote.serviceFees).toBe(36_800)
      expect(quote.subtotal).toBe(36_800)
      expect(quote.discountBasisPoints).toBe(1_500)
      expect(quote.discount).toBe(5_520)
      expect(quote.discountedSubtotal).toBe(31_280)
      expect(quote.surcharge).toBe(938)
      expect(quote.total).toBe(32_218)
    }))

  it.effect("klarna 6 % after discount", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification"), item("rmd-filing")], "klarna")

      // 6 % of 312.80 is 18.768.
      expect(quote.discountedSubtotal).toBe(31_280)
      expect(quote.surcharge).toBe(1_877)
      expect(quote.total).toBe(33_157)
    }))

  it.effect("ach adds nothing", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification"), item("rmd-filing")], "ach")

      expect(quote.surcharge).toBe(0)
      expect(quote.total).toBe(31_280)
    }))

  it.effect("surcharge includes government fees", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("foreign-qualification-single", { state: "WY" })], "card")

      // 149.00 service fee + 150.00 Wyoming fee = 299.00, and 3 % of that is 8.97.
      expect(quote.subtotal).toBe(29_900)
      expect(quote.surcharge).toBe(897)
      expect(quote.total).toBe(30_797)
    }))
})

describe("Pricing discount", () => {
  it.effect("two compliance services earn 15 %", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification"), item("rmd-filing")], "ach")

      expect(quote.discountBasisPoints).toBe(Pricing.multiServiceDiscountBasisPoints)
      expect(quote.discount).toBe(applyRate(cpni + rmd, 1_500))
    }))

  it.effect("one service earns none", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification")], "ach")

      expect(quote.discountBasisPoints).toBe(0)
      expect(quote.discount).toBe(0)
      expect(quote.total).toBe(cpni)
    }))

  it.effect.each(["fcc-499a-499q", "new-carrier-bundle"])("bundle %s plus one service", (bundle) =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item(bundle), item("cpni-certification")], "ach")

      expect(quote.discountBasisPoints).toBe(0)
      expect(quote.discount).toBe(0)
      expect(quote.total).toBe(flatPrice(bundle) + cpni)
    }))

  it.effect("two bundles earn none", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("fcc-499a-499q"), item("new-carrier-bundle")], "ach")

      expect(quote.discount).toBe(0)
      expect(quote.total).toBe(flatPrice("fcc-499a-499q") + flatPrice("new-carrier-bundle"))
    }))

  it.effect("quantity 2 of one service", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification", { quantity: 2 })], "ach")

      expect(quote.serviceFees).toBe(2 * cpni)
      expect(quote.discount).toBe(0)
      expect(quote.total).toBe(2 * cpni)
    }))

  it.effect("same service listed twice", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification"), item("cpni-certification")], "ach")

      expect(quote.serviceFees).toBe(2 * cpni)
      expect(quote.discount).toBe(0)
    }))

  it.effect("discount covers every unit", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("cpni-certification", { quantity: 2 }), item("rmd-filing")], "ach")

      // The discount applies to all discountable fees: 2 × 149.00 + 219.00 = 517.00.
      expect(quote.discount).toBe(applyRate(2 * cpni + rmd, 1_500))
    }))

  it.effect("formation items stay undiscounted", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([
        item("cpni-certification"),
        item("rmd-filing"),
        item("foreign-qualification-single", { state: "WY" })
      ], "ach")
      const formation = quote.lines[2]

      expect(formation?.discountable).toBe(false)
      expect(quote.serviceFees).toBe(cpni + rmd + 14_900)
      expect(quote.governmentFees).toBe(15_000)
      expect(quote.discount).toBe(applyRate(cpni + rmd, 1_500))
      expect(quote.discountedSubtotal).toBe(cpni + rmd + 14_900 + 15_000 - 5_520)
    }))

  it.effect("formation plus one service", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([
        item("cpni-certification"),
        item("foreign-qualification-single", { state: "WY" })
      ], "ach")

      expect(quote.discount).toBe(0)
    }))
})

describe("Pricing per state", () => {
  it.effect("adds WY fee as governmentFee", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("foreign-qualification-single", { state: "WY" })], "ach")
      const line = quote.lines[0]

      expect(line?.state).toBe("WY")
      expect(line?.amount).toBe(14_900)
      expect(line?.governmentFee?.amount).toBe(foreignQualificationFees.WY)
      expect(line?.governmentFee?.currency).toBe("USD")
      expect(quote.governmentFees).toBe(15_000)
      expect(quote.total).toBe(29_900)
    }))

  it.effect("multiplies fee by quantity", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("foreign-qualification-multi", { state: "TX", quantity: 2 })], "ach")

      expect(quote.serviceFees).toBe(2 * 9_900)
      expect(quote.governmentFees).toBe(2 * 75_000)
    }))

  it.effect("uses the given fee table", () =>
    Effect.gen(function*() {
      const quote = yield* Pricing.quote([item("foreign-qualification-single", { state: "CA" })], "ach", { CA: 7_000 })

      expect(quote.governmentFees).toBe(7_000)
    }))

  it.effect("missing state fails", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(Pricing.quote([item("foreign-qualification-single")], "ach"))

      expect(error).toBeInstanceOf(Pricing.PricingError)
      expect(error.field).toBe("items[0].state")
    }))

  it.effect("state on flat service fails", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(Pricing.quote([item("cpni-certification"), item("rmd-filing", { state: "WY" })], "ach"))

      expect(error.field).toBe("items[1].state")
      expect(error.message).toContain("rmd-filing")
    }))

  it.effect("fee not on file fails", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(Pricing.quote([item("foreign-qualification-single", { state: "CA" })], "ach"))

      expect(error.field).toBe("items[0].state")
      expect(error.message).toContain("CA")
    }))
})

describe("Pricing rejects", () => {
  it.effect.each(["crtc-registration", "us-state-formation"])("quoted service %s", (slug) =>
    Effect.gen(function*() {
      const error = yield* failureOf(Pricing.quote([item(slug)], "card"))

      expect(error).toBeInstanceOf(Pricing.PricingError)
      expect(error.field).toBe("items[0].service")
      expect(error.message).toContain(slug)
    }))

  it.effect("unknown slug names its index", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(Pricing.quote([item("cpni-certification"), item("fcc-499z")], "card"))

      expect(error.field).toBe("items[1].service")
      expect(error.message).toContain("fcc-499z")
    }))

  it.effect("empty items", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(Pricing.quote([], "card"))

      expect(error.field).toBe("items")
    }))
})
