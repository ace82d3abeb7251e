/**
 * The DocumentConverter entity's protocol: DOCX to PDF conversion, hosted by
 * runners of the `docserver` shard group, which have LibreOffice installed.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
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

/** The stored PDF. */
export class ConvertedDocument extends Schema.Class<ConvertedDocument>("ConvertedDocument")({
  objectKey: Schema.String,
  size: Schema.Int,
  sha256: Schema.String
}) {}

/** The conversion failed; `reason` carries what LibreOffice or the store reported. */
export class ConversionError extends Schema.TaggedError<ConversionError>()("ConversionError", {
  sourceKey: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `converting ${this.sourceKey} to PDF failed: ${this.reason}`
  }
}

/** The shard group whose runners host document conversion. */
export const docserverShardGroup = "docserver"

/** The DocumentConverter entity type; the entity id names the document being converted. */
export const DocumentConverter = Entity.make("DocumentConverter", [
  Rpc.make("ConvertToPdf", { payload: ConvertToPdf, success: ConvertedDocument, error: ConversionError })
    .annotate(ClusterSchema.Persisted, true)
]).annotate(ClusterSchema.ShardGroup, () => docserverShardGroup)
