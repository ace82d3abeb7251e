/**
 * Documents on the order detail page. A stored document is read from the
 * object store for its download (attachment) and its inline preview. A
 * staff upload of a filing confirmation is stored in the object store and
 * attached with the Order entity's AttachDocument message.
 */
import { FileSystem, HttpRouter, HttpServerRequest, HttpServerResponse, Multipart } from "@effect/platform"
import { Order } from "@pw/order/Order"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Effect, Option } from "effect"
import { randomBytes } from "node:crypto"
import { dieOnDeliveryFailure } from "../EntityErrors.ts"
import { renderMessagePage } from "./AdminLayout.ts"
import { consoleHeaders, htmlResponse, seeOther } from "./AdminResponses.ts"
import { checkCsrf, CurrentStaff, requireStaff } from "./AdminSession.ts"
import { maximumUploadBytes } from "./OrderDetailPage.ts"
import { orderDetailResponse, orderIdParam, recordStaffAction } from "./OrderPagesHttp.ts"

const documentNotFound = () =>
  htmlResponse(404, renderMessagePage("Document not found", "This order has no document with this id. Open the order again to see its documents."))

/** `filename` and RFC 8187 `filename*` parameters of Content-Disposition for `fileName`. */
const dispositionFileName = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_")
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

/** Sends the stored document of the route's order and document ids, `attachment` or `inline`. */
const sendDocument = (disposition: "attachment" | "inline") =>
  requireStaff(Effect.gen(function*() {
    const orderId = yield* orderIdParam
    const documentId = (yield* HttpRouter.params)["documentId"] ?? ""
    if (Option.isNone(orderId)) return documentNotFound()

    const makeOrder = yield* Order.client
    const store = yield* ObjectStore
    const snapshot = yield* makeOrder(orderId.value).Get().pipe(dieOnDeliveryFailure, Effect.option)
    const stored = Option.flatMap(snapshot, (found) =>
      Option.fromNullable(found.storedDocuments.find((document) => document.documentId === documentId)))
    if (Option.isNone(stored)) return documentNotFound()

    const { objectKey, fileName, contentType } = stored.value
    // NOTE: ObjectStore reads whole objects, so the document is buffered, not streamed; uploads are capped at 20 MiB.
    const bytes = yield* store.get(objectKey).pipe(
      Effect.tapError((error) =>
        Effect.annotateLogs(Effect.logError("stored document could not be read"), { objectKey, error: error._tag, reason: error.message })),
      Effect.orDie
    )

    const session = yield* CurrentStaff
    yield* Effect.annotateLogs(Effect.logInfo("staff opened a document"), {
      orderId: orderId.value,
      documentId,
      accountId: session.accountId,
      disposition
    })
    return HttpServerResponse.uint8Array(bytes, {
      contentType,
      headers: {
        ...consoleHeaders,
        "content-security-policy": "default-src 'none'; frame-ancestors 'self'",
        "x-frame-options": "SAMEORIGIN",
        "content-disposition": `${disposition}; ${dispositionFileName(fileName)}`
      }
    })
  }))

/** GET /admin/orders/:orderId/documents/:documentId: downloads the document. */
export const downloadDocument = sendDocument("attachment")

/** GET /admin/orders/:orderId/documents/:documentId/preview: the document inline, for the preview frame. */
export const previewDocument = sendDocument("inline")

/** Returns a file name safe to store and show: the base name, printable characters only, at most 120 characters, ending in `.pdf`. */
const uploadFileName = (name: string): string => {
  const base = name.split(/[/\\]/).pop() ?? ""
  const cleaned = base.replace(/[^\w.\- ]/g, "_").trim().slice(0, 116)
  const withoutExtension = cleaned.replace(/\.pdf$/i, "")
  return `${withoutExtension === "" ? "filing-confirmation" : withoutExtension}.pdf`
}

/**
 * POST /admin/orders/:orderId/documents: reads the multipart form (one PDF
 * of at most 20 MiB in `file`, and `_csrf`), checks the CSRF token, stores
 * the PDF under `orders/{orderId}/staff/{documentId}.pdf` and sends
 * AttachDocument. A rejected upload re-renders the detail page with the
 * reason; a stored object whose attachment the entity rejects is removed.
 */
export const uploadDocument = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const orderId = yield* orderIdParam
  if (Option.isNone(orderId)) return documentNotFound()
  const rejected = (message: string) =>
    Effect.zipRight(
      Effect.annotateLogs(Effect.logInfo("staff upload rejected"), { orderId: orderId.value, reason: message }),
      orderDetailResponse(orderId.value, 400, { kind: "error", text: message })
    )

  const form = yield* request.multipart.pipe(
    Multipart.withLimits({
      maxParts: Option.some(4),
      maxFieldSize: 4096,
      maxFileSize: Option.some(maximumUploadBytes),
      maxTotalSize: Option.some(maximumUploadBytes + 64 * 1024)
    }),
    Effect.either
  )
  if (form._tag === "Left") {
    const tooLarge = form.left._tag === "MultipartError" && (form.left.reason === "FileTooLarge" || form.left.reason === "BodyTooLarge")
    const csrf = yield* checkCsrf(undefined)
    if (Option.isSome(csrf)) return csrf.value
    return yield* rejected(tooLarge
      ? "The file is larger than 20 MB; upload a smaller PDF."
      : "The upload could not be read; choose the file again and submit.")
  }
  const csrfValue = form.right["_csrf"]
  const csrf = yield* checkCsrf(typeof csrfValue === "string" ? csrfValue : undefined)
  if (Option.isSome(csrf)) return csrf.value

  const files = form.right["file"]
  const file = Array.isArray(files) ? files[0] : undefined
  if (file === undefined || typeof file === "string") return yield* rejected("No file was chosen; choose a PDF and submit again.")
  const fileSystem = yield* FileSystem.FileSystem
  const bytes = yield* fileSystem.readFile(file.path).pipe(Effect.orDie)
  const isPdf = Buffer.from(bytes.subarray(0, 5)).toString("latin1") === "%PDF-"
  if (!isPdf) return yield* rejected("The file is not a PDF (it does not start with %PDF-); upload the confirmation as a PDF.")

  const session = yield* CurrentStaff
  const store = yield* ObjectStore
  const makeOrder = yield* Order.client
  const documentId = `doc_${randomBytes(10).toString("hex")}`
  const objectKey = `orders/${orderId.value}/staff/${documentId}.pdf`
  const stored = yield* store.put(objectKey, bytes, "application/pdf").pipe(Effect.orDie)
  const attached = yield* makeOrder(orderId.value).AttachDocument({
    documentId,
    kind: "filing-confirmation",
    objectKey,
    fileName: uploadFileName(file.name),
    contentType: "application/pdf",
    size: stored.size,
    sha256: stored.sha256
  }).pipe(dieOnDeliveryFailure, Effect.either)
  if (attached._tag === "Left") {
    yield* store.remove(objectKey).pipe(
      Effect.catchAll((error) => Effect.annotateLogs(Effect.logWarning("unattached upload could not be removed"), { objectKey, reason: error.message }))
    )
    return yield* rejected(attached.left.message)
  }
  yield* recordStaffAction(orderId.value, "staff.document_uploaded", { documentId, fileName: uploadFileName(file.name) })
  yield* Effect.annotateLogs(Effect.logInfo("staff attached a document"), { orderId: orderId.value, documentId, accountId: session.accountId })
  return seeOther(`/admin/orders/${encodeURIComponent(orderId.value)}?done=uploaded`)
}))
