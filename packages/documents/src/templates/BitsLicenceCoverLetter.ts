/**
 * The cover letter of an application to the CRTC for a Basic International
 * Telecommunications Services (BITS) licence.
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
  Signer,
  Text
} from "./TemplateFields.ts"

/** Input of the BITS licence application cover letter. */
export const BitsLicenceCoverLetterData = ObjectOf({
  letterDate: CalendarDate.annotations({ description: "the date of the letter, as YYYY-MM-DD" }),
  legalName: Line(200).annotations({ description: "the legal name of the applicant" }),
  address: MailingAddress.annotations({
    description: "the applicant's address, an object with street, city, region, postalCode and country"
  }),
  incorporationJurisdiction: Line(120).annotations({
    description: "where the applicant is incorporated, such as Canada (federal) or British Columbia"
  }),
  serviceDescription: Text(4000).annotations({
    description: "the international telecommunications services the applicant intends to provide"
  }),
  enclosures: List(Line(200), 1, 20).annotations({
    description: "the documents enclosed with the application, 1 to 20 lines of text"
  }),
  contact: Contact.annotations({
    description: "the person the Commission may contact, an object with name, title, phone and email"
  }),
  signer: Signer.annotations({ description: "the officer who signs the letter, an object with name and title" }),
  sample: SampleFlag
})

/** The BITS licence application cover letter. */
export const bitsLicenceCoverLetter = defineTemplate({
  slug: "bits-licence-cover-letter",
  title: "BITS licence application cover letter",
  schema: BitsLicenceCoverLetterData,
  values: (data) => ({
    letterDate: formatLongDate(data.letterDate),
    legalName: data.legalName,
    address: formatMailingAddress(data.address),
    incorporationJurisdiction: data.incorporationJurisdiction,
    serviceDescription: data.serviceDescription,
    enclosures: data.enclosures.map((enclosure) => ({ enclosure })),
    contactName: data.contact.name,
    contactTitle: data.contact.title,
    contactPhone: data.contact.phone,
    contactEmail: data.contact.email,
    signerName: data.signer.name,
    signerTitle: data.signer.title,
    sample: data.sample
  })
})
