/**
 * The definition of one document template: where its DOCX and sample live,
 * the schema of its input, and how decoded input becomes docxtemplater
 * values.
 */
import { Either, Schema } from "effect"
import { fromParseError, type TemplateDataInvalid } from "./TemplateDataInvalid.ts"

/** A docxtemplater value: text, a flag for a conditional block, or the rows of a loop. */
export type TemplateValue = string | boolean | ReadonlyArray<Readonly<Record<string, string>>>

/** The values a template is rendered with, one per placeholder or loop. */
export type TemplateValues = Readonly<Record<string, TemplateValue>>

/** A document template of the catalog. */
export interface DocumentTemplate<Slug extends string, A, I> {
  /** Identifier, also the folder of the template under `PW_TEMPLATES_DIR`. */
  readonly slug: Slug
  /** Name of the document, such as "Invoice". */
  readonly title: string
  /** Path of the DOCX relative to the templates folder: `<slug>/template.docx`. */
  readonly file: string
  /** Path of the sample data relative to the templates folder: `<slug>/sample.json`. */
  readonly sampleFile: string
  /** Schema of the input, with a description on every field. */
  readonly schema: Schema.Schema<A, I>
  /** Turns decoded input into the template's values; money and dates are formatted here. */
  readonly values: (data: A) => TemplateValues
  /**
   * Decodes `input` with `schema`, rejecting unknown fields, and returns its
   * values, or `TemplateDataInvalid` naming the first bad field.
   */
  readonly decodeValues: (input: unknown) => Either.Either<TemplateValues, TemplateDataInvalid>
}

/** Defines a template whose files are `<slug>/template.docx` and `<slug>/sample.json`. */
export const defineTemplate = <const Slug extends string, A, I>(definition: {
  readonly slug: Slug
  readonly title: string
  readonly schema: Schema.Schema<A, I>
  readonly values: (data: A) => TemplateValues
}): DocumentTemplate<Slug, A, I> => {
  const decode = Schema.decodeUnknownEither(definition.schema, { errors: "first", onExcessProperty: "error" })
  return {
    ...definition,
    file: `${definition.slug}/template.docx`,
    sampleFile: `${definition.slug}/sample.json`,
    decodeValues: (input) =>
      Either.match(decode(input), {
        onLeft: (error) => Either.left(fromParseError(definition, error)),
        onRight: (data) => Either.right(definition.values(data))
      })
  }
}
