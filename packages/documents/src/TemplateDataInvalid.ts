/**
 * The error of template data that does not match the template's schema,
 * pointing at the first bad field.
 */
import { Option, ParseResult, Schema, SchemaAST as AST } from "effect"

/**
 * Template data failed its schema. `field` is the path of the first bad
 * field with dots, such as `lineItems.1.amount`, or empty when the data is
 * not an object at all. `message` names the field, what was wrong with it
 * and how to fix it.
 */
export class TemplateDataInvalid extends Schema.TaggedError<TemplateDataInvalid>()("TemplateDataInvalid", {
  /** Slug of the template, such as `invoice`. */
  template: Schema.String,
  field: Schema.String,
  message: Schema.String
}) {}

/** The parts of a template that `fromParseError` reads. */
export interface DescribedTemplate {
  readonly slug: string
  readonly title: string
  readonly schema: { readonly ast: AST.AST }
}

/** Steps through refinements, transformations and lazy schemas to the node that contains the fields. */
const structural = (ast: AST.AST): AST.AST => {
  switch (ast._tag) {
    case "Refinement":
    case "Transformation":
      return structural(ast.from)
    case "Suspend":
      return structural(ast.f())
    default:
      return ast
  }
}

/** Returns the schema of property `key` of `ast`, or of element `key` of an array. */
const child = (ast: AST.AST, key: PropertyKey): AST.AST | undefined => {
  const node = structural(ast)
  switch (node._tag) {
    case "TypeLiteral":
      return node.propertySignatures.find((signature) => signature.name === key)?.type
    case "TupleType":
      return typeof key === "number" ? (node.elements[key]?.type ?? node.rest[0]?.type) : undefined
    case "Union":
      return node.types.map((member) => child(member, key)).find((found) => found !== undefined)
    default:
      return undefined
  }
}

const nodeAt = (ast: AST.AST, path: ReadonlyArray<PropertyKey>): AST.AST | undefined =>
  path.reduce<AST.AST | undefined>((node, key) => (node === undefined ? undefined : child(node, key)), ast)

const fieldNames = (ast: AST.AST | undefined): string => {
  const node = ast === undefined ? undefined : structural(ast)
  return node?._tag === "TypeLiteral" ? node.propertySignatures.map((signature) => String(signature.name)).join(", ") : ""
}

/**
 * Builds the error for the first issue of `error`, a failure to decode data
 * of `template`. The fix quotes the `description` annotation of the field's
 * schema, so every field of a template schema should carry one.
 */
export const fromParseError = (template: DescribedTemplate, error: ParseResult.ParseError): TemplateDataInvalid => {
  const [first] = ParseResult.ArrayFormatter.formatIssueSync(error.issue)
  const path = first?.path ?? []
  const field = path.map(String).join(".")
  const subject = `${template.title} data is invalid`
  const description = Option.getOrUndefined(
    Option.fromNullable(nodeAt(template.schema.ast, path)).pipe(Option.flatMap(AST.getDescriptionAnnotation))
  )
  const make = (message: string) => new TemplateDataInvalid({ template: template.slug, field, message })

  if (path.length === 0) {
    return make(
      `${subject}: ${first?.message ?? "unknown problem"}. Fix: send an object with the fields ${fieldNames(template.schema.ast)}.`
    )
  }
  switch (first?._tag) {
    case "Missing":
      return make(
        `${subject} at ${field}: the field is missing. Fix: add ${field}${description === undefined ? "" : `, ${description}`}.`
      )
    case "Unexpected":
      return make(
        `${subject} at ${field}: the template has no such field. Fix: remove ${field} or correct its name; the fields here are ${fieldNames(nodeAt(template.schema.ast, path.slice(0, -1)))}.`
      )
    default:
      return make(
        `${subject} at ${field}: ${first?.message ?? "unknown problem"}. Fix: set ${field} to ${description ?? "a value of the right type"}.`
      )
  }
}
