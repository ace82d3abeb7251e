/**
 * Replacements for three methods of s3rver 3.7's filesystem store, which
 * race when requests run concurrently:
 *
 * - `putObject` replied once the request body was read, before the file was
 *   written, so a copy or read right after a PUT could see a partial file;
 * - `deleteObject` removed folders that became empty, while a concurrent PUT
 *   into the same folder had created it but not yet opened its file, which
 *   then failed with ENOENT as an uncaught exception in the process;
 * - `copyObject` wrote the target in place, so a reader could see it half copied.
 *
 * The replacements write each file under a temporary name and rename it into
 * place, reply only after the data is on disk, and leave empty folders.
 */
import { createHash, randomUUID } from "node:crypto"
import { createWriteStream } from "node:fs"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"

/** The object s3rver's controllers hand to `putObject`. */
interface S3rverObject {
  readonly bucket: string
  readonly key: string
  readonly metadata: unknown
  readonly content: Buffer | NodeJS.ReadableStream
}

/** The methods of s3rver's `FilesystemStore` these replacements use or replace. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string
  putMetadata(bucket: string, key: string, metadata: unknown, md5?: string): Promise<void>
  getMetadata(bucket: string, key: string): Promise<unknown>
  putObject(object: S3rverObject): Promise<{ readonly size: number; readonly md5: string }>
  copyObject(
    sourceBucket: string,
    sourceKey: string,
    targetBucket: string,
    targetKey: string,
    replacementMetadata: unknown
  ): Promise<unknown>
  deleteObject(bucket: string, key: string): Promise<void>
}

const isFilesystemStore = (store: unknown): store is FilesystemStore =>
  typeof store === "object" &&
  store !== null &&
  ["getResourcePath", "putMetadata", "getMetadata", "putObject", "copyObject", "deleteObject"].every(
    (method) => typeof Reflect.get(store, method) === "function"
  )

/** A sibling path of `path` for writing before a rename. */
const temporaryPath = (path: string): string =>
  Path.join(Path.dirname(path), `.${Path.basename(path)}.${randomUUID()}.partial`)

/** Runs `write` against a temporary file and renames it to `path`; removes the temporary file on failure. */
const writeAtomically = async (path: string, write: (temporary: string) => Promise<void>): Promise<void> => {
  await Fs.mkdir(Path.dirname(path), { recursive: true })
  const temporary = temporaryPath(path)
  try {
    await write(temporary)
    await Fs.rename(temporary, path)
  } catch (error) {
    await Fs.rm(temporary, { force: true })
    throw error
  }
}

const unlinkIfPresent = async (path: string): Promise<void> => {
  try {
    await Fs.unlink(path)
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error
  }
}

/**
 * Replaces `putObject`, `copyObject` and `deleteObject` on `s3rver.store`.
 * Throws when the store does not have the shape of s3rver 3.7's filesystem
 * store, so an upgrade that changes it is noticed at start.
 */
export const apply = (s3rver: object): void => {
  const store: unknown = Reflect.get(s3rver, "store")
  if (!isFilesystemStore(store)) {
    throw new Error("s3rver's store does not have the methods of s3rver 3.7's FilesystemStore; check the s3rver version")
  }

  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, "object")
    const md5 = createHash("md5")
    let size = 0
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk)
        size += chunk.length
        callback(null, chunk)
      }
    })
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content
    await writeAtomically(objectPath, (temporary) => pipeline(source, meter, createWriteStream(temporary)))
    const digest = md5.digest("hex")
    await store.putMetadata(object.bucket, object.key, object.metadata, digest)
    return { size, md5: digest }
  }

  store.copyObject = async (sourceBucket, sourceKey, targetBucket, targetKey, replacementMetadata) => {
    const resources = ["object", "object.md5", "metadata.json"]
    const sourcePaths = resources.map((resource) => store.getResourcePath(sourceBucket, sourceKey, resource))
    const targetPaths = resources.map((resource) => store.getResourcePath(targetBucket, targetKey, resource))
    if (sourcePaths[0] !== targetPaths[0]) {
      for (const [index, sourcePath] of sourcePaths.entries()) {
        const targetPath = targetPaths[index]
        if (targetPath === undefined) continue
        // The md5 and metadata files may be missing for an object written by another tool.
        const exists = await Fs.stat(sourcePath).then(() => true, () => false)
        if (exists) await writeAtomically(targetPath, (temporary) => Fs.copyFile(sourcePath, temporary))
      }
    }
    if (replacementMetadata !== null && replacementMetadata !== undefined) {
      await store.putMetadata(targetBucket, targetKey, replacementMetadata)
    }
    return store.getMetadata(targetBucket, targetKey)
  }

  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ["object", "object.md5", "metadata.json"].map((resource) =>
        unlinkIfPresent(store.getResourcePath(bucket, key, resource))
      )
    )
  }
}
