/**
 * A minimal template language for e-mails: `{{name}}` inserts the value named
 * `name`, and nothing else is special. Values are plain strings formatted by
 * the caller. In HTML the renderer escapes every value. A placeholder without
 * a value is an error, never empty text.
 */
import { Effect, Schema } from "effect"

/** A placeholder name: a letter followed by letters and digits, such as `orderId`. */
const placeholderName = /^[A-Za-z][A-Za-z0-9]*$/

/** Anything between double braces, so that misspelt placeholders are found too. */
const tag = /\{\{([^{}]*)\}\}/g

/** One part of a parsed template: literal text or the name of a placeholder. */
export type TemplatePart =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Placeholder"; readonly name: string }

/** A parsed template, ready to render many times. */
export interface Template {
  /** Name used in error messages, such as `order-received.html`. */
  readonly name: string
  readonly parts: ReadonlyArray<TemplatePart>
}

/** Escaping applied to values: none for plain text, HTML entities for HTML. */
export type Escaping = "text" | "html"

/** The template source has a malformed placeholder, such as `{{ order id }}` or an unclosed `{{`. */
export class TemplateSyntaxError extends Schema.TaggedError<TemplateSyntaxError>()("TemplateSyntaxError", {
  template: Schema.String,
  message: Schema.String
}) {}

/** The values given to {@link render} lack one or more placeholders of the template. */
export class MissingTemplateValue extends Schema.TaggedError<MissingTemplateValue>()("MissingTemplateValue", {
  template: Schema.String,
  /** Names of the placeholders without a value, in the order they first appear. */
  placeholders: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const htmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&#39;"
}

/** Replaces `& < > " '` with entities, so the value is safe in HTML text and in quoted attributes. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (character) => htmlEntities[character] ?? character)

/**
 * Splits `source` into text and placeholders. Whitespace inside the braces is
 * allowed (`{{ orderId }}`). Fails with {@link TemplateSyntaxError} on a name
 * that is not a letter followed by letters and digits, and on a `{{` or `}}`
 * that belongs to no placeholder.
 */
export const parse = Effect.fn("Template.parse")(function*(name: string, source: string) {
  const parts: Array<TemplatePart> = []
  let position = 0
  for (const match of source.matchAll(tag)) {
    const before = source.slice(position, match.index)
    const placeholder = (match[1] ?? "").trim()
    if (!placeholderName.test(placeholder)) {
      return yield* new TemplateSyntaxError({
        template: name,
        message: `template ${name} has an invalid placeholder ${JSON.stringify(match[0])}: write {{name}} with a name of letters and digits that starts with a letter`
      })
    }
    if (before !== "") parts.push({ _tag: "Text", text: before })
    parts.push({ _tag: "Placeholder", name: placeholder })
    position = match.index + match[0].length
  }
  const rest = source.slice(position)
  if (rest !== "") parts.push({ _tag: "Text", text: rest })

  const stray = parts.find((part) => part._tag === "Text" && (part.text.includes("{{") || part.text.includes("}}")))
  if (stray !== undefined) {
    return yield* new TemplateSyntaxError({
      template: name,
      message: `template ${name} has a "{{" or "}}" that is not part of a placeholder: close every {{name}} on one line and remove stray braces`
    })
  }
  return { name, parts } satisfies Template
})

/**
 * Fills `template` with `values`, escaping each value for `escaping`. Fails
 * with {@link MissingTemplateValue} naming every placeholder that has no
 * entry in `values`. An empty string counts as a value.
 */
export const render = Effect.fn("Template.render")(function*(
  template: Template,
  values: Readonly<Record<string, string>>,
  escaping: Escaping
) {
  const missing: Array<string> = []
  let output = ""
  for (const part of template.parts) {
    if (part._tag === "Text") {
      output += part.text
      continue
    }
    const value = Object.hasOwn(values, part.name) ? values[part.name] : undefined
    if (value === undefined) {
      if (!missing.includes(part.name)) missing.push(part.name)
      continue
    }
    output += escaping === "html" ? escapeHtml(value) : value
  }
  if (missing.length > 0) {
    return yield* new MissingTemplateValue({
      template: template.name,
      placeholders: missing,
      message: `template ${template.name} needs a value for ${missing.map((name) => `{{${name}}}`).join(", ")}: add ${missing.length === 1 ? "it" : "them"} to the values passed to render`
    })
  }
  return output
})
