/**
 * The cover page of the binder that collects an order's documents.
 */
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate } from "./Formatting.ts"
import { CalendarDate, Line, List, ObjectOf, OrderId, SampleFlag } from "./TemplateFields.ts"

/** Input of the binder cover. */
export const BinderCoverData = ObjectOf({
  title: Line(200).annotations({ description: "the binder's title, such as Compliance filings 2025" }),
  clientName: Line(200).annotations({ description: "the name of the client the binder is for" }),
  orderId: OrderId.annotations({ description: "the order the binder belongs to: ord_ and 20 characters from a-z and 2-7" }),
  preparedOn: CalendarDate.annotations({ description: "the date the binder is prepared, as YYYY-MM-DD" }),
  documents: List(Line(200), 1, 50).annotations({
    description: "the titles of the documents in the binder, in order, 1 to 50"
  }),
  sample: SampleFlag
})

/** The binder cover. `documents` rows carry their `number` from 1. */
export const binderCover = defineTemplate({
  slug: "binder-cover",
  title: "Binder cover",
  schema: BinderCoverData,
  values: (data) => ({
    title: data.title,
    clientName: data.clientName,
    orderId: data.orderId,
    preparedOn: formatLongDate(data.preparedOn),
    documents: data.documents.map((documentTitle, index) => ({ number: String(index + 1), documentTitle })),
    sample: data.sample
  })
})
