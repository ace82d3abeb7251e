/**
 * Extracts the text of a PDF with poppler's `pdftotext`.
 */
import { execFile } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** Extracts the text of `pdf` in reading order. */
export const pdfText = async (pdf: Uint8Array): Promise<string> => {
  const directory = await mkdtemp(join(tmpdir(), "pw-pdf-"))
  try {
    const path = join(directory, "document.pdf")
    await writeFile(path, pdf)
    const { stdout } = await run("pdftotext", ["-layout", path, "-"])
    return stdout
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
