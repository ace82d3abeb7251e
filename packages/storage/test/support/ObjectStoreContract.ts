/**
 * The behaviour every S3-compatible server must give `ObjectStore`, as one
 * test suite that runs against each server.
 */
import * as Crypto from "node:crypto"
import { expect, layer } from "@effect/vitest"
import { ConfigProvider, Context, Deferred, Duration, Effect, Exit, Fiber, Layer, Option, Redacted, Schedule } from "effect"
import { ObjectChecksumMismatch, ObjectNotFound, ObjectStore, ObjectStoreError } from "../../src/ObjectStore.ts"
import * as S3Client from "../../src/S3Client.ts"
import * as S3ObjectStore from "../../src/S3ObjectStore.ts"

/** The server under test: where it listens and the keys it accepts. */
export class ContractServer extends Context.Tag("@pw/storage/test/ContractServer")<
  ContractServer,
  {
    readonly endpoint: URL
    readonly accessKey: Redacted.Redacted<string>
    readonly secretKey: Redacted.Redacted<string>
  }
>() {}

/** What the server under test enforces beyond the S3 basics. */
export interface ContractOptions {
  /** The server rejects a presigned URL whose signature was altered (s3rver does not). */
  readonly verifiesSignatures: boolean
}

const bucket = "contract"
const region = "us-east-1"

/** Presigned URL expiry checks: every 100 ms, at most 100 times. */
const expiryPollInterval = Duration.millis(100)
const expiryPollAttempts = 100

const encode = (text: string) => new TextEncoder().encode(text)
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const sha256 = (text: string) => Crypto.createHash("sha256").update(text).digest("hex")

/** `ObjectStore.layer` configured for the server under test, never from the process environment. */
const StoreLive = Layer.unwrapEffect(
  Effect.map(ContractServer, (server) =>
    ObjectStore.layer.pipe(
      Layer.provide(
        Layer.setConfigProvider(
          ConfigProvider.fromMap(
            new Map([
              ["S3_ENDPOINT", server.endpoint.href],
              ["S3_ACCESS_KEY", Redacted.value(server.accessKey)],
              ["S3_SECRET_KEY", Redacted.value(server.secretKey)],
              ["S3_BUCKET", bucket],
              ["S3_REGION", region]
            ])
          )
        )
      )
    )
  )
)

/** A MinIO client for the server under test, for writing around the store. */
const rawClient = Effect.gen(function* () {
  const server = yield* ContractServer
  return yield* S3Client.connect({ url: server.endpoint, accessKey: server.accessKey, secretKey: server.secretKey }, region)
})

/** A store on the same bucket whose CopyObject calls run `copyObject` instead of reaching the server. */
const storeWithCopy = (copyObject: () => Promise<never>) =>
  Effect.gen(function* () {
    const server = yield* ContractServer
    const client = yield* rawClient
    const faulty = new Proxy(client, {
      get: (target, property, receiver) =>
        property === "copyObject" ? copyObject : Reflect.get(target, property, receiver)
    })
    return yield* S3ObjectStore.make(faulty, {
      bucket,
      region,
      requestTimeout: Duration.seconds(30),
      server: server.endpoint.host
    })
  })

/** Status, headers and body of a plain GET of `url`. */
const download = (url: string) =>
  Effect.tryPromise(async () => {
    const response = await fetch(url)
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      disposition: response.headers.get("content-disposition"),
      body: await response.text()
    }
  })

/** Registers the contract suite against the server that `server` starts, once for the whole file. */
export const objectStoreContract = <E>(
  name: string,
  server: Layer.Layer<ContractServer, E>,
  options: ContractOptions
): void =>
  layer(Layer.provideMerge(StoreLive, server), { excludeTestServices: true, timeout: "120 seconds" })(name, (it) => {
    it.effect("put and get round trip", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const text = "Annual 47 C.F.R. § 64.2009(e) CPNI Certification — sample"

        const stored = yield* store.put("round-trip/cpni.txt", encode(text), "text/plain; charset=utf-8")
        expect(stored.sha256).toBe(sha256(text))
        expect(stored.size).toBe(encode(text).byteLength)
        expect(decode(yield* store.get("round-trip/cpni.txt"))).toBe(text)
      })
    )

    it.effect("stat reports type and checksum", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const stored = yield* store.put("stat/filing.pdf", encode("%PDF-1.7 sample"), "application/pdf")

        const stat = Option.getOrThrow(yield* store.stat("stat/filing.pdf"))
        expect(stat.size).toBe(15)
        expect(stat.etag).toBe(stored.etag)
        expect(stat.contentType).toBe("application/pdf")
        expect(stat.sha256).toBe(sha256("%PDF-1.7 sample"))
        expect(stat.lastModified).toBeInstanceOf(Date)
      })
    )

    it.effect("put overwrites existing object", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("overwrite/a.txt", encode("first version"), "text/plain")
        yield* store.put("overwrite/a.txt", encode("second"), "text/csv")

        expect(decode(yield* store.get("overwrite/a.txt"))).toBe("second")
        const stat = Option.getOrThrow(yield* store.stat("overwrite/a.txt"))
        expect(stat.contentType).toBe("text/csv")
        expect(stat.sha256).toBe(sha256("second"))
      })
    )

    it.effect("put leaves no temporary object", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("temporary/a.txt", encode("a"), "text/plain")

        expect(yield* store.list(".tmp_/")).toEqual([])
      })
    )

    it.scoped("failed copy keeps the target", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("failed-copy/a.txt", encode("kept"), "text/plain")
        const failing = yield* storeWithCopy(() => Promise.reject(new Error("copy rejected by the test")))

        const error = yield* Effect.flip(failing.put("failed-copy/a.txt", encode("lost"), "text/plain"))
        expect(error).toBeInstanceOf(ObjectStoreError)
        expect(error.operation).toBe("copy")
        expect(decode(yield* store.get("failed-copy/a.txt"))).toBe("kept")
        expect(yield* store.list(".tmp_/")).toEqual([])
      })
    )

    it.scoped("interrupted put keeps the target", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("interrupted/a.txt", encode("kept"), "text/plain")
        const copyStarted = yield* Deferred.make<void>()
        const hanging = yield* storeWithCopy(() => {
          Deferred.unsafeDone(copyStarted, Exit.void)
          return new Promise<never>(() => {})
        })

        const fiber = yield* Effect.fork(hanging.put("interrupted/a.txt", encode("lost"), "text/plain"))
        yield* Deferred.await(copyStarted)
        expect(yield* store.list(".tmp_/")).toHaveLength(1)
        expect((yield* store.list("")).filter((key) => key.startsWith(".tmp_/"))).toEqual([])
        yield* Fiber.interrupt(fiber)

        expect(decode(yield* store.get("interrupted/a.txt"))).toBe("kept")
        expect(yield* store.list(".tmp_/")).toEqual([])
      })
    )

    it.effect("non-ASCII key round trip", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const key = "non-ascii/Überprüfung 2025 (final).txt"
        yield* store.put(key, encode("ü"), "text/plain; charset=utf-8")

        expect(decode(yield* store.get(key))).toBe("ü")
        expect(yield* store.list("non-ascii/")).toEqual([key])
      })
    )

    it.effect("put refuses temporary prefix", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const error = yield* Effect.flip(store.put(".tmp_/mine.txt", encode("x"), "text/plain"))

        expect(error.message).toContain(".tmp_/")
      })
    )

    it.effect("list returns keys under prefix", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        for (const key of ["list/a/1.txt", "list/a/2.txt", "list/a/b/3.txt", "list/ab/4.txt"]) {
          yield* store.put(key, encode(key), "text/plain")
        }

        expect(yield* store.list("list/a/")).toEqual(["list/a/1.txt", "list/a/2.txt", "list/a/b/3.txt"])
        expect(yield* store.list("list/none/")).toEqual([])
      })
    )

    it.effect("remove deletes the object", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("remove/a.txt", encode("a"), "text/plain")
        yield* store.remove("remove/a.txt")

        expect(Option.isNone(yield* store.stat("remove/a.txt"))).toBe(true)
        yield* store.remove("remove/a.txt")
      })
    )

    it.effect("missing key fails with ObjectNotFound", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const error = yield* Effect.flip(store.get("missing/none.pdf"))

        expect(error).toBeInstanceOf(ObjectNotFound)
        expect(error.message).toContain("missing/none.pdf")
      })
    )

    it.scoped("get detects changed bytes", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const client = yield* rawClient
        yield* Effect.promise(() =>
          client.putObject(bucket, "checksum/a.txt", Buffer.from("changed"), 7, {
            "Content-Type": "text/plain",
            "X-Amz-Meta-Sha256": sha256("original")
          })
        )

        const error = yield* Effect.flip(store.get("checksum/a.txt"))
        expect(error).toBeInstanceOf(ObjectChecksumMismatch)
        expect(error.message).toContain(sha256("changed"))
      })
    )

    it.effect("presigned GET serves the bytes", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("presigned/cert.pdf", encode("%PDF-1.7 presigned"), "application/pdf")
        const url = yield* store.presignGet("presigned/cert.pdf", {
          expiresIn: "10 minutes",
          downloadFileName: "Certificación CPNI 2025.pdf"
        })

        const response = yield* download(url)
        expect(response.status).toBe(200)
        expect(response.body).toBe("%PDF-1.7 presigned")
        expect(response.contentType).toBe("application/pdf")
        expect(response.disposition).toBe(
          `attachment; filename="Certificaci_n CPNI 2025.pdf"; filename*=UTF-8''Certificaci%C3%B3n%20CPNI%202025.pdf`
        )
      })
    )

    it.effect("expired presigned URL is rejected", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("expiry/a.txt", encode("short-lived"), "text/plain")
        // S3 counts expiry from the signing second, so a 2-second link
        // works for at least 1 second.
        const url = yield* store.presignGet("expiry/a.txt", { expiresIn: "2 seconds" })
        expect((yield* download(url)).status).toBe(200)

        const rejected = yield* download(url).pipe(
          Effect.filterOrFail(
            (response) => response.status !== 200,
            () => new Error("presigned URL still served")
          ),
          Effect.retry({ schedule: Schedule.spaced(expiryPollInterval), times: expiryPollAttempts })
        )
        expect(rejected.status).toBe(403)
        expect(rejected.body).toContain("Request has expired")
      })
    )

    it.effect.skipIf(!options.verifiesSignatures)("tampered signature is rejected", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* store.put("tampered/a.txt", encode("secret"), "text/plain")
        const url = yield* store.presignGet("tampered/a.txt", { expiresIn: "10 minutes" })
        const tampered = url.replace(
          /X-Amz-Signature=([0-9a-f]{63})([0-9a-f])/,
          (_, head: string, last: string) => `X-Amz-Signature=${head}${last === "0" ? "1" : "0"}`
        )
        expect(tampered).not.toBe(url)

        const response = yield* download(tampered)
        expect(response.status).toBe(403)
        expect(response.body).toContain("SignatureDoesNotMatch")
      })
    )
  })
