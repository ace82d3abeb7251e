/**
 * Every document template's builder, and `writeTemplates`, which writes
 * each DOCX to `<directory>/<slug>/template.docx`.
 */
import { Effect, Schema } from "effect"
import { mkdir, writeFile } from "node:fs/promises"
import * as Path from "node:path"
import * as BinderCover from "./binder-cover/build.ts"
import * as BitsLicenceCoverLetter from "./bits-licence-cover-letter/build.ts"
import * as CaleaSsiPlan from "./calea-ssi-plan/build.ts"
import * as CpniCertification from "./cpni-certification/build.ts"
import * as CrtcRegistrationLetter from "./crtc-registration-letter/build.ts"
import * as DcAgentDesignation from "./dc-agent-designation/build.ts"
import * as Form499aSummary from "./form-499a-summary/build.ts"
import * as FormationSummary from "./formation-summary/build.ts"
import * as Invoice from "./invoice/build.ts"
import * as LlcOperatingAgreement from "./llc-operating-agreement/build.ts"
import * as Receipt from "./receipt/build.ts"
import * as RmdCertification from "./rmd-certification/build.ts"

/** A template's slug, which is also its folder, and the function that builds its DOCX. */
export interface TemplateBuild {
  readonly slug: string
  readonly build: () => Uint8Array
}

/** The builders of all templates, in the order of the catalog in `@pw/documents/DocumentTemplates`. */
export const templateBuilds: ReadonlyArray<TemplateBuild> = [
  { slug: "cpni-certification", build: CpniCertification.build },
  { slug: "calea-ssi-plan", build: CaleaSsiPlan.build },
  { slug: "dc-agent-designation", build: DcAgentDesignation.build },
  { slug: "form-499a-summary", build: Form499aSummary.build },
  { slug: "rmd-certification", build: RmdCertification.build },
  { slug: "crtc-registration-letter", build: CrtcRegistrationLetter.build },
  { slug: "bits-licence-cover-letter", build: BitsLicenceCoverLetter.build },
  { slug: "llc-operating-agreement", build: LlcOperatingAgreement.build },
  { slug: "formation-summary", build: FormationSummary.build },
  { slug: "binder-cover", build: BinderCover.build },
  { slug: "invoice", build: Invoice.build },
  { slug: "receipt", build: Receipt.build }
]

/** A template could not be written. */
export class TemplateWriteFailed extends Schema.TaggedError<TemplateWriteFailed>()("TemplateWriteFailed", {
  slug: Schema.String,
  path: Schema.String,
  message: Schema.String,
  cause: Schema.Defect
}) {}

/**
 * Builds every template and writes it to `<directory>/<slug>/template.docx`,
 * creating the folders as needed. Returns the paths written.
 */
export const writeTemplates = Effect.fn("TemplateBuilds.writeTemplates")(function* (directory: string) {
  return yield* Effect.forEach(templateBuilds, ({ slug, build }) => {
    const path = Path.join(directory, slug, "template.docx")
    return Effect.tryPromise({
      try: async () => {
        await mkdir(Path.dirname(path), { recursive: true })
        await writeFile(path, build())
        return path
      },
      catch: (cause) =>
        new TemplateWriteFailed({
          slug,
          path,
          message: `Failed to write template ${slug} to ${path}: ${String(cause)}. Check that the folder is writable.`,
          cause
        })
    }).pipe(Effect.tap(() => Effect.logInfo("Template written").pipe(Effect.annotateLogs({ slug, path }))))
  })
})
