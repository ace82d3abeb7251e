/**
 * An order carrying CPNI certification facts, as the Order entity returns it.
 */
import { Address, CarrierProfile, Frn } from "@pw/domain/Carrier"
import { ComplaintCounts, CpniCertificationFacts } from "@pw/domain/CpniCertification"
import { usd } from "@pw/domain/Money"
import { OrderId, OrderView, Payment, type PaymentGateway } from "@pw/domain/Order"
import * as Pricing from "@pw/domain/Pricing"
import { OrderItem } from "@pw/domain/Quote"
import { DateTime, Effect } from "effect"

export const orderId = OrderId.make("ord_abcdefghijklmnopqrst")

export const carrier = new CarrierProfile({
  frn: Frn.make("0018538512"),
  legalName: "Kennebec Valley Telephone Company",
  filer499Id: "801003",
  address: new Address({ street: "12 Water Street", city: "Augusta", state: "ME", postalCode: "04330" })
})

export const facts = new CpniCertificationFacts({
  officerName: "Dana Whitfield",
  officerTitle: "Chief Executive Officer",
  calendarYear: 2025,
  operatingProcedures: "Employees are trained on the CPNI rules, and customers are authenticated before call detail is released.",
  complaints: new ComplaintCounts({
    improperAccessByEmployees: 1,
    improperDisclosureToUnauthorizedIndividuals: 2,
    improperOnlineAccess: 4
  }),
  dataBrokerActions: "None"
})

const items = [new OrderItem({ service: "cpni-certification", quantity: 1 })]
const quote = Effect.runSync(Pricing.quote(items, "card"))
const placedAt = DateTime.unsafeMake("2026-02-02T15:04:05Z")

const paymentThrough = (gateway: PaymentGateway) =>
  new Payment({
    id: `${gateway}_payment`,
    gateway,
    method: "card",
    status: "succeeded",
    amount: usd(quote.total),
    overpaid: 0,
    recordedAt: placedAt
  })

/** The order in progress, paid through `gateways` (none for an unpaid order), with or without facts. */
export const orderView = (options: {
  readonly gateways?: ReadonlyArray<PaymentGateway>
  readonly withFacts?: boolean
} = {}) =>
  new OrderView({
    id: orderId,
    status: "in_progress",
    carrier,
    items,
    quote,
    ...(options.withFacts === false ? {} : { cpniCertification: facts }),
    payments: (options.gateways ?? ["sandbox"]).map(paymentThrough),
    documents: [],
    createdAt: placedAt,
    updatedAt: placedAt
  })
