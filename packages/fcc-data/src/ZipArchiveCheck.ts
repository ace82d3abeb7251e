/**
 * Integrity check of a ZIP archive, such as an XLSX workbook, before it is
 * streamed. A streaming unzip reads local headers front to back, so it cannot
 * tell a file cut at an entry boundary from a complete one. This check reads
 * the central directory at the end of the file and verifies the size and
 * CRC-32 of every entry.
 */
import { createReadStream } from "node:fs"
import { open } from "node:fs/promises"
import type { FileHandle } from "node:fs/promises"
// NOTE: `zlib.crc32` exists from Node 20.15 and 22.2 on, later than the 20.11 the root package.json allows.
import { createInflateRaw, crc32 } from "node:zlib"
import type { Readable } from "node:stream"
import { Effect } from "effect"
import { FileUnreadable } from "./ReadResult.ts"

const endOfCentralDirectorySignature = 0x06054b50
const centralDirectorySignature = 0x02014b50
const localHeaderSignature = 0x04034b50
const endRecordLength = 22
const maxCommentLength = 0xffff
const maxCentralDirectoryBytes = 64 * 1024 * 1024

interface Entry {
  readonly name: string
  readonly method: number
  readonly crc: number
  readonly compressedSize: number
  readonly size: number
  readonly localHeaderOffset: number
}

const read = async (handle: FileHandle, position: number, length: number): Promise<Buffer> => {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}

const findEndRecord = async (handle: FileHandle, fileSize: number): Promise<{ readonly position: number; readonly record: Buffer }> => {
  const tailLength = Math.min(fileSize, endRecordLength + maxCommentLength)
  const tail = await read(handle, fileSize - tailLength, tailLength)
  for (let index = tail.length - endRecordLength; index >= 0; index--) {
    // The signature can occur inside compressed data, so the record only counts when its comment ends the file.
    if (tail.readUInt32LE(index) === endOfCentralDirectorySignature && index + endRecordLength + tail.readUInt16LE(index + 20) === tail.length) {
      return { position: fileSize - tailLength + index, record: tail.subarray(index, index + endRecordLength) }
    }
  }
  throw new Error("the end of central directory record is missing, so the file is truncated or not a ZIP archive")
}

const readEntries = (directory: Buffer, count: number): ReadonlyArray<Entry> => {
  const entries: Array<Entry> = []
  let offset = 0
  for (let index = 0; index < count; index++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== centralDirectorySignature) {
      throw new Error(`central directory entry ${index + 1} of ${count} is invalid`)
    }
    const nameLength = directory.readUInt16LE(offset + 28)
    entries.push({
      name: directory.toString("utf8", offset + 46, offset + 46 + nameLength),
      method: directory.readUInt16LE(offset + 10),
      crc: directory.readUInt32LE(offset + 16),
      compressedSize: directory.readUInt32LE(offset + 20),
      size: directory.readUInt32LE(offset + 24),
      localHeaderOffset: directory.readUInt32LE(offset + 42)
    })
    offset += 46 + nameLength + directory.readUInt16LE(offset + 30) + directory.readUInt16LE(offset + 32)
  }
  return entries
}

/** A verified entry of the archive: where its data starts and how it is stored. */
export interface ZipEntry {
  readonly name: string
  /** 0 for stored, 8 for deflated. */
  readonly method: number
  readonly dataStart: number
  readonly compressedSize: number
}

const verifyEntry = async (path: string, handle: FileHandle, entry: Entry, centralDirectoryOffset: number): Promise<ZipEntry> => {
  const header = await read(handle, entry.localHeaderOffset, 30)
  if (header.length < 30 || header.readUInt32LE(0) !== localHeaderSignature) throw new Error(`the local header of ${entry.name} is missing`)
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
  if (dataStart + entry.compressedSize > centralDirectoryOffset) throw new Error(`the data of ${entry.name} runs past the central directory`)
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`${entry.name} uses compression method ${entry.method}; only stored and deflated entries are supported`)
  const verified = { name: entry.name, method: entry.method, dataStart, compressedSize: entry.compressedSize }
  if (entry.compressedSize === 0 && entry.size === 0) return verified

  const raw = createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1 })
  const data: Readable = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw
  raw.on("error", (error) => data.destroy(error))
  let checksum = 0
  let size = 0
  try {
    for await (const chunk of data) {
      if (!Buffer.isBuffer(chunk)) throw new Error(`${entry.name} did not decompress to bytes`)
      checksum = crc32(chunk, checksum)
      size += chunk.length
    }
  } finally {
    raw.destroy()
  }
  if (size !== entry.size) throw new Error(`${entry.name} decompresses to ${size} bytes but the central directory records ${entry.size}`)
  if (checksum !== entry.crc) throw new Error(`the CRC-32 of ${entry.name} does not match the central directory`)
  return verified
}

const verifyArchive = async (path: string, handle: FileHandle): Promise<ReadonlyArray<ZipEntry>> => {
  const { size: fileSize } = await handle.stat()
  if (fileSize < endRecordLength) throw new Error(`the file has ${fileSize} bytes, too few for a ZIP archive`)
  const end = await findEndRecord(handle, fileSize)
  const count = end.record.readUInt16LE(10)
  const directorySize = end.record.readUInt32LE(12)
  const directoryOffset = end.record.readUInt32LE(16)
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new Error("ZIP64 archives are not supported")
  if (directorySize > maxCentralDirectoryBytes) throw new Error(`the central directory has ${directorySize} bytes, more than the ${maxCentralDirectoryBytes} supported`)
  if (directoryOffset + directorySize > end.position) throw new Error("the central directory runs past the end record, so the file is truncated")

  const entries = readEntries(await read(handle, directoryOffset, directorySize), count)
  const verified: Array<ZipEntry> = []
  for (const entry of entries) verified.push(await verifyEntry(path, handle, entry, directoryOffset))
  return verified
}

/**
 * Verifies that the ZIP archive at `path` is complete: the central directory
 * is present and every entry decompresses to the size and CRC-32 it records.
 * Returns the entries with their data offsets. Fails with `FileUnreadable` naming the file and
 * the defect. Reads the whole file once, holding one chunk at a time.
 */
export const checkZipArchive = Effect.fn("ZipArchiveCheck.checkZipArchive")(function*(path: string) {
  const handle = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: () => open(path, "r"),
      catch: (error) => new FileUnreadable({ file: path, message: `Cannot open ${path}: ${String(error)}. Check that the file exists and is readable.` })
    }),
    (opened) => Effect.promise(() => opened.close())
  )
  return yield* Effect.tryPromise({
    try: () => verifyArchive(path, handle),
    catch: (error) =>
      new FileUnreadable({
        file: path,
        message: `${path} is not a complete XLSX archive: ${error instanceof Error ? error.message : String(error)}. Download the file again.`
      })
  })
}, Effect.scoped)
