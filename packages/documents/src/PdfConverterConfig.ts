/**
 * Settings of the LibreOffice converters, the warm pool and the
 * one-process-per-document `SofficeCli`, read from the environment.
 */
import * as Path from "node:path"
import { Config, Context, Duration, Effect, Layer, Option } from "effect"
import type { ConfigError } from "effect"

/** Settings of the converter, read by `PdfConverterConfig.layer` from the environment. */
export class PdfConverterConfig extends Context.Tag("@pw/documents/PdfConverterConfig")<
  PdfConverterConfig,
  {
    /** Path of the soffice binary, or `None` to search PATH and the usual install locations. */
    readonly sofficePath: Option.Option<string>
    /** Number of `SofficeCli` conversions that may run at once, each with its own LibreOffice profile. */
    readonly concurrency: number
    /** Number of long-lived LibreOffice instances in the warm pool, each with its own profile. */
    readonly poolSize: number
    /** Time limit of one conversion: one soffice run for `SofficeCli`, one request to an instance for the pool. */
    readonly timeout: Duration.Duration
    /** Time limit for a pool instance to start soffice, connect over UNO and finish its warm-up conversion. */
    readonly startTimeout: Duration.Duration
    /** Python interpreter that has the UNO bridge (Debian's python3-uno), used by the pool. */
    readonly pythonPath: string
    /**
     * Directory of the LibreOffice profiles (`<PW_DATA_DIR>/libreoffice`):
     * `profile-<i>` for `SofficeCli`, `pool-<i>` for the pool's instances.
     */
    readonly profilesDirectory: string
  }
>() {
  /**
   * Reads `SOFFICE_PATH`, `DOCSERVER_CONCURRENCY`, `DOCSERVER_POOL_SIZE`,
   * `DOCSERVER_TIMEOUT`, `DOCSERVER_START_TIMEOUT`, `DOCSERVER_PYTHON` and
   * `PW_DATA_DIR`.
   */
  static readonly layer: Layer.Layer<PdfConverterConfig, ConfigError.ConfigError> = Layer.effect(
    PdfConverterConfig,
    Effect.gen(function* () {
      const sofficePath = yield* Config.option(
        Config.nonEmptyString("SOFFICE_PATH").pipe(
          Config.withDescription(
            "Path of the LibreOffice soffice binary. When unset, PATH, /usr/bin/soffice and /usr/lib/libreoffice/program/soffice are searched."
          )
        )
      )
      const concurrency = yield* Config.integer("DOCSERVER_CONCURRENCY").pipe(
        Config.withDefault(1),
        Config.validate({ message: "DOCSERVER_CONCURRENCY must be at least 1", validation: (value) => value >= 1 }),
        Config.withDescription(
          "Number of one-process-per-document PDF conversions (SofficeCli) that may run at once. Each has its own LibreOffice profile and soffice process."
        )
      )
      const poolSize = yield* Config.integer("DOCSERVER_POOL_SIZE").pipe(
        Config.withDefault(2),
        Config.validate({ message: "DOCSERVER_POOL_SIZE must be at least 1", validation: (value) => value >= 1 }),
        Config.withDescription(
          "Number of long-lived LibreOffice instances in the warm conversion pool, which is also the number of conversions that run at once. Each instance keeps a soffice.bin of roughly 130 MB resident (LibreOffice 7.4 after small conversions)."
        )
      )
      const timeout = yield* Config.duration("DOCSERVER_TIMEOUT").pipe(
        Config.withDefault(Duration.seconds(120)),
        Config.withDescription(
          'Time limit of one PDF conversion, for example "120 seconds". The LibreOffice instance or soffice process is killed when it passes.'
        )
      )
      const startTimeout = yield* Config.duration("DOCSERVER_START_TIMEOUT").pipe(
        Config.withDefault(Duration.seconds(60)),
        Config.withDescription(
          'Time limit for a pool instance to start LibreOffice and finish a warm-up conversion, for example "60 seconds". The first start in a new profile is the slowest.'
        )
      )
      const pythonPath = yield* Config.nonEmptyString("DOCSERVER_PYTHON").pipe(
        Config.withDefault("/usr/bin/python3"),
        Config.withDescription(
          "Python interpreter with the LibreOffice UNO bridge (Debian package python3-uno), which runs the pool's conversion helper."
        )
      )
      const dataDirectory = yield* Config.string("PW_DATA_DIR").pipe(
        Config.withDefault("var"),
        Config.withDescription(
          "Directory for local state. LibreOffice profiles are kept in its libreoffice/ subdirectory."
        )
      )
      return {
        sofficePath,
        concurrency,
        poolSize,
        timeout,
        startTimeout,
        pythonPath,
        profilesDirectory: Path.resolve(dataDirectory, "libreoffice")
      }
    })
  )
}
