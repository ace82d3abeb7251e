import { createHmac } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Option, Redacted } from "effect"
import { fiatToCents, make } from "../src/ShkeeperWebhook.ts"

const apiKey = "webhook-test-api-key"
const webhook = make({ apiKey: Redacted.make(apiKey), window: Duration.seconds(300) })

/** 2026-01-15 12:00:00 UTC, the receiver's clock in these tests. */
const nowSeconds = 1_768_478_400
const now = DateTime.unsafeMake(nowSeconds * 1000)

const signed = (body: string, timestamp: number = nowSeconds, key: string = apiKey) => ({
  "X-Shkeeper-Timestamp": timestamp.toString(),
  "X-Shkeeper-Signature": createHmac("sha256", key).update(`${timestamp}.${body}`).digest("hex")
})

const transaction = (txid: string, amountFiat: string, trigger: boolean) => ({
  amount_crypto: "0.0001",
  amount_fiat: amountFiat,
  amount_fiat_without_fee: amountFiat,
  crypto: "BTC",
  date: "2026-01-15 11:59:00",
  fee_fiat: "0",
  trigger,
  txid
})

const paymentCallback = (fields: {
  readonly status: string
  readonly balance: string
  readonly overpaid?: string
  readonly transactions: ReadonlyArray<ReturnType<typeof transaction>>
}) =>
  JSON.stringify({
    addr: "addr-btc-1",
    balance_crypto: "0.0002",
    balance_fiat: fields.balance,
    crypto: "BTC",
    external_id: "ord_aaaaaaaaaaaaaaaaaaaa",
    fee_fixed: "0",
    fee_percent: "0",
    fee_policy: "PERCENT_FEE",
    fiat: "USD",
    overpaid_fiat: fields.overpaid ?? "0.00",
    paid: fields.status !== "PARTIAL",
    status: fields.status,
    transactions: fields.transactions
  })

const paid = paymentCallback({
  status: "PAID",
  balance: "18.25",
  transactions: [transaction("tx-1", "10", false), transaction("tx-2", "8.25", true)]
})

const rejection = (body: string, headers: Record<string, string>) =>
  webhook.verify(body, headers, now).pipe(Effect.flip, Effect.map((error) => error.message))

describe("fiatToCents", () => {
  it("converts 18.25 to 1825", () => {
    expect(fiatToCents("18.25")).toEqual(Option.some(1825))
  })

  it("converts 0.1 to 10", () => {
    expect(fiatToCents("0.1")).toEqual(Option.some(10))
  })

  it("converts 5 to 500", () => {
    expect(fiatToCents("5")).toEqual(Option.some(500))
  })

  it("rounds an exact half cent up", () => {
    expect(fiatToCents("18.245")).toEqual(Option.some(1825))
  })

  it("rounds below half a cent down", () => {
    expect(fiatToCents("18.2449999999")).toEqual(Option.some(1824))
  })

  it("rejects signs, exponents and text", () => {
    expect(["-1", "1e3", "", "1.", ".5", "abc"].map(fiatToCents)).toEqual(Array(6).fill(Option.none()))
  })
})

describe("ShkeeperWebhook.verify", () => {
  it.effect("maps PAID to payment_succeeded", () =>
    Effect.gen(function*() {
      const event = yield* webhook.verify(paid, signed(paid), now)
      expect(event.kind).toBe("payment_succeeded")
      expect(event.amount).toEqual({ currency: "USD", amount: 1825 })
      expect(event.eventId).toBe("ord_aaaaaaaaaaaaaaaaaaaa:tx-2")
      expect(event.paymentReference).toBe("tx-2")
      expect(event.orderId).toBe("ord_aaaaaaaaaaaaaaaaaaaa")
      expect(event.overpaid).toBe(0)
    }))

  it.effect("accepts a Buffer body", () =>
    Effect.gen(function*() {
      const event = yield* webhook.verify(Buffer.from(paid, "utf8"), signed(paid), now)
      expect(event.eventId).toBe("ord_aaaaaaaaaaaaaaaaaaaa:tx-2")
    }))

  it.effect("matches header names without case", () =>
    Effect.gen(function*() {
      const headers = Object.fromEntries(Object.entries(signed(paid)).map(([name, value]) => [name.toLowerCase(), value]))
      const event = yield* webhook.verify(paid, headers, now)
      expect(event.kind).toBe("payment_succeeded")
    }))

  it.effect("falls back to the last transaction", () =>
    Effect.gen(function*() {
      const body = paymentCallback({
        status: "PARTIAL",
        balance: "10",
        transactions: [transaction("tx-1", "4", false), transaction("tx-2", "6", false)]
      })
      const event = yield* webhook.verify(body, signed(body), now)
      expect(event.eventId).toBe("ord_aaaaaaaaaaaaaaaaaaaa:tx-2")
    }))

  it.effect("rounds a long balance half up", () =>
    Effect.gen(function*() {
      const body = paymentCallback({
        status: "OVERPAID",
        balance: "18.2550000001",
        overpaid: "0.01",
        transactions: [transaction("tx-1", "18.2550000001", true)]
      })
      const event = yield* webhook.verify(body, signed(body), now)
      expect(event.amount?.amount).toBe(1826)
    }))

  it.effect("accepts the window's edges", () =>
    Effect.gen(function*() {
      const early = yield* webhook.verify(paid, signed(paid, nowSeconds - 300), now)
      const late = yield* webhook.verify(paid, signed(paid, nowSeconds + 300), now)
      expect(early.eventId).toBe(late.eventId)
    }))

  it.effect("rejects a wrong key's signature", () =>
    Effect.gen(function*() {
      const message = yield* rejection(paid, signed(paid, nowSeconds, "another-key"))
      expect(message).toContain("does not match")
    }))

  it.effect("rejects a tampered body", () =>
    Effect.gen(function*() {
      const message = yield* rejection(paid.replace("18.25", "99.25"), signed(paid))
      expect(message).toContain("does not match")
    }))

  it.effect("rejects a stale timestamp", () =>
    Effect.gen(function*() {
      const message = yield* rejection(paid, signed(paid, nowSeconds - 301))
      expect(message).toContain("301 seconds behind")
    }))

  it.effect("rejects a future timestamp", () =>
    Effect.gen(function*() {
      const message = yield* rejection(paid, signed(paid, nowSeconds + 301))
      expect(message).toContain("301 seconds ahead")
    }))

  it.effect("rejects missing signature headers", () =>
    Effect.gen(function*() {
      const message = yield* rejection(paid, { "X-Shkeeper-Api-Key": apiKey })
      expect(message).toContain("X-Shkeeper-Timestamp header is missing")
    }))

  it.effect("rejects a non-hex signature", () =>
    Effect.gen(function*() {
      const message = yield* rejection(paid, { ...signed(paid), "X-Shkeeper-Signature": "z".repeat(64) })
      expect(message).toContain("64 hex digits")
    }))

  it.effect("rejects a signed non-USD callback", () =>
    Effect.gen(function*() {
      const body = paid.replace("\"fiat\":\"USD\"", "\"fiat\":\"EUR\"")
      const message = yield* rejection(body, signed(body))
      expect(message).toContain("expected a USD payment callback")
    }))

  it.effect("rejects a signed body without transactions", () =>
    Effect.gen(function*() {
      const body = paymentCallback({ status: "PAID", balance: "18.25", transactions: [] })
      const message = yield* rejection(body, signed(body))
      expect(message).toContain("transactions")
    }))
})
