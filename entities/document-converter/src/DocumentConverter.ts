/**
 * The DocumentConverter entity's protocol: documents generated from templates
 * and DOCX to PDF conversion, hosted by runners of the `docserver` shard
 * group, which have LibreOffice installed and reach the Word worker's bucket.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { TemplateSlug } from "@pw/documents/DocumentTemplates"
import { PrimaryKey, Schema } from "effect"

/** Converts the DOCX at `sourceKey` in object storage and stores the PDF at `targetKey`. */
export class ConvertToPdf extends Schema.Class<ConvertToPdf>("ConvertToPdf")({
  sourceKey: Schema.String,
  targetKey: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `convert:${this.sourceKey}->${this.targetKey}`
  }
}

/**
 * Renders `template` with `data`, stores the DOCX at `docxKey`, converts it
 * and stores the PDF at `pdfKey`. `requestId` distinguishes attempts: a
 * workflow retrying a failed generation sends a new one, while a redelivered
 * message keeps its own and gets the stored reply.
 */
export class GenerateDocument extends Schema.Class<GenerateDocument>("GenerateDocument")({
  template: TemplateSlug,
  /** Input of the template, checked against its schema by the handler. */
  data: Schema.Unknown,
  docxKey: Schema.String,
  pdfKey: Schema.String,
  requestId: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `generate:${this.requestId}`
  }
}

/** The stored PDF. */
export class ConvertedDocument extends Schema.Class<ConvertedDocument>("ConvertedDocument")({
  objectKey: Schema.String,
  size: Schema.Int,
  sha256: Schema.String
}) {}

/** The conversion failed; `reason` carries what the converter or the store reported. */
export class ConversionError extends Schema.TaggedError<ConversionError>()("ConversionError", {
  sourceKey: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `converting ${this.sourceKey} to PDF failed: ${this.reason}`
  }
}

/**
 * The data does not fit the template's schema. `field` is the dotted path of
 * the first bad field, such as `address.postalCode`; nothing was stored.
 */
export class DocumentDataInvalid extends Schema.TaggedError<DocumentDataInvalid>()("DocumentDataInvalid", {
  template: Schema.String,
  field: Schema.String,
  message: Schema.String
}) {}

/** The shard group whose runners host document conversion. */
export const docserverShardGroup = "docserver"

/** The DocumentConverter entity type; the entity id names the document being converted. */
export const DocumentConverter = Entity.make("DocumentConverter", [
  Rpc.make("ConvertToPdf", { payload: ConvertToPdf, success: ConvertedDocument, error: ConversionError })
    .annotate(ClusterSchema.Persisted, true),
  Rpc.make("GenerateDocument", {
    payload: GenerateDocument,
    success: ConvertedDocument,
    error: Schema.Union(DocumentDataInvalid, ConversionError)
  }).annotate(ClusterSchema.Persisted, true)
]).annotate(ClusterSchema.ShardGroup, () => docserverShardGroup)
