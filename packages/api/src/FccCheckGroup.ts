/**
 * The public FCC compliance check by FRN: a JSON report and a printable HTML
 * one. Both are rate limited per client.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Frn } from "@pw/domain/Carrier"
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { FccCheckReport } from "@pw/fcc-check/FccCheckReport"
import { Schema } from "effect"
import { TooManyRequests } from "./ApiErrors.ts"

const YesNo = (parameter: string) =>
  Schema.transform(
    Schema.Literal("yes", "no", "true", "false").annotations({
      message: (issue) => `${parameter} must be yes or no (got ${JSON.stringify(issue.actual)})`
    }),
    Schema.Boolean,
    { strict: true, decode: (text) => text === "yes" || text === "true", encode: (answer) => (answer ? "yes" : "no") }
  )

/** Query of the check: the FRN, the replies to the Broadband Data Collection questions and the quote's payment method. */
export const CheckQuery = Schema.Struct({
  frn: Frn,
  broadband: Schema.optional(YesNo("broadband")).annotations({ description: "Does the carrier offer broadband internet access? yes or no" }),
  voice: Schema.optional(YesNo("voice")).annotations({ description: "Does the carrier offer voice service? yes or no" }),
  paymentMethod: Schema.optional(PaymentMethod).annotations({ description: "Payment method the remediation quote is priced for; card when absent" })
})

/** `GET /v1/tools/fcc-compliance-check` and its HTML report. */
export class FccCheckGroup extends HttpApiGroup.make("fccCheck")
  .add(
    HttpApiEndpoint.get("check", "/tools/fcc-compliance-check")
      .setUrlParams(CheckQuery)
      .addSuccess(FccCheckReport)
      .addError(TooManyRequests)
      .annotate(OpenApi.Description, "Checks one FRN against the loaded FCC data and the platform's records; each finding names its rule, due date, source and remedying service.")
  )
  .add(
    HttpApiEndpoint.get("report", "/tools/fcc-compliance-check/report")
      .setUrlParams(CheckQuery)
      .addSuccess(HttpApiSchema.withEncoding(Schema.String, { kind: "Text", contentType: "text/html" }))
      .addError(TooManyRequests)
      .annotate(OpenApi.Description, "The same check as a printable HTML page.")
  )
  .prefix("/v1")
  .annotate(OpenApi.Description, "Public tools; no authentication, rate limited per client.")
{}
