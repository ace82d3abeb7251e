import { expect, layer } from "@effect/vitest"
import { Address, CarrierProfile, Frn } from "@pw/domain/Carrier"
import { usd } from "@pw/domain/Money"
import { OrderView, Payment, type PaymentGateway } from "@pw/domain/Order"
import * as Pricing from "@pw/domain/Pricing"
import { OrderItem } from "@pw/domain/Quote"
import { FundsCleared } from "@pw/order/FundsCleared"
import { ConfigProvider, DateTime, Effect, Layer } from "effect"
import { StripeDouble } from "../../../test/doubles/StripeDouble.ts"
import * as IssuingTopUp from "../src/IssuingTopUp.ts"
import * as Payments from "../src/Payments.ts"

const DoubleLayer = StripeDouble.layer({ webhookSecret: "whsec_topup_test", clock: () => Date.UTC(2026, 2, 2) })

const hookLayer = (enabled: boolean) =>
  Layer.unwrapEffect(
    Effect.map(StripeDouble, (double) =>
      IssuingTopUp.layer.pipe(
        Layer.provide(Payments.layer),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
          new Map([
            ["STRIPE_SECRET_KEY", "sk_test_topup"],
            ["STRIPE_WEBHOOK_SECRET", "whsec_topup_test"],
            ["STRIPE_API_BASE", double.url],
            ["STRIPE_ISSUING_TOPUP", String(enabled)]
          ])
        )))
      ))
  )

const orderPaidThrough = (id: string, gateway: PaymentGateway) =>
  Effect.gen(function*() {
    const quote = yield* Pricing.quote([new OrderItem({ service: "cpni-certification", quantity: 1 })], "card")
    const now = DateTime.unsafeMake("2026-03-04T00:00:00Z")
    return new OrderView({
      id: id as OrderView["id"],
      status: "funds_cleared",
      carrier: new CarrierProfile({
        frn: Frn.make("0018538512"),
        legalName: "Otelco Telephone LLC",
        filer499Id: "801003",
        address: new Address({ street: "505 Third Avenue East", city: "Oneonta", state: "AL", postalCode: "35121" })
      }),
      items: [new OrderItem({ service: "cpni-certification", quantity: 1 })],
      quote,
      payments: [
        new Payment({
          id: `${gateway}:pi_${id}`,
          gateway,
          method: "card",
          status: "succeeded",
          amount: usd(quote.total),
          overpaid: 0,
          recordedAt: now
        })
      ],
      documents: [],
      createdAt: now,
      updatedAt: now
    })
  })

const topUps = Effect.map(StripeDouble, (double) =>
  double.requests().filter((request) => request.method === "POST" && request.path === "/v1/topups" && request.status === 200))

layer(DoubleLayer)("IssuingTopUp", (it) => {
  it.effect("repeats reuse one idempotency key", () =>
    Effect.gen(function*() {
      const hook = yield* FundsCleared
      const order = yield* orderPaidThrough("ord_topuponeaaaaaaaaaaaa", "stripe")

      yield* hook.cleared(order)
      yield* hook.cleared(order)

      const requests = yield* topUps
      expect(requests).toHaveLength(2)
      expect(new Set(requests.map((request) => request.idempotencyKey))).toEqual(new Set(["topup:ord_topuponeaaaaaaaaaaaa"]))
      expect(requests[0]?.params["amount"]).toBe(String(order.quote.total))
    }).pipe(Effect.provide(hookLayer(true))))

  it.effect("skips orders paid elsewhere", () =>
    Effect.gen(function*() {
      const hook = yield* FundsCleared
      const before = (yield* topUps).length
      yield* hook.cleared(yield* orderPaidThrough("ord_topuppaypalaaaaaaaaa", "paypal"))
      expect(yield* topUps).toHaveLength(before)
    }).pipe(Effect.provide(hookLayer(true))))

  it.effect("does nothing when off", () =>
    Effect.gen(function*() {
      const hook = yield* FundsCleared
      const before = (yield* topUps).length
      yield* hook.cleared(yield* orderPaidThrough("ord_topupoffaaaaaaaaaaaa", "stripe"))
      expect(yield* topUps).toHaveLength(before)
    }).pipe(Effect.provide(hookLayer(false))))
})
