/**
 * DOCX to PDF conversion on this machine's LibreOffice, as opposed to the
 * Word worker reached through object storage.
 */
import { Context } from "effect"
import type { PdfConverter } from "./PdfConverter.ts"

/** Converts DOCX to PDF with LibreOffice; same contract as `PdfConverter`. */
export class LibreOfficeConverter extends Context.Tag("@pw/documents/LibreOfficeConverter")<
  LibreOfficeConverter,
  PdfConverter["Type"]
>() {}
