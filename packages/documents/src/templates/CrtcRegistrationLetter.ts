/**
 * The letter to the Secretary General of the CRTC that requests a carrier's
 * registration as a telecommunications service provider in Canada.
 */
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate } from "./Formatting.ts"
import {
  CalendarDate,
  Contact,
  formatMailingAddress,
  Line,
  List,
  MailingAddress,
  ObjectOf,
  SampleFlag,
  Signer
} from "./TemplateFields.ts"

/** Input of the CRTC registration letter. */
export const CrtcRegistrationLetterData = ObjectOf({
  letterDate: CalendarDate.annotations({ description: "the date of the letter, as YYYY-MM-DD" }),
  legalName: Line(200).annotations({ description: "the legal name of the company that registers" }),
  address: MailingAddress.annotations({
    description: "the company's address, an object with street, city, region, postalCode and country"
  }),
  incorporationJurisdiction: Line(120).annotations({
    description: "where the company is incorporated, such as Ontario or the State of Delaware"
  }),
  serviceStartDate: CalendarDate.annotations({
    description: "the date the company starts or started offering the services in Canada, as YYYY-MM-DD"
  }),
  services: List(Line(200), 1, 20).annotations({
    description: "the telecommunications services the company offers in Canada, 1 to 20 lines of text"
  }),
  contact: Contact.annotations({
    description: "the person the Commission may contact, an object with name, title, phone and email"
  }),
  signer: Signer.annotations({ description: "the officer who signs the letter, an object with name and title" }),
  sample: SampleFlag
})

/** The CRTC registration letter. */
export const crtcRegistrationLetter = defineTemplate({
  slug: "crtc-registration-letter",
  title: "CRTC registration letter",
  schema: CrtcRegistrationLetterData,
  values: (data) => ({
    letterDate: formatLongDate(data.letterDate),
    legalName: data.legalName,
    address: formatMailingAddress(data.address),
    incorporationJurisdiction: data.incorporationJurisdiction,
    serviceStartDate: formatLongDate(data.serviceStartDate),
    services: data.services.map((service) => ({ service })),
    contactName: data.contact.name,
    contactTitle: data.contact.title,
    contactPhone: data.contact.phone,
    contactEmail: data.contact.email,
    signerName: data.signer.name,
    signerTitle: data.signer.title,
    sample: data.sample
  })
})
