import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { expect, layer } from "@effect/vitest"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { ConfigProvider, Effect, Layer, Option } from "effect"
import PizZip from "pizzip"
import { WordWorkerDouble } from "../../../test/doubles/WordWorkerDouble.ts"
import { pdfText } from "../../../test/support/PdfText.ts"
import { DocServerConverter } from "../src/DocServerConverter.ts"
import { LibreOfficeConverter } from "../src/LibreOfficeConverter.ts"
import * as WordWorkerProtocol from "../src/WordWorkerProtocol.ts"

/** Paragraph of the test document, looked for in the PDF. */
const paragraph = "Example Telecom Holdings, LLC: converted after the Word worker timed out."

/** Builds the smallest DOCX LibreOffice opens: content types, package relationships and one paragraph. */
const minimalDocx = (): Uint8Array => {
  const zip = new PizZip()
  zip.file(
    "[Content_Types].xml",
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      "</Types>"
  )
  zip.file(
    "_rels/.rels",
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      "</Relationships>"
  )
  zip.file(
    "word/document.xml",
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      `<w:body><w:p><w:r><w:t>${paragraph}</w:t></w:r></w:p></w:body>` +
      "</w:document>"
  )
  return zip.generate({ type: "uint8array", compression: "DEFLATE" })
}

/**
 * The router over the real LibreOffice pool and the Word worker double, on
 * an embedded S3 server, all with data in one temp directory.
 */
const TestLayer = Layer.unwrapScoped(
  Effect.gen(function* () {
    const directory = yield* Effect.acquireRelease(
      Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-docserver-libreoffice-test-"))),
      (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
    )
    const settings = Layer.setConfigProvider(
      ConfigProvider.fromMap(
        new Map([
          ["PW_DATA_DIR", directory],
          ["DOCSERVER_WORD_HEARTBEAT_CHECK_INTERVAL", "0 millis"],
          ["DOCSERVER_WORD_TIMEOUT", "2 seconds"],
          ["DOCSERVER_WORD_POLL_INTERVAL", "100 millis"]
        ])
      )
    )
    return DocServerConverter.layer.pipe(
      Layer.provide(LibreOfficeConverter.layer.pipe(Layer.provide(settings))),
      Layer.provide(settings),
      Layer.provideMerge(WordWorkerDouble.layer({ pollInterval: "100 millis" })),
      Layer.provideMerge(ObjectStore.layer.pipe(Layer.provide(settings)))
    )
  })
)

layer(TestLayer, { excludeTestServices: true })("DocServerConverter with LibreOffice", (it) => {
  it.scoped("hung worker falls back to LibreOffice", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("hang")
      yield* worker.writeHeartbeat()
      const router = yield* DocServerConverter

      const result = yield* router.convertWithEngine(minimalDocx())
      expect(result.engine).toBe("libreoffice")
      expect(Option.getOrElse(result.fallbackReason, () => "")).toContain("DOCSERVER_WORD_TIMEOUT")
      expect(new TextDecoder().decode(result.pdf.subarray(0, 5))).toBe("%PDF-")
      expect(yield* Effect.promise(() => pdfText(result.pdf))).toContain(paragraph)

      const store = yield* ObjectStore
      expect(yield* store.list(WordWorkerProtocol.toConvertPrefix)).toEqual([])
      expect(yield* store.list(WordWorkerProtocol.convertedPrefix)).toEqual([])
    })
  )
})
