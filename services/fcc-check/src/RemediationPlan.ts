/**
 * The remediation of a check: the services that remedy its `missing` and
 * `action_needed` findings, priced together, and an order body prefilled
 * from the public data.
 */
import type { Frn } from "@pw/domain/Carrier"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import * as Pricing from "@pw/domain/Pricing"
import { OrderItem } from "@pw/domain/Quote"
import type { FrnRecords } from "@pw/fcc-data/FccDataStore"
import { Effect, Option } from "effect"
import { type Finding, PrefilledCarrier, PrefilledOrder, Remediation } from "./FccCheckReport.ts"

/** Formats a ZIP code as the order's address takes it: 5 digits, or ZIP+4 with a hyphen. */
const zipCode = (value: string | null): string | undefined => {
  const digits = (value ?? "").replace(/[^0-9]/g, "")
  if (digits.length === 5) return digits
  if (digits.length === 9) return `${digits.slice(0, 5)}-${digits.slice(5)}`
  return undefined
}

const present = <A>(value: A | null | undefined): value is A => value !== null && value !== undefined && value !== ""

/** Fills in the carrier from the Form 499 data, or else from the CORES page. */
export const prefilledCarrier = (frn: Frn, records: FrnRecords): PrefilledCarrier => {
  const filer = records.filers[0]
  const legalName = filer?.legal_name ?? records.cores?.entity_name ?? undefined
  const postalCode = zipCode(filer?.hq_zip_code ?? null)
  return new PrefilledCarrier({
    frn,
    ...(present(legalName) ? { legalName } : {}),
    ...(filer === undefined ? {} : { filer499Id: filer.filer_id }),
    address: {
      ...(present(filer?.hq_address) ? { street: filer.hq_address } : {}),
      ...(present(filer?.hq_city) ? { city: filer.hq_city } : {}),
      ...(present(filer?.hq_state) ? { state: filer.hq_state } : {}),
      ...(postalCode === undefined ? {} : { postalCode })
    }
  })
}

/** The order fields `POST /v1/orders` still needs. */
const fieldsToComplete = (carrier: PrefilledCarrier): ReadonlyArray<string> => [
  ...(carrier.legalName === undefined ? ["carrier.legalName"] : []),
  ...(carrier.filer499Id === undefined ? ["carrier.filer499Id"] : []),
  ...(carrier.address.street === undefined ? ["carrier.address.street"] : []),
  ...(carrier.address.city === undefined ? ["carrier.address.city"] : []),
  ...(carrier.address.state === undefined ? ["carrier.address.state"] : []),
  ...(carrier.address.postalCode === undefined ? ["carrier.address.postalCode"] : [])
]

/**
 * Prices the remedies of `findings` that need action, one item per service.
 * None when nothing needs action.
 */
export const remediationOf = Effect.fn("RemediationPlan.remediationOf")(function*(
  frn: Frn,
  records: FrnRecords,
  findings: ReadonlyArray<Finding>,
  paymentMethod: PaymentMethod
) {
  const services = [...new Set(findings
    .filter((finding) => finding.status === "missing" || finding.status === "action_needed")
    .flatMap((finding) => finding.remedy === undefined ? [] : [finding.remedy.service]))]
  if (services.length === 0) return Option.none<Remediation>()
  const items = services.map((service) => new OrderItem({ service, quantity: 1 }))
  // Remedies name flat-priced catalog services (a test prices every one), so a pricing failure is a defect.
  const quote = yield* Pricing.quote(items, paymentMethod).pipe(Effect.orDie)
  const carrier = prefilledCarrier(frn, records)
  return Option.some(new Remediation({
    quote,
    orderRequest: new PrefilledOrder({ carrier, items, paymentMethod }),
    fieldsToComplete: fieldsToComplete(carrier)
  }))
})
