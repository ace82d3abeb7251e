import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as path from "node:path"
import * as EmbeddedPostgres from "../src/EmbeddedPostgres.ts"
import {
  isRunning,
  query,
  readPostmasterPid,
  runServerScript,
  serverTestTimeout,
  type ScriptRun,
  temporaryDirectory
} from "./fixtures.ts"

describe("EmbeddedPostgres", () => {
  it.scopedLive(
    "starts, serves queries and stops",
    () =>
      Effect.gen(function* () {
        const dataDirectory = path.join(yield* temporaryDirectory, "postgres")

        const server = yield* Effect.scoped(
          Effect.gen(function* () {
            const server = yield* EmbeddedPostgres.start({ dataDirectory })
            const rows = yield* query<{ user: string; address: string; encoding: string }>(
              server.url,
              "select current_user as user, host(inet_server_addr()) as address, pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()"
            )
            expect(rows).toEqual([{ user: "postgres", address: "127.0.0.1", encoding: "UTF8" }])
            expect(server.host).toBe("127.0.0.1")
            expect(server.dataDirectory).toBe(dataDirectory)
            expect(isRunning(server.postmasterPid)).toBe(true)
            return server
          })
        )

        expect(isRunning(server.postmasterPid)).toBe(false)
        expect(existsSync(path.join(dataDirectory, "postmaster.pid"))).toBe(false)
      }),
    serverTestTimeout
  )

  it.scopedLive(
    "keeps data across restarts",
    () =>
      Effect.gen(function* () {
        const dataDirectory = path.join(yield* temporaryDirectory, "postgres")

        yield* Effect.scoped(
          Effect.flatMap(EmbeddedPostgres.start({ dataDirectory }), (server) =>
            query(server.url, "create table notes (body text); insert into notes values ('kept')")
          )
        )
        const rows = yield* Effect.scoped(
          Effect.flatMap(EmbeddedPostgres.start({ dataDirectory }), (server) =>
            query<{ body: string }>(server.url, "select body from notes")
          )
        )

        expect(rows).toEqual([{ body: "kept" }])
      }),
    serverTestTimeout
  )

  it.scopedLive(
    "stops a server left by a killed owner",
    () =>
      Effect.gen(function* () {
        const dataDirectory = path.join(yield* temporaryDirectory, "postgres")
        const first = yield* runServerScript(dataDirectory)
        yield* query(first.url, "create table notes (body text); insert into notes values ('before kill')")

        first.child.kill("SIGKILL")
        const exit = yield* Effect.promise(() => first.exited)
        expect(exit.signal).toBe("SIGKILL")
        expect(isRunning(first.postmasterPid)).toBe(true)

        const server = yield* EmbeddedPostgres.start({ dataDirectory })
        expect(isRunning(first.postmasterPid)).toBe(false)
        expect(server.postmasterPid).not.toBe(first.postmasterPid)
        const rows = yield* query<{ body: string }>(server.url, "select body from notes")
        expect(rows).toEqual([{ body: "before kill" }])
      }),
    serverTestTimeout
  )

  const stopActions: ReadonlyArray<readonly [string, (run: ScriptRun) => void]> = [
    ["closed stdin", (run) => run.child.stdin.end()],
    ["SIGTERM", (run) => run.child.kill("SIGTERM")]
  ]
  for (const [how, stop] of stopActions) {
    it.scopedLive(
      `script stops on ${how}`,
      () =>
        Effect.gen(function* () {
          const dataDirectory = path.join(yield* temporaryDirectory, "postgres")
          const run = yield* runServerScript(dataDirectory)
          expect(yield* Effect.promise(() => readPostmasterPid(dataDirectory))).toBe(run.postmasterPid)

          stop(run)
          const exit = yield* Effect.promise(() => run.exited)

          expect(exit.code).toBe(0)
          expect(isRunning(run.postmasterPid)).toBe(false)
          expect(existsSync(path.join(dataDirectory, "postmaster.pid"))).toBe(false)
        }),
      serverTestTimeout
    )
  }

  it.scopedLive(
    "removes a stale postmaster.pid",
    () =>
      Effect.gen(function* () {
        const dataDirectory = path.join(yield* temporaryDirectory, "postgres")
        yield* Effect.scoped(EmbeddedPostgres.start({ dataDirectory }))

        // A PID that no longer exists, and a live PID that belongs to another program.
        const exitedPid = spawnSync(process.execPath, ["-e", ""]).pid
        for (const stalePid of [exitedPid, process.pid]) {
          yield* Effect.promise(() =>
            fs.writeFile(path.join(dataDirectory, "postmaster.pid"), `${stalePid}\n${dataDirectory}\n`)
          )
          const rows = yield* Effect.scoped(
            Effect.flatMap(EmbeddedPostgres.start({ dataDirectory }), (server) =>
              query<{ one: number }>(server.url, "select 1 as one")
            )
          )
          expect(rows).toEqual([{ one: 1 }])
        }
      }),
    serverTestTimeout
  )

  it.scopedLive(
    "rejects a port in use",
    () =>
      Effect.gen(function* () {
        const dataDirectory = path.join(yield* temporaryDirectory, "postgres")
        const blocker = yield* Effect.acquireRelease(
          Effect.promise(
            () =>
              new Promise<net.Server>((resolve) => {
                const listener = net.createServer()
                listener.listen({ port: 0, host: "127.0.0.1" }, () => resolve(listener))
              })
          ),
          (listener) => Effect.promise(() => new Promise((resolve) => listener.close(resolve)))
        )
        const address = blocker.address()
        const port = typeof address === "object" && address !== null ? address.port : 0

        const error = yield* Effect.flip(EmbeddedPostgres.start({ dataDirectory, port }))

        expect(error._tag).toBe("EmbeddedPostgresError")
        expect(error.message).toContain(`port ${port} on 127.0.0.1 is already in use`)
      }),
    serverTestTimeout
  )

  it.scopedLive(
    "rejects a non-empty directory without cluster",
    () =>
      Effect.gen(function* () {
        const dataDirectory = path.join(yield* temporaryDirectory, "postgres")
        yield* Effect.promise(async () => {
          await fs.mkdir(dataDirectory)
          await fs.writeFile(path.join(dataDirectory, "notes.txt"), "not a cluster")
        })

        const error = yield* Effect.flip(EmbeddedPostgres.start({ dataDirectory }))

        expect(error.dataDirectory).toBe(dataDirectory)
        expect(error.message).toContain(`data directory ${dataDirectory} is not empty`)
        expect(error.message).toContain("PG_VERSION is missing")
      }),
    serverTestTimeout
  )

  it.scopedLive.skipIf(process.getuid?.() !== 0)(
    "rejects a parent postgres cannot enter",
    () =>
      Effect.gen(function* () {
        const parent = path.join(yield* temporaryDirectory, "private")
        yield* Effect.promise(() => fs.mkdir(parent, { mode: 0o700 }))

        const error = yield* Effect.flip(EmbeddedPostgres.start({ dataDirectory: path.join(parent, "postgres") }))

        expect(error.message).toContain(`cannot enter ${parent} (mode 0700)`)
      }),
    serverTestTimeout
  )
})
