/**
 * A stand-in for the Word worker, the Windows machine that converts DOCX to
 * PDF with Microsoft Word and talks to the docserver only through the bucket
 * (see `WordWorkerProtocol`). It lists `to-convert/` on a short schedule,
 * converts each DOCX to a PDF made by pdf-lib, stores it in `converted/`, and
 * removes the DOCX, as the real worker does. It writes its heartbeat only on
 * request, fresh or with a given age in its JSON body, so tests need not wait
 * for a heartbeat to go stale. It can also be set to hang or to store a file
 * that is not a PDF.
 */
import * as Crypto from "node:crypto"
import * as WordWorkerProtocol from "@pw/documents/WordWorkerProtocol"
import { ObjectStore } from "@pw/storage/ObjectStore"
import type { ObjectStoreError } from "@pw/storage/ObjectStore"
import { Clock, Context, Duration, Effect, Layer, Option, Ref, Schedule } from "effect"
import type { Scope } from "effect"
import { PDFDocument, StandardFonts } from "pdf-lib"

/** Text at the start of the title and the page of every PDF the double makes. */
export const wordMarker = "Converted by the Word worker double"

/**
 * What the double does with a new DOCX: `convert` stores a PDF, `hang` leaves
 * the DOCX where it is and never stores a PDF, `non-pdf` stores a plain-text file
 * under the PDF's key.
 */
export type WordWorkerMode = "convert" | "hang" | "non-pdf"

/** A DOCX the double found in `to-convert/`. */
export interface ReceivedDocx {
  readonly conversionId: string
  readonly key: string
  readonly size: number
  /** Mode the double was in when it found the DOCX. */
  readonly mode: WordWorkerMode
}

/** Handle on a running double. */
export interface WordWorkerDoubleServer {
  /**
   * Writes `docserver-heartbeat.json` with a body timestamp `age` before now
   * (zero by default). The object's last-modified time is the time of the write.
   */
  readonly writeHeartbeat: (age?: Duration.DurationInput) => Effect.Effect<void, ObjectStoreError>
  /** Removes `docserver-heartbeat.json`. */
  readonly removeHeartbeat: Effect.Effect<void, ObjectStoreError>
  /** Sets what the double does with the DOCX files it finds from now on. */
  readonly setMode: (mode: WordWorkerMode) => Effect.Effect<void>
  /** DOCX files found so far, oldest first. */
  readonly received: Effect.Effect<ReadonlyArray<ReceivedDocx>>
}

/** Options of `start`. */
export interface WordWorkerDoubleOptions {
  /** Time between two listings of `to-convert/`. The real worker waits about 12 seconds. */
  readonly pollInterval: Duration.DurationInput
}

/** Title of the PDF made for `docx`: the marker, the DOCX size and the start of its SHA-256. */
export const wordPdfTitle = (docx: Uint8Array): string => {
  const sha256 = Crypto.createHash("sha256").update(docx).digest("hex")
  return `${wordMarker} from ${docx.byteLength} bytes, sha256 ${sha256.slice(0, 16)}`
}

/** Reads the title of a PDF, such as `wordPdfTitle(docx)` for one the double made, or `""` without one. */
export const readPdfTitle = (pdf: Uint8Array): Effect.Effect<string> =>
  Effect.promise(async () => {
    const document = await PDFDocument.load(pdf, { updateMetadata: false })
    return document.getTitle() ?? ""
  })

/** Makes a one-page PDF whose title and text are `wordPdfTitle(docx)`. */
const makePdf = (docx: Uint8Array) =>
  Effect.promise(async () => {
    const title = wordPdfTitle(docx)
    const document = await PDFDocument.create()
    document.setTitle(title)
    const font = await document.embedFont(StandardFonts.Helvetica)
    document.addPage().drawText(title, { x: 50, y: 700, size: 10, font })
    return await document.save()
  })

/**
 * Starts the double on the bucket of `ObjectStore`, in `convert` mode and
 * without a heartbeat. Closing the scope stops its polling.
 */
export const start = (
  options: WordWorkerDoubleOptions
): Effect.Effect<WordWorkerDoubleServer, never, ObjectStore | Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* ObjectStore
    const mode = yield* Ref.make<WordWorkerMode>("convert")
    const received = yield* Ref.make<ReadonlyArray<ReceivedDocx>>([])
    // Keys recorded in `received`, and keys handled for good. A key whose
    // handling failed (an S3 error) is handled again on the next poll.
    const recorded = new Set<string>()
    const handled = new Set<string>()

    const handleDocx = (key: string, conversionId: string, currentMode: WordWorkerMode) =>
      Effect.gen(function* () {
        if (currentMode === "hang") {
          return
        }
        const docx = yield* store.get(key)
        const output =
          currentMode === "convert"
            ? yield* makePdf(docx)
            : new TextEncoder().encode(`Word could not open ${key}: the file is corrupt.`)
        yield* store.put(WordWorkerProtocol.convertedKey(conversionId), output, "application/pdf")
        yield* store.remove(key)
      })

    const pollOnce = Effect.gen(function* () {
      const keys = yield* store.list(WordWorkerProtocol.toConvertPrefix)
      for (const key of keys) {
        const conversionId = WordWorkerProtocol.conversionIdOf(key)
        if (conversionId === undefined || handled.has(key)) {
          continue
        }
        const currentMode = yield* Ref.get(mode)
        if (!recorded.has(key)) {
          recorded.add(key)
          const stat = yield* store.stat(key)
          const size = Option.match(stat, { onNone: () => 0, onSome: (item) => item.size })
          yield* Ref.update(received, (list) => [...list, { conversionId, key, size, mode: currentMode }])
        }
        yield* handleDocx(key, conversionId, currentMode).pipe(
          // The docserver removed the DOCX after its time limit.
          Effect.catchTag("ObjectNotFound", () => Effect.void),
          Effect.tap(() => Effect.sync(() => handled.add(key))),
          Effect.catchAll((error) =>
            Effect.logWarning("Word worker double failed to handle a DOCX, retrying on the next poll").pipe(
              Effect.annotateLogs({ key, error: error._tag, reason: error.message })
            )
          )
        )
      }
    })

    yield* pollOnce.pipe(
      Effect.catchAll((error) => Effect.logWarning("Word worker double failed to poll", error)),
      Effect.repeat(Schedule.spaced(options.pollInterval)),
      Effect.forkScoped
    )

    return {
      writeHeartbeat: (age = Duration.zero) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const timestamp = new Date(now - Duration.toMillis(age)).toISOString()
          const body = new TextEncoder().encode(JSON.stringify({ timestamp, worker: "word-worker-double" }))
          yield* store.put(WordWorkerProtocol.heartbeatKey, body, "application/json")
        }),
      removeHeartbeat: store.remove(WordWorkerProtocol.heartbeatKey),
      setMode: (next) => Ref.set(mode, next),
      received: Ref.get(received)
    } satisfies WordWorkerDoubleServer
  })

/** The double of the current test layer. */
export class WordWorkerDouble extends Context.Tag("test/WordWorkerDouble")<WordWorkerDouble, WordWorkerDoubleServer>() {
  /** A double started with the layer on the layer's `ObjectStore`, stopped when it is released. */
  static readonly layer = (options: WordWorkerDoubleOptions): Layer.Layer<WordWorkerDouble, never, ObjectStore> =>
    Layer.scoped(WordWorkerDouble, start(options))
}
