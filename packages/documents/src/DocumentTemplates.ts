/**
 * The catalog of document templates: for each slug its title, DOCX file
 * under `PW_TEMPLATES_DIR`, input schema and value mapping, and
 * `renderTemplate`, which validates input and fills the DOCX.
 */
import { createRequire } from "node:module"
import { Config, Effect, Schema } from "effect"
import { readFile } from "node:fs/promises"
import * as Path from "node:path"
import type { TemplateValues } from "./DocumentTemplate.ts"
import * as DocxTemplate from "./DocxTemplate.ts"
import type { TemplateDataInvalid } from "./TemplateDataInvalid.ts"
import { binderCover } from "./templates/BinderCover.ts"
import { bitsLicenceCoverLetter } from "./templates/BitsLicenceCoverLetter.ts"
import { caleaSsiPlan } from "./templates/CaleaSsiPlan.ts"
import { cpniCertification } from "./templates/CpniCertification.ts"
import { crtcRegistrationLetter } from "./templates/CrtcRegistrationLetter.ts"
import { dcAgentDesignation } from "./templates/DcAgentDesignation.ts"
import { form499aSummary } from "./templates/Form499aSummary.ts"
import { formationSummary } from "./templates/FormationSummary.ts"
import { invoice } from "./templates/Invoice.ts"
import { llcOperatingAgreement } from "./templates/LlcOperatingAgreement.ts"
import { receipt } from "./templates/Receipt.ts"
import { rmdCertification } from "./templates/RmdCertification.ts"

/** Slugs of all templates, in the order the catalog lists them. */
export const templateSlugs = [
  "cpni-certification",
  "calea-ssi-plan",
  "dc-agent-designation",
  "form-499a-summary",
  "rmd-certification",
  "crtc-registration-letter",
  "bits-licence-cover-letter",
  "llc-operating-agreement",
  "formation-summary",
  "binder-cover",
  "invoice",
  "receipt"
] as const

/** A template slug, such as `invoice`; decodes untrusted slugs. */
export const TemplateSlug = Schema.Literal(...templateSlugs).annotations({ identifier: "TemplateSlug" })
export type TemplateSlug = typeof TemplateSlug.Type

/** Every template by slug. Each entry's `slug` equals its key. */
export const documentTemplates = {
  "cpni-certification": cpniCertification,
  "calea-ssi-plan": caleaSsiPlan,
  "dc-agent-designation": dcAgentDesignation,
  "form-499a-summary": form499aSummary,
  "rmd-certification": rmdCertification,
  "crtc-registration-letter": crtcRegistrationLetter,
  "bits-licence-cover-letter": bitsLicenceCoverLetter,
  "llc-operating-agreement": llcOperatingAgreement,
  "formation-summary": formationSummary,
  "binder-cover": binderCover,
  invoice,
  receipt
} as const satisfies { readonly [Slug in TemplateSlug]: { readonly slug: Slug } }

/** Folder holding the templates, `<slug>/template.docx` each; defaults to the repository's `templates/`. */
export const TemplatesDirectory = Config.string("PW_TEMPLATES_DIR").pipe(
  Config.withDescription("Folder holding the document templates, one <slug>/template.docx each"),
  Config.withDefault(Path.join(Path.dirname(createRequire(import.meta.url).resolve("@pw/documents/package.json")), "../../templates"))
)

/** A template's DOCX file could not be read. */
export class TemplateFileUnreadable extends Schema.TaggedError<TemplateFileUnreadable>()("TemplateFileUnreadable", {
  template: Schema.String,
  /** Absolute path that was read. */
  path: Schema.String,
  message: Schema.String,
  cause: Schema.Defect
}) {}

/**
 * Validates `input` against the schema of template `slug` and returns the
 * docxtemplater values, or `TemplateDataInvalid` naming the first bad field.
 * Unknown fields are rejected too.
 */
export const templateValues = Effect.fn("DocumentTemplates.templateValues")(function* (
  slug: TemplateSlug,
  input: unknown
): Effect.fn.Return<TemplateValues, TemplateDataInvalid> {
  yield* Effect.annotateCurrentSpan({ template: slug })
  return yield* documentTemplates[slug].decodeValues(input)
})

/**
 * Renders template `slug` with `input` and returns the filled DOCX.
 *
 * `input` is validated first, so bad data fails with `TemplateDataInvalid`
 * before any file is read. Then `<PW_TEMPLATES_DIR>/<slug>/template.docx` is
 * read (`TemplateFileUnreadable` when it cannot be) and filled by
 * `DocxTemplate.render` (`TemplateError`). Nothing is written anywhere.
 */
export const renderTemplate = Effect.fn("DocumentTemplates.renderTemplate")(function* (
  slug: TemplateSlug,
  input: unknown
): Effect.fn.Return<Uint8Array, TemplateDataInvalid | TemplateFileUnreadable | DocxTemplate.TemplateError> {
  const values = yield* templateValues(slug, input)
  const directory = yield* Effect.orDie(TemplatesDirectory)
  const path = Path.resolve(directory, documentTemplates[slug].file)
  const template = yield* Effect.tryPromise({
    try: () => readFile(path),
    catch: (cause) =>
      new TemplateFileUnreadable({
        template: slug,
        path,
        message: `Could not read template ${slug} at ${path}: ${String(cause)}. Check that PW_TEMPLATES_DIR points at the templates folder.`,
        cause
      })
  })
  return yield* DocxTemplate.render(template, values)
})
