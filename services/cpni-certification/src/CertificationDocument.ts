/**
 * The input the CPNI certification template is rendered with, and where the
 * rendered files are stored.
 */
import type { OrderView } from "@pw/domain/Order"
import type { CpniCertificationData } from "@pw/documents/templates/CpniCertification"
import { DateTime } from "effect"

/** Object key of an order's certification in the given format. */
export const objectKey = (orderId: string, calendarYear: number, extension: "docx" | "pdf"): string =>
  `orders/${orderId}/cpni-certification-${calendarYear}.${extension}`

/** File name the customer downloads. */
export const fileName = (calendarYear: number): string => `cpni-certification-${calendarYear}.pdf`

/**
 * Builds the `cpni-certification` template input of `order`, or `undefined`
 * when the order carries no certification facts. `preparedOn` is printed as
 * its UTC calendar date. Orders paid through the sandbox gateway print
 * "SAMPLE — not filed".
 */
export const templateData = (
  order: OrderView,
  preparedOn: DateTime.Utc
): typeof CpniCertificationData.Encoded | undefined => {
  const facts = order.cpniCertification
  if (facts === undefined) return undefined
  const { address } = order.carrier
  return {
    legalName: order.carrier.legalName,
    frn: order.carrier.frn,
    filer499Id: order.carrier.filer499Id,
    address: { street: address.street, city: address.city, state: address.state, postalCode: address.postalCode },
    officerName: facts.officerName,
    officerTitle: facts.officerTitle,
    calendarYear: facts.calendarYear,
    preparedOn: DateTime.formatIsoDateUtc(preparedOn),
    operatingProcedures: facts.operatingProcedures,
    dataBrokerActions: facts.dataBrokerActions,
    complaintsEmployees: facts.complaints.improperAccessByEmployees,
    complaintsDisclosure: facts.complaints.improperDisclosureToUnauthorizedIndividuals,
    complaintsOnline: facts.complaints.improperOnlineAccess,
    sample: order.payments.some((payment) => payment.gateway === "sandbox")
  }
}
