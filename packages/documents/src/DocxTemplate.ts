/**
 * Fills DOCX templates with docxtemplater. Tags use single braces:
 * `{name}` inserts a value, `{#flag}…{/flag}` keeps a block when `flag` is
 * truthy or repeats it for each element of an array.
 */
import Docxtemplater from "docxtemplater"
import PizZip from "pizzip"
import { Effect, Schema } from "effect"

/**
 * The template is not a DOCX file, has a tag syntax error, or the data lacks
 * a value for some tags (listed in `missingTags`).
 */
export class TemplateError extends Schema.TaggedError<TemplateError>()("TemplateError", {
  message: Schema.String,
  /** Tags whose value was missing, `undefined` or `null`, in the order docxtemplater met them. */
  missingTags: Schema.Array(Schema.String),
  cause: Schema.Defect
}) {}

/** Joins the explanations of a docxtemplater error. A compile error carries one per bad tag in `properties.errors`. */
const explainDocxtemplaterError = (cause: unknown): string => {
  if (!(cause instanceof Error)) {
    return String(cause)
  }
  const properties: unknown = "properties" in cause ? cause.properties : undefined
  if (typeof properties !== "object" || properties === null || !("errors" in properties)) {
    return cause.message
  }
  const { errors } = properties
  if (!Array.isArray(errors) || errors.length === 0) {
    return cause.message
  }
  return errors
    .map((error: unknown) => {
      if (error instanceof Error && "properties" in error) {
        const details: unknown = error.properties
        if (typeof details === "object" && details !== null && "explanation" in details) {
          return String(details.explanation)
        }
      }
      return error instanceof Error ? error.message : String(error)
    })
    .join("; ")
}

/**
 * Renders `data` into a DOCX template and returns the filled DOCX.
 *
 * Uses docxtemplater with `paragraphLoop` (a paragraph holding only a loop
 * tag is removed from the output) and `linebreaks` (`\n` in a value becomes
 * a line break). Values are XML-escaped by docxtemplater. A tag whose value
 * is missing, `undefined` or `null` is an error rather than empty text: the
 * call fails with `TemplateError` listing every such tag.
 */
export const render = Effect.fn("DocxTemplate.render")(function* (
  templateBytes: Uint8Array,
  data: Record<string, unknown>
): Effect.fn.Return<Uint8Array, TemplateError> {
  yield* Effect.annotateCurrentSpan({ templateBytes: templateBytes.byteLength })

  const zip = yield* Effect.try({
    try: () => new PizZip(templateBytes),
    catch: (cause) =>
      new TemplateError({
        message: `Template is not a valid DOCX file (ZIP archive expected): ${String(cause)}`,
        missingTags: [],
        cause
      })
  })

  const missingTags: Array<string> = []
  const document = yield* Effect.try({
    try: () =>
      new Docxtemplater(zip, {
        paragraphLoop: true,
        linebreaks: true,
        // By default docxtemplater also prints each error as JSON to the console. They reach the caller as TemplateError.
        errorLogging: false,
        nullGetter: (part) => {
          if (!missingTags.includes(part.value)) {
            missingTags.push(part.value)
          }
          return ""
        }
      }),
    catch: (cause) =>
      new TemplateError({
        message: `Template is invalid: ${explainDocxtemplaterError(cause)}`,
        missingTags: [],
        cause
      })
  })

  const output = yield* Effect.try({
    try: () => document.render(data).toUint8Array({ compression: "DEFLATE" }),
    catch: (cause) =>
      new TemplateError({
        message: `Failed to render template: ${explainDocxtemplaterError(cause)}`,
        missingTags: [],
        cause
      })
  })

  if (missingTags.length > 0) {
    return yield* new TemplateError({
      message: `Template data is missing values for tags: ${missingTags.join(", ")}`,
      missingTags,
      cause: undefined
    })
  }
  return output
})
