import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Exit, Layer, Option, Redacted } from "effect"
import * as EmbeddedObjectStore from "../src/EmbeddedObjectStore.ts"
import { ObjectNotFound, ObjectStore } from "../src/ObjectStore.ts"

/** A fresh directory under the system temp directory, removed when the scope closes. */
const tempDirectory = Effect.acquireRelease(
  Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-storage-test-"))),
  (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
)

/** `ObjectStore.layer` reading only the given settings, never the process environment. */
const storeWith = (settings: Record<string, string>) =>
  ObjectStore.layer.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(settings)))))
  )

/** Builds the store in the current scope, so it stays open until the test ends. */
const openStore = (settings: Record<string, string>) =>
  Layer.build(storeWith(settings)).pipe(Effect.map(Context.get(ObjectStore)))

const encode = (text: string) => new TextEncoder().encode(text)
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe("ObjectStore on the embedded server", () => {
  it.scopedLive("put, get and stat round trip", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })
      const bytes = encode("Annual 47 C.F.R. § 64.2009(e) CPNI Certification — sample")

      const written = yield* store.put("orders/1/cpni.docx", bytes, "application/octet-stream")
      expect(written.size).toBe(bytes.byteLength)

      const read = yield* store.get("orders/1/cpni.docx")
      expect(decode(read)).toBe(decode(bytes))

      const stat = yield* store.stat("orders/1/cpni.docx")
      expect(Option.map(stat, (item) => item.size)).toEqual(Option.some(bytes.byteLength))
      expect(Option.map(stat, (item) => item.etag)).toEqual(Option.some(written.etag))
    })
  )

  it.scopedLive("stores objects under PW_DATA_DIR/objects", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      yield* Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("a.txt", encode("a"), "text/plain")
      }).pipe(Effect.provide(storeWith({ PW_DATA_DIR: dataDirectory, S3_BUCKET: "filings" })))

      const bucketEntries = yield* Effect.promise(() => Fs.readdir(Path.join(dataDirectory, "objects", "filings")))
      expect(bucketEntries.some((name) => name.startsWith("a.txt"))).toBe(true)
    })
  )

  it.scopedLive("get of missing key fails with ObjectNotFound", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })

      const error = yield* Effect.flip(store.get("orders/missing.pdf"))
      expect(error).toBeInstanceOf(ObjectNotFound)
      expect(error._tag).toBe("ObjectNotFound")
      expect(error.message).toContain("orders/missing.pdf")

      const stat = yield* store.stat("orders/missing.pdf")
      expect(Option.isNone(stat)).toBe(true)
    })
  )

  // s3rver 3.7 on its own replied to a PUT before the file was written and
  // removed folders a concurrent PUT was about to write into.
  it.scopedLive("concurrent puts in one folder", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })
      const documents = Array.from({ length: 40 }, (_, index) => ({
        key: `to-convert/${index}.docx`,
        bytes: encode(`document ${index} `.repeat(20_000))
      }))

      yield* Effect.forEach(documents, ({ bytes, key }) => store.put(key, bytes, "application/octet-stream"), {
        concurrency: 20
      })
      const read = yield* Effect.forEach(documents, ({ key }) => store.get(key), { concurrency: 20 })
      yield* Effect.forEach(documents.slice(0, 20), ({ key }) => store.remove(key), { concurrency: 20 })

      expect(read.map(decode)).toEqual(documents.map(({ bytes }) => decode(bytes)))
      expect(yield* store.list("to-convert/")).toEqual(documents.slice(20).map(({ key }) => key).sort())
    })
  )

  it.scopedLive("data survives a layer restart", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const layer = storeWith({ PW_DATA_DIR: dataDirectory })

      yield* Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("kept.txt", encode("kept across restarts"), "text/plain")
      }).pipe(Effect.provide(layer))

      const read = yield* Effect.gen(function* () {
        const store = yield* ObjectStore
        return yield* store.get("kept.txt")
      }).pipe(Effect.provide(layer))
      expect(decode(read)).toBe("kept across restarts")
    })
  )

  it.scopedLive("put overwrites the same key", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })

      const first = yield* store.put("same.txt", encode("first version"), "text/plain")
      const second = yield* store.put("same.txt", encode("second"), "text/plain")
      expect(second.etag).not.toBe(first.etag)

      const read = yield* store.get("same.txt")
      expect(decode(read)).toBe("second")

      const stat = yield* store.stat("same.txt")
      expect(Option.map(stat, (item) => item.size)).toEqual(Option.some(6))
    })
  )

  it.scopedLive("empty object round trip", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })

      yield* store.put("empty.bin", new Uint8Array(0), "application/octet-stream")
      const read = yield* store.get("empty.bin")
      expect(read.byteLength).toBe(0)
    })
  )

  it.scopedLive("presignGet rejects eight days", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })

      const error = yield* Effect.flip(store.presignGet("orders/1/cpni.pdf", { expiresIn: "8 days" }))
      expect(error._tag).toBe("PresignExpiryOutOfRange")
      expect(error.message).toContain("orders/1/cpni.pdf")
    })
  )

  it.scopedLive("presignGet rejects blank file name", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })

      const error = yield* Effect.flip(
        store.presignGet("orders/1/cpni.pdf", { expiresIn: "1 minute", downloadFileName: " " })
      )
      expect(error._tag).toBe("ObjectStoreError")
      expect(error.message).toContain("downloadFileName")
    })
  )

  it.scopedLive("empty key fails with ObjectStoreError", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const store = yield* openStore({ PW_DATA_DIR: dataDirectory })

      const error = yield* Effect.flip(store.put("", encode("x"), "text/plain"))
      expect(error._tag).toBe("ObjectStoreError")
      expect(error.message).toContain("put")
    })
  )
})

describe("ObjectStore with S3_ENDPOINT", () => {
  it.scopedLive("uses the configured server", () =>
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      const server = yield* EmbeddedObjectStore.start(directory)
      const store = yield* openStore({
        S3_ENDPOINT: server.endpoint.href,
        S3_ACCESS_KEY: Redacted.value(server.accessKey),
        S3_SECRET_KEY: Redacted.value(server.secretKey),
        S3_BUCKET: "remote-bucket"
      })

      yield* store.put("remote.txt", encode("remote"), "text/plain")
      expect(decode(yield* store.get("remote.txt"))).toBe("remote")

      const bucketEntries = yield* Effect.promise(() => Fs.readdir(Path.join(directory, "remote-bucket")))
      expect(bucketEntries.some((name) => name.startsWith("remote.txt"))).toBe(true)
    })
  )

  it.scopedLive("missing credentials fail the layer", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(openStore({ S3_ENDPOINT: "http://127.0.0.1:9" }))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("S3_ACCESS_KEY")
    })
  )

  it.scopedLive("wrong credentials fail the layer", () =>
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      const server = yield* EmbeddedObjectStore.start(directory)

      const exit = yield* Effect.exit(
        openStore({ S3_ENDPOINT: server.endpoint.href, S3_ACCESS_KEY: "wrong-key-id", S3_SECRET_KEY: "wrong-secret" })
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("ObjectStoreError")
      expect(String(exit)).toContain("AccessDenied")
      expect(String(exit)).not.toContain("wrong-secret")
    })
  )
})
