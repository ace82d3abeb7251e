import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { describe, expect, it, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { templateBuilds, writeTemplates } from "../../../../templates/TemplateBuilds.ts"
import { documentTemplates, templateSlugs } from "../../src/DocumentTemplates.ts"
import { temporaryDirectory, templatesDirectory } from "./SampleText.ts"

/** A temporary folder that `writeTemplates` has just filled. */
class RebuiltTemplates extends Context.Tag("test/RebuiltTemplates")<RebuiltTemplates, { readonly directory: string }>() {
  static readonly layer = Layer.scoped(
    RebuiltTemplates,
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      yield* writeTemplates(directory)
      return { directory }
    })
  )
}

describe("TemplateBuilds", () => {
  it("builds every catalog template", () => {
    expect(templateBuilds.map((build) => build.slug)).toEqual(templateSlugs)
  })
})

layer(RebuiltTemplates.layer)("TemplateBuilds.writeTemplates", (it) => {
  for (const slug of templateSlugs) {
    it.effect(`${slug} rebuilds byte-identical`, () =>
      Effect.gen(function* () {
        const { directory } = yield* RebuiltTemplates
        const file = documentTemplates[slug].file
        const rebuilt = yield* Effect.promise(() => Fs.readFile(Path.join(directory, file)))
        const committed = yield* Effect.promise(() => Fs.readFile(Path.join(templatesDirectory, file)))

        expect(rebuilt.equals(committed), `${file} differs from a fresh build; run npx tsx templates/build.ts`).toBe(true)
      })
    )
  }
})
