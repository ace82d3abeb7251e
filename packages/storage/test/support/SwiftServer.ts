/**
 * A throwaway OpenStack Swift with its S3 API on 127.0.0.1, for running
 * the object store's tests against a real S3-compatible server.
 */
import * as ChildProcess from "node:child_process"
import * as Crypto from "node:crypto"
import * as Dgram from "node:dgram"
import * as Fs from "node:fs/promises"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Util from "node:util"
import { Deferred, Duration, Effect, Option, Redacted, Schedule, Schema } from "effect"
import type { Scope } from "effect"
import * as ScopedProcess from "./ScopedProcess.ts"
import * as SwiftConfig from "./SwiftConfig.ts"

/** Debian 12 packages that provide the commands below. */
export const installCommand =
  "apt-get install -y --no-install-recommends swift swift-proxy swift-account swift-container swift-object memcached"

/** Commands the launcher runs, looked up on PATH. */
const requiredCommands = [
  "swift-ring-builder",
  "swift-proxy-server",
  "swift-account-server",
  "swift-container-server",
  "swift-object-server",
  "memcached"
]

/** Time limit of one `swift-ring-builder` run. */
const ringBuilderTimeout = Duration.seconds(30)

/** Health checks: every 100 ms for at most 60 seconds, across all servers. */
const healthPollInterval = Duration.millis(100)
const healthPollAttempts = 600

/** Time limit of one health check request. */
const healthRequestTimeout = Duration.seconds(2)

/** Number of trailing characters of the servers' output kept for error messages. */
const outputTailLength = 6000

/** Swift could not be prepared or started. The message contains the servers' last output. */
export class SwiftServerError extends Schema.TaggedError<SwiftServerError>()("SwiftServerError", {
  message: Schema.String,
  cause: Schema.Defect
}) {}

/** A running Swift: its S3 endpoint and the tempauth credentials as S3 keys. */
export interface SwiftServer {
  /** `http://127.0.0.1:<proxy port>`. */
  readonly endpoint: URL
  /** `account:user` of the tempauth user. */
  readonly accessKey: Redacted.Redacted<string>
  /** The tempauth user's key, random per instance. */
  readonly secretKey: Redacted.Redacted<string>
}

const fail = (message: string, cause?: unknown) => new SwiftServerError({ message, cause })

/** Fails naming the install command when one of the required commands is not on PATH. */
const requireCommands = Effect.gen(function* () {
  const directories = (process.env["PATH"] ?? "").split(Path.delimiter).filter((directory) => directory !== "")
  const isOnPath = (command: string) =>
    Effect.promise(async () => {
      for (const directory of directories) {
        const found = await Fs.access(Path.join(directory, command), Fs.constants.X_OK).then(
          () => true,
          () => false
        )
        if (found) {
          return true
        }
      }
      return false
    })
  const missing = yield* Effect.filter(requiredCommands, (command) => Effect.map(isOnPath(command), (found) => !found))
  if (missing.length > 0) {
    return yield* fail(`OpenStack Swift is not installed: ${missing.join(", ")} not on PATH. Install it with \`${installCommand}\`.`)
  }
})

/**
 * Picks `count` different free TCP ports on 127.0.0.1 by listening on all of
 * them at once. Another process could take one before Swift binds it.
 */
const freePorts = (count: number) =>
  Effect.tryPromise({
    try: async () => {
      const servers = Array.from({ length: count }, () => Net.createServer())
      try {
        return await Promise.all(
          servers.map(
            (server) =>
              new Promise<number>((resolve, reject) => {
                server.once("error", reject)
                server.listen(0, "127.0.0.1", () => {
                  const address = server.address()
                  if (typeof address === "object" && address !== null) {
                    resolve(address.port)
                  } else {
                    reject(new Error("the socket has no address"))
                  }
                })
              })
          )
        )
      } finally {
        await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
      }
    },
    catch: (cause) => fail(`Failed to pick ${count} free ports on 127.0.0.1: ${String(cause)}`, cause)
  })

/** A fresh directory under the system temp directory, removed with its contents when the scope closes. */
const temporaryDirectory = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-swift-")),
    catch: (cause) => fail(`Failed to create a temporary directory for Swift: ${String(cause)}`, cause)
  }),
  (directory) =>
    Effect.promise(() => Fs.rm(directory, { recursive: true, force: true })).pipe(
      Effect.interruptible,
      Effect.timeout(Duration.seconds(30)),
      Effect.catchAll(() => Effect.logWarning("Swift directory not removed").pipe(Effect.annotateLogs({ directory })))
    )
)

/** A UDP socket on 127.0.0.1 that passes each syslog message to `onMessage`, closed with the scope. */
const syslogSink = (onMessage: (text: string) => void) =>
  Effect.acquireRelease(
    Effect.async<Dgram.Socket, SwiftServerError>((resume) => {
      const socket = Dgram.createSocket("udp4")
      socket.on("message", (message) => onMessage(message.toString("utf8").replace(/^<\d+>/, "").replace(/\0$/, "")))
      socket.once("error", (cause) => resume(Effect.fail(fail(`Failed to open the syslog socket: ${cause.message}`, cause))))
      socket.bind(0, "127.0.0.1", () => resume(Effect.succeed(socket)))
    }),
    (socket) => Effect.sync(() => socket.close())
  )

const execFile = Util.promisify(ChildProcess.execFile)

/** Returns the exit code of a failed `execFile`, or undefined when the process did not exit normally. */
const exitCodeOf = (cause: unknown): number | undefined =>
  cause instanceof Error && "code" in cause && typeof cause.code === "number" ? cause.code : undefined

/** Runs `swift-ring-builder` with `args`, failing with its output when it exits with an error. */
const ringBuilder = (args: ReadonlyArray<string>) =>
  Effect.tryPromise({
    try: (signal) => execFile("swift-ring-builder", args, { signal, timeout: Duration.toMillis(ringBuilderTimeout) }),
    catch: (cause) => fail(`swift-ring-builder ${args.join(" ")} failed: ${String(cause)}`, cause)
  }).pipe(
    // rebalance exits with 1 (EXIT_WARNING) when it only warns, and execFile
    // reports every non-zero exit as an error.
    Effect.catchIf(
      (error) => args[1] === "rebalance" && exitCodeOf(error.cause) === 1,
      () => Effect.void
    )
  )

/** Creates, fills and balances the ring of `server`: one partition, one replica, one device. */
const buildRing = (directory: string, server: SwiftConfig.StorageServer, port: number) => {
  const builder = Path.join(directory, `${server}.builder`)
  return Effect.all(
    [
      ringBuilder([builder, "create", "0", "1", "1"]),
      ringBuilder([builder, "add", `r1z1-127.0.0.1:${port}/${SwiftConfig.deviceName}`, "1"]),
      ringBuilder([builder, "rebalance"])
    ],
    { discard: true }
  )
}

/** Returns true when a GET of `url` returns 200. */
const isHealthy = (url: string) =>
  Effect.tryPromise(async (signal) => {
    const response = await fetch(url, { signal })
    await response.arrayBuffer()
    return response.ok
  }).pipe(
    Effect.timeout(healthRequestTimeout),
    Effect.orElseSucceed(() => false)
  )

/**
 * Starts Swift in a new temporary directory: writes the configs, builds the
 * account, container and object rings, starts memcached and the four
 * servers on free ports of 127.0.0.1, and waits (at most 60 seconds) until
 * each returns 200 for `/healthcheck`. When the scope closes, the processes are
 * stopped and the directory removed. The servers switch to the user running
 * the test (`user = root` under CI), and syslog goes to a UDP socket of this
 * process. Fails with `SwiftServerError`, naming the install command when
 * Swift is missing.
 */
export const start = Effect.fn("SwiftServer.start")(function* (): Effect.fn.Return<
  SwiftServer,
  SwiftServerError,
  Scope.Scope
> {
  yield* requireCommands
  let outputTail = ""
  const appendOutput = (source: string) => (text: string) => {
    const combined = `${outputTail}[${source}] ${text.endsWith("\n") ? text : `${text}\n`}`
    outputTail = combined.length > outputTailLength ? combined.slice(-outputTailLength) : combined
  }

  const directory = yield* temporaryDirectory
  const logSocket = yield* syslogSink(appendOutput("syslog"))
  const [proxyPort, accountPort, containerPort, objectPort, memcachedPort] = yield* freePorts(5)
  if (
    proxyPort === undefined ||
    accountPort === undefined ||
    containerPort === undefined ||
    objectPort === undefined ||
    memcachedPort === undefined
  ) {
    return yield* fail("Failed to pick five free ports on 127.0.0.1")
  }
  const settings: SwiftConfig.SwiftSettings = {
    directory,
    proxyPort,
    storagePorts: { account: accountPort, container: containerPort, object: objectPort },
    memcachedPort,
    logPort: logSocket.address().port,
    user: Os.userInfo().username,
    account: "pw",
    userName: "tester",
    key: Crypto.randomBytes(16).toString("hex"),
    hashSalt: Crypto.randomBytes(8).toString("hex")
  }

  const files: ReadonlyArray<readonly [string, string]> = [
    ["swift.conf", SwiftConfig.swiftConf(settings)],
    ["proxy-server.conf", SwiftConfig.proxyServerConf(settings)],
    ...SwiftConfig.storageServers.map(
      (server) => [`${server}-server.conf`, SwiftConfig.storageServerConf(settings, server)] as const
    )
  ]
  yield* Effect.tryPromise({
    try: async () => {
      await Fs.mkdir(Path.join(directory, "devices", SwiftConfig.deviceName), { recursive: true })
      for (const [name, text] of files) {
        await Fs.writeFile(Path.join(directory, name), text)
      }
    },
    catch: (cause) => fail(`Failed to write the Swift configuration to ${directory}: ${String(cause)}`, cause)
  })
  yield* Effect.forEach(
    SwiftConfig.storageServers,
    (server) => buildRing(directory, server, settings.storagePorts[server]),
    { concurrency: "unbounded", discard: true }
  )

  const startProcess = (name: string, command: string, args: ReadonlyArray<string>) =>
    ScopedProcess.spawn(name, command, args, appendOutput(name)).pipe(
      Effect.mapError((error) => fail(error.message, error))
    )
  const memcachedUser = process.getuid?.() === 0 ? ["-u", "root"] : []
  const processes = [
    yield* startProcess("memcached", "memcached", [
      "-l", "127.0.0.1", "-p", String(memcachedPort), "-U", "0", "-m", "16", "-t", "1", ...memcachedUser
    ]),
    ...(yield* Effect.forEach([...SwiftConfig.storageServers, "proxy"], (server) =>
      startProcess(`${server}-server`, `swift-${server}-server`, [Path.join(directory, `${server}-server.conf`)])
    ))
  ]

  const healthUrls = [proxyPort, accountPort, containerPort, objectPort].map(
    (port) => `http://127.0.0.1:${port}/healthcheck`
  )
  const exitedProcess = Effect.gen(function* () {
    for (const child of processes) {
      const exit = yield* Deferred.poll(child.exited)
      if (Option.isSome(exit)) {
        return Option.some(`${child.name} ended with ${yield* exit.value}`)
      }
    }
    return Option.none<string>()
  })
  // Fails with None while a server is not ready, which is retried, and with
  // Some when a process has ended, which is not.
  const healthy = Effect.gen(function* () {
    const exited = yield* exitedProcess
    if (Option.isSome(exited)) {
      return yield* Effect.fail(Option.some(fail(`Swift did not start: ${exited.value}. Output:\n${outputTail}`)))
    }
    const answered = yield* Effect.forEach(healthUrls, isHealthy, { concurrency: "unbounded" })
    if (!answered.every((ok) => ok)) {
      return yield* Effect.fail(Option.none())
    }
  })
  yield* healthy.pipe(
    Effect.retry({ schedule: Schedule.spaced(healthPollInterval), times: healthPollAttempts, while: Option.isNone }),
    Effect.mapError(
      Option.getOrElse(() =>
        fail(
          `Swift did not answer /healthcheck on ${healthUrls.join(", ")} within ${healthPollAttempts} checks ${Duration.format(healthPollInterval)} apart. Output:\n${outputTail}`
        )
      )
    )
  )

  const endpoint = new URL(`http://127.0.0.1:${proxyPort}`)
  yield* Effect.logInfo("Swift started").pipe(Effect.annotateLogs({ endpoint: endpoint.href, directory }))
  return {
    endpoint,
    accessKey: Redacted.make(`${settings.account}:${settings.userName}`),
    secretKey: Redacted.make(settings.key)
  }
})
