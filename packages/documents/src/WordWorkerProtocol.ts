/**
 * The object-storage protocol between the docserver and the Word worker, a
 * Windows machine that converts DOCX to PDF with Microsoft Word and reaches
 * us only through the bucket of `ObjectStore`:
 *
 * - the docserver uploads the DOCX to `to-convert/{id}.docx`;
 * - the worker lists `to-convert/` every few seconds, converts each DOCX,
 *   uploads `converted/{id}.pdf` and removes `to-convert/{id}.docx`;
 * - the docserver polls `converted/{id}.pdf`, reads it and removes it;
 * - the worker writes `docserver-heartbeat.json` every 60 seconds.
 *
 * `{id}` is a fresh UUID per conversion attempt. It only pairs an upload
 * with its result and is not an idempotency key.
 */
import { Schema } from "effect"

/** Prefix of the DOCX files waiting for the worker. */
export const toConvertPrefix = "to-convert/"

/** Prefix of the PDFs the worker produced. */
export const convertedPrefix = "converted/"

/** Key of the object the worker rewrites every 60 seconds while it runs. */
export const heartbeatKey = "docserver-heartbeat.json"

/** Content type of the uploaded DOCX files. */
export const docxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/** Key the docserver uploads the DOCX of conversion `id` to. */
export const toConvertKey = (id: string): string => `${toConvertPrefix}${id}.docx`

/** Key the worker uploads the PDF of conversion `id` to. */
export const convertedKey = (id: string): string => `${convertedPrefix}${id}.pdf`

/**
 * Conversion id in a `to-convert/` or `converted/` key, or `undefined` for a
 * key outside the protocol.
 */
export const conversionIdOf = (key: string): string | undefined => {
  const match = /^(?:to-convert\/(.+)\.docx|converted\/(.+)\.pdf)$/.exec(key)
  return match === null ? undefined : (match[1] ?? match[2])
}

/**
 * Optional body of `docserver-heartbeat.json`: a JSON object whose
 * `timestamp` is the worker's time of writing, in ISO 8601 with a time zone,
 * for example `{"timestamp":"2025-02-14T09:30:00Z"}`. Other fields are
 * ignored. A body that does not match is ignored too, and then only the
 * object's last-modified time counts.
 */
export const HeartbeatBody = Schema.Struct({
  timestamp: Schema.compose(
    Schema.String.pipe(Schema.pattern(/T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/)),
    Schema.Date
  )
})

/** Largest heartbeat body that is parsed. A larger object counts by its last-modified time only. */
export const maxHeartbeatBodyBytes = 64 * 1024
