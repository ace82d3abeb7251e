/**
 * The data the CPNI certification template is filled with.
 */
import { formatAddress } from "@pw/domain/Carrier"
import { totalComplaints } from "@pw/domain/CpniCertification"
import type { OrderView } from "@pw/domain/Order"
import { DateTime } from "effect"

/** Object key of an order's certification in the given format. */
export const objectKey = (orderId: string, calendarYear: number, extension: "docx" | "pdf"): string =>
  `orders/${orderId}/cpni-certification-${calendarYear}.${extension}`

/** File name the customer downloads. */
export const fileName = (calendarYear: number): string => `cpni-certification-${calendarYear}.pdf`

/**
 * Builds the template data of `order`, which must carry certification facts.
 * Orders paid through the sandbox gateway print "SAMPLE — not filed".
 */
export const templateData = (order: OrderView, preparedOn: DateTime.Utc): Record<string, unknown> | undefined => {
  const facts = order.cpniCertification
  if (facts === undefined) return undefined
  return {
    legalName: order.carrier.legalName,
    frn: order.carrier.frn,
    filer499Id: order.carrier.filer499Id,
    address: formatAddress(order.carrier.address),
    officerName: facts.officerName,
    officerTitle: facts.officerTitle,
    calendarYear: String(facts.calendarYear),
    preparedOn: DateTime.format(preparedOn, { dateStyle: "long", locale: "en-US", timeZone: "UTC" }),
    operatingProcedures: facts.operatingProcedures,
    dataBrokerActions: facts.dataBrokerActions,
    complaintsEmployees: String(facts.complaints.improperAccessByEmployees),
    complaintsDisclosure: String(facts.complaints.improperDisclosureToUnauthorizedIndividuals),
    complaintsOnline: String(facts.complaints.improperOnlineAccess),
    complaintsTotal: String(totalComplaints(facts.complaints)),
    sample: order.payments.some((payment) => payment.gateway === "sandbox")
  }
}
