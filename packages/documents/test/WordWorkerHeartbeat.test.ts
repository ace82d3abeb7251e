import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { expect, layer } from "@effect/vitest"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { ConfigProvider, Context, Duration, Effect, Layer, Option, Schedule } from "effect"
import { WordWorkerDouble } from "../../../test/doubles/WordWorkerDouble.ts"
import { WordWorkerConfig } from "../src/WordWorkerConfig.ts"
import { readHeartbeat, WordWorkerHeartbeat, WordWorkerUnavailable } from "../src/WordWorkerHeartbeat.ts"
import * as WordWorkerProtocol from "../src/WordWorkerProtocol.ts"

/** The object store on an embedded S3 server in a fresh temp directory, removed with the layer. */
const StoreLayer = Layer.unwrapScoped(
  Effect.gen(function* () {
    const directory = yield* Effect.acquireRelease(
      Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-word-heartbeat-test-"))),
      (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
    )
    return ObjectStore.layer.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", directory]]))))
    )
  })
)

const TestLayer = WordWorkerDouble.layer({ pollInterval: "1 second" }).pipe(Layer.provideMerge(StoreLayer))

/** Builds `WordWorkerHeartbeat.layer` in the current scope, configured by `settings` only. */
const openHeartbeat = (settings: Record<string, string>) =>
  Layer.build(
    WordWorkerHeartbeat.layer.pipe(
      Layer.provide(WordWorkerConfig.layer),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(settings)))))
    )
  ).pipe(Effect.map(Context.get(WordWorkerHeartbeat)))

/** Reads every heartbeat fresh, so each test sees its own writes. */
const uncached = { DOCSERVER_WORD_HEARTBEAT_CHECK_INTERVAL: "0 millis" }

const putText = (key: string, text: string) =>
  Effect.flatMap(ObjectStore, (store) => store.put(key, new TextEncoder().encode(text), "application/json"))

layer(TestLayer, { excludeTestServices: true })("WordWorkerHeartbeat", (it) => {
  it.scoped("missing heartbeat is unavailable", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.removeHeartbeat
      const heartbeat = yield* openHeartbeat(uncached)

      const error = yield* Effect.flip(heartbeat.check)
      expect(error).toBeInstanceOf(WordWorkerUnavailable)
      expect(error.message).toContain(`"${WordWorkerProtocol.heartbeatKey}" is missing`)
      expect(error.age).toBeNull()
    })
  )

  it.scoped("fresh heartbeat is available", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.writeHeartbeat()
      const heartbeat = yield* openHeartbeat(uncached)

      const alive = yield* heartbeat.check
      expect(Duration.lessThan(alive.age, Duration.minutes(1))).toBe(true)
    })
  )

  it.scoped("old body timestamp is stale", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.writeHeartbeat("10 minutes")
      const heartbeat = yield* openHeartbeat(uncached)

      const error = yield* Effect.flip(heartbeat.check)
      expect(error.message).toContain("DOCSERVER_WORD_HEARTBEAT_MAX_AGE (5m)")
      expect(error.age === null ? false : Duration.greaterThanOrEqualTo(error.age, Duration.minutes(10))).toBe(true)
    })
  )

  it.scoped("max age is configurable", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.writeHeartbeat("10 minutes")
      const heartbeat = yield* openHeartbeat({ ...uncached, DOCSERVER_WORD_HEARTBEAT_MAX_AGE: "1 hour" })

      const alive = yield* heartbeat.check
      expect(Duration.greaterThanOrEqualTo(alive.age, Duration.minutes(10))).toBe(true)
    })
  )

  it.scoped("non-JSON body uses last-modified", () =>
    Effect.gen(function* () {
      yield* putText(WordWorkerProtocol.heartbeatKey, "alive")
      const store = yield* ObjectStore
      const stat = yield* store.stat(WordWorkerProtocol.heartbeatKey)

      const alive = yield* readHeartbeat(store, Duration.minutes(5))
      expect(Option.some(alive.heartbeatAt.getTime())).toEqual(Option.map(stat, (item) => item.lastModified.getTime()))
    })
  )

  it.scoped("future timestamp never rejuvenates", () =>
    Effect.gen(function* () {
      const future = new Date(Date.now() + 3_600_000).toISOString()
      yield* putText(WordWorkerProtocol.heartbeatKey, JSON.stringify({ timestamp: future }))
      const store = yield* ObjectStore
      const stat = yield* store.stat(WordWorkerProtocol.heartbeatKey)

      const alive = yield* readHeartbeat(store, Duration.minutes(5))
      expect(Option.some(alive.heartbeatAt.getTime())).toEqual(Option.map(stat, (item) => item.lastModified.getTime()))
    })
  )

  it.scoped("timestamp without zone is ignored", () =>
    Effect.gen(function* () {
      yield* putText(WordWorkerProtocol.heartbeatKey, JSON.stringify({ timestamp: "2020-01-01T00:00:00" }))
      const heartbeat = yield* openHeartbeat(uncached)

      const alive = yield* heartbeat.check
      expect(Duration.lessThan(alive.age, Duration.minutes(1))).toBe(true)
    })
  )

  it.scoped("last-modified age makes it stale", () =>
    Effect.gen(function* () {
      yield* putText(WordWorkerProtocol.heartbeatKey, "alive")
      const store = yield* ObjectStore

      // S3 reports last-modified times in whole seconds, so the age passes
      // 1 millisecond within about one second.
      const error = yield* readHeartbeat(store, Duration.millis(1)).pipe(
        Effect.flip,
        Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.intersect(Schedule.recurs(30))))
      )
      expect(error.message).toContain("DOCSERVER_WORD_HEARTBEAT_MAX_AGE")
    })
  )

  it.scoped("disabled worker is unavailable", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.writeHeartbeat()
      const heartbeat = yield* openHeartbeat({ ...uncached, DOCSERVER_WORD_ENABLED: "false" })

      const error = yield* Effect.flip(heartbeat.check)
      expect(error.message).toContain("DOCSERVER_WORD_ENABLED=false")
    })
  )

  it.scoped("check result is cached", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.writeHeartbeat()
      const cached = yield* openHeartbeat({ DOCSERVER_WORD_HEARTBEAT_CHECK_INTERVAL: "1 hour" })
      const fresh = yield* openHeartbeat(uncached)
      yield* cached.check

      yield* worker.removeHeartbeat
      const cachedResult = yield* Effect.either(cached.check)
      const freshResult = yield* Effect.either(fresh.check)
      expect(cachedResult._tag).toBe("Right")
      expect(freshResult._tag).toBe("Left")
    })
  )

  it.effect("config rejects zero max age", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        openHeartbeat({ DOCSERVER_WORD_HEARTBEAT_MAX_AGE: "0 seconds" }).pipe(Effect.scoped)
      )
      expect(String(error)).toContain("DOCSERVER_WORD_HEARTBEAT_MAX_AGE must be longer than zero")
    })
  )
})
