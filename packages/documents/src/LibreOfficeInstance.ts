/**
 * One warm LibreOffice instance: a long-lived headless soffice accepting UNO
 * connections on a private pipe, and the Python UNO helper that converts
 * documents on it one at a time.
 */
import * as Crypto from "node:crypto"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import * as Url from "node:url"
import { Duration, Effect, Schema } from "effect"
import type { Scope } from "effect"
import * as ProcessGroup from "./ProcessGroup.ts"
import * as UnoHelperProtocol from "./UnoHelperProtocol.ts"

/** Maximum time to remove the UNO pipe's socket file after soffice was killed. */
const cleanupTimeout = Duration.seconds(5)

/** The instance did not start: soffice or the helper failed, exited or took longer than `DOCSERVER_START_TIMEOUT`. */
export class LibreOfficeStartFailed extends Schema.TaggedError<LibreOfficeStartFailed>()("LibreOfficeStartFailed", {
  message: Schema.String,
  profileDirectory: Schema.String,
  /** Last output of soffice and the helper, empty when neither was started. */
  outputTail: Schema.String,
  cause: Schema.Defect
}) {}

/** LibreOffice rejected the input document. The instance is still usable. */
export class DocumentRejected extends Schema.TaggedError<DocumentRejected>()("DocumentRejected", {
  message: Schema.String
}) {}

/**
 * The instance can no longer be trusted: soffice or the helper exited, the
 * UNO call failed for a reason other than the document, or the helper broke
 * the protocol. The instance must be replaced.
 */
export class InstanceFailed extends Schema.TaggedError<InstanceFailed>()("InstanceFailed", {
  message: Schema.String,
  /** soffice exit code when soffice exited, otherwise `null`. */
  exitCode: Schema.NullOr(Schema.Number),
  outputTail: Schema.String
}) {}

/** The helper sent no reply within the conversion time limit. The instance must be replaced. */
export class InstanceTimedOut extends Schema.TaggedError<InstanceTimedOut>()("InstanceTimedOut", {
  message: Schema.String,
  timeout: Schema.DurationFromSelf,
  outputTail: Schema.String
}) {}

/** Settings of one instance. */
export interface StartOptions {
  /** Path of the soffice binary. */
  readonly soffice: string
  /** Python interpreter with the UNO bridge. */
  readonly python: string
  /** Profile directory used by this instance alone; created when missing. */
  readonly profileDirectory: string
  /** Time limit to start soffice, connect and finish the warm-up conversion. */
  readonly startTimeout: Duration.Duration
}

/** A started, warmed-up instance. */
export interface LibreOfficeInstance {
  /** Pid of the started soffice, which is also the id of the process group of oosplash and soffice.bin. */
  readonly sofficePid: number
  /** Pid and process group id of the Python UNO helper. */
  readonly helperPid: number
  readonly profileDirectory: string
  /** Completes when soffice or the helper exits, describing which one and how. */
  readonly stopped: Effect.Effect<InstanceFailed>
  readonly isRunning: Effect.Effect<boolean>
  /**
   * Converts the DOCX at `inputPath` to a PDF at `outputPath`, both
   * absolute. Fails with `DocumentRejected` when LibreOffice rejects the
   * input, and with `InstanceFailed` or `InstanceTimedOut` when the instance
   * must be replaced. Callers must not run two conversions at once.
   */
  readonly convert: (
    inputPath: string,
    outputPath: string,
    timeout: Duration.Duration
  ) => Effect.Effect<void, DocumentRejected | InstanceFailed | InstanceTimedOut>
}

const describeExit = (name: string, exit: ProcessGroup.ProcessExit): string =>
  exit.signal === null ? `${name} exited with code ${String(exit.exitCode)}` : `${name} was ended by ${exit.signal}`

/**
 * Starts soffice with its own profile and a private UNO pipe, then the
 * helper, and waits for the helper's warm-up to finish. Closing the scope
 * kills both process groups and removes the pipe's socket file.
 */
export const start = Effect.fn("LibreOfficeInstance.start")(function* (
  options: StartOptions
): Effect.fn.Return<LibreOfficeInstance, LibreOfficeStartFailed, Scope.Scope> {
  const { profileDirectory } = options
  const startFailed = (message: string, outputTail: string, cause: unknown) =>
    new LibreOfficeStartFailed({
      message: `LibreOffice instance with profile ${profileDirectory} failed to start: ${message}`,
      profileDirectory,
      outputTail,
      cause
    })

  yield* Effect.tryPromise({
    try: () => Fs.mkdir(profileDirectory, { recursive: true }),
    catch: (cause) => startFailed(`cannot create the profile directory: ${String(cause)}`, "", cause)
  })

  // soffice leaves lu*.tmp folders in its temp directory when it is killed,
  // so each instance gets its own inside the profile, removed after soffice
  // has stopped. A name of its own keeps a second process that was given the
  // same profile by mistake from removing the running instance's files.
  const temporaryDirectory = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: () => Fs.mkdtemp(Path.join(profileDirectory, "tmp-")),
      catch: (cause) => startFailed(`cannot create a temporary directory in ${profileDirectory}: ${String(cause)}`, "", cause)
    }),
    (directory) =>
      Effect.tryPromise(() => Fs.rm(directory, { recursive: true, force: true })).pipe(
        Effect.catchAll((error) =>
          Effect.logWarning("could not remove a LibreOffice temporary directory").pipe(
            Effect.annotateLogs({ directory, reason: String(error) })
          )
        )
      )
  )

  const pipeName = `pw-libreoffice-${process.pid}-${Crypto.randomUUID()}`
  yield* removePipeSocketOnClose(pipeName)

  const soffice = yield* ProcessGroup.spawn(
    options.soffice,
    [
      "--headless",
      "--invisible",
      "--nologo",
      "--norestore",
      "--nodefault",
      `-env:UserInstallation=${Url.pathToFileURL(profileDirectory).href}`,
      `--accept=pipe,name=${pipeName};urp;StarOffice.ComponentContext`
    ],
    "tail",
    { TMPDIR: temporaryDirectory }
  ).pipe(
    Effect.mapError((error) => startFailed(`${error.message}. Install LibreOffice or set SOFFICE_PATH.`, "", error))
  )

  const helper = yield* ProcessGroup.spawn(
    options.python,
    UnoHelperProtocol.helperArguments({
      pipeName,
      sofficeProcessGroup: soffice.pid,
      connectTimeoutSeconds: Duration.toSeconds(options.startTimeout)
    }),
    "lines"
  ).pipe(
    Effect.mapError((error) =>
      startFailed(`${error.message}. Set DOCSERVER_PYTHON to a Python 3 that has the UNO bridge (python3-uno).`, "", error)
    )
  )

  const outputTail = Effect.gen(function* () {
    const sofficeOutput = (yield* soffice.outputTail).trim()
    const helperOutput = (yield* helper.outputTail).trim()
    const parts = [
      sofficeOutput === "" ? "" : `soffice: ${sofficeOutput}`,
      helperOutput === "" ? "" : `helper: ${helperOutput}`
    ]
    return parts.filter((part) => part !== "").join("\n")
  })

  const stopped: Effect.Effect<InstanceFailed> = Effect.raceFirst(
    Effect.map(soffice.exited, (exit) => ({ description: describeExit("soffice", exit), exitCode: exit.exitCode })),
    Effect.map(helper.exited, (exit) => ({ description: describeExit("the UNO helper", exit), exitCode: null }))
  ).pipe(
    Effect.flatMap(({ description, exitCode }) =>
      Effect.map(outputTail, (tail) => new InstanceFailed({ message: description, exitCode, outputTail: tail }))
    )
  )

  const readMessage = Effect.gen(function* () {
    const line = yield* helper.stdoutLines.take
    return yield* UnoHelperProtocol.decodeMessage(line).pipe(
      Effect.mapError(
        (error) =>
          new InstanceFailed({
            message: `The UNO helper wrote an invalid line ${JSON.stringify(line)}: ${error.message}`,
            exitCode: null,
            outputTail: ""
          })
      )
    )
  })

  const awaitReady = Effect.gen(function* () {
    const message = yield* readMessage
    if (message.type !== "ready") {
      return yield* new InstanceFailed({
        message: `The UNO helper sent ${message.type} before ready`,
        exitCode: null,
        outputTail: ""
      })
    }
    // A soffice that found another soffice on its profile hands its arguments
    // over and exits, so the helper may have reached that other process.
    if (yield* soffice.hasExited) {
      return yield* Effect.flatMap(stopped, Effect.fail)
    }
    return message
  })

  const ready = yield* awaitReady.pipe(
    Effect.raceFirst(Effect.flatMap(stopped, Effect.fail)),
    Effect.timeoutFail({
      duration: options.startTimeout,
      onTimeout: () =>
        new InstanceFailed({
          message: `not ready within ${Duration.format(options.startTimeout)} (DOCSERVER_START_TIMEOUT). Raise it on a slow machine.`,
          exitCode: null,
          outputTail: ""
        })
    }),
    Effect.catchAll((error) =>
      Effect.flatMap(outputTail, (tail) =>
        Effect.fail(startFailed(`${error.message}${profileHint(error)}`, tail, error))
      )
    )
  )

  yield* Effect.logInfo("LibreOffice instance started").pipe(
    Effect.annotateLogs({
      profileDirectory,
      sofficePid: soffice.pid,
      helperPid: helper.pid,
      warmUpMillis: ready.warmUpMillis
    })
  )

  const awaitReply = (id: string): Effect.Effect<void, DocumentRejected | InstanceFailed> =>
    Effect.gen(function* () {
      while (true) {
        const message = yield* readMessage
        if (message.type === "failed" && message.id === null) {
          return yield* new InstanceFailed({
            message: `The UNO helper rejected a request: ${message.message}`,
            exitCode: null,
            outputTail: ""
          })
        }
        if (message.type === "ready" || message.id !== id) {
          yield* Effect.logWarning("Ignored UNO helper message for another request").pipe(
            Effect.annotateLogs({ helperPid: helper.pid, message: JSON.stringify(message) })
          )
          continue
        }
        if (message.type === "converted") {
          return
        }
        return yield* message.reason === "document"
          ? new DocumentRejected({ message: message.message })
          : new InstanceFailed({ message: message.message, exitCode: null, outputTail: "" })
      }
    })

  // Errors raised from a reply or a timeout carry the output as it is when they reach the caller.
  const attachOutputTail = (
    error: DocumentRejected | InstanceFailed | InstanceTimedOut
  ): Effect.Effect<never, DocumentRejected | InstanceFailed | InstanceTimedOut> =>
    Effect.flatMap(outputTail, (tail): Effect.Effect<never, DocumentRejected | InstanceFailed | InstanceTimedOut> => {
      switch (error._tag) {
        case "DocumentRejected":
          return Effect.fail(error)
        case "InstanceFailed":
          return Effect.fail(new InstanceFailed({ message: error.message, exitCode: error.exitCode, outputTail: tail }))
        case "InstanceTimedOut":
          return Effect.fail(new InstanceTimedOut({ message: error.message, timeout: error.timeout, outputTail: tail }))
      }
    })

  const convert = Effect.fn("LibreOfficeInstance.convert")(function* (
    inputPath: string,
    outputPath: string,
    timeout: Duration.Duration
  ) {
    const id = Crypto.randomUUID()
    yield* helper.write(UnoHelperProtocol.encodeRequest({ id, input: inputPath, output: outputPath })).pipe(
      Effect.mapError((error) => new InstanceFailed({ message: error.message, exitCode: null, outputTail: "" }))
    )
    yield* awaitReply(id).pipe(
      Effect.raceFirst(Effect.flatMap(stopped, Effect.fail)),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new InstanceTimedOut({
            message: `The UNO helper sent no reply within ${Duration.format(timeout)}`,
            timeout,
            outputTail: ""
          })
      }),
      Effect.catchAll(attachOutputTail)
    )
  })

  return {
    sofficePid: soffice.pid,
    helperPid: helper.pid,
    profileDirectory,
    stopped,
    isRunning: Effect.map(
      Effect.all([soffice.hasExited, helper.hasExited]),
      ([sofficeExited, helperExited]) => !sofficeExited && !helperExited
    ),
    convert
  }
})

/**
 * A soffice that forwards its arguments to another soffice using the same
 * profile exits at once with code 0, so that exit gets a hint.
 */
const profileHint = (error: InstanceFailed): string =>
  error.exitCode === 0
    ? ". Another LibreOffice may be using this profile: give each process its own PW_DATA_DIR"
    : ""

/**
 * Removes the socket file of the UNO pipe when the scope closes. sal
 * (LibreOffice 7.4) creates it as /tmp/OSL_PIPE_<uid>_<name> and removes it
 * only on a clean exit, but the pool ends soffice with SIGKILL.
 */
const removePipeSocketOnClose = (pipeName: string): Effect.Effect<void, never, Scope.Scope> =>
  Effect.addFinalizer(() => {
    const uid = process.getuid?.()
    if (uid === undefined) {
      return Effect.void
    }
    const socketPath = Path.join("/tmp", `OSL_PIPE_${uid}_${pipeName}`)
    return Effect.tryPromise(() => Fs.rm(socketPath, { force: true })).pipe(
      Effect.timeout(cleanupTimeout),
      Effect.catchAll((error) =>
        Effect.logWarning("Failed to remove UNO pipe socket", error).pipe(Effect.annotateLogs({ socketPath }))
      )
    )
  })
