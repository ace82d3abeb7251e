/**
 * A replacement LibreOffice converter for a runner whose LibreOffice failed
 * to start, so a docserver with a running Word worker still converts documents.
 */
import { ConfigError, Effect, Layer } from "effect"
import { ConversionFailed } from "./ConversionErrors.ts"
import { LibreOfficeConverter } from "./LibreOfficeConverter.ts"

/** Message of a start failure, which for every LibreOffice error is its `message` field. */
const messageOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : String(error)

/**
 * Builds `layer`. When it fails with anything but a configuration error (for
 * example `SofficeNotFound` or `LibreOfficeStartFailed`), logs the error and
 * provides instead a `LibreOfficeConverter` whose every conversion fails with
 * `ConversionFailed` naming that error. A configuration error still fails
 * the layer, because it needs a fixed setting rather than a Word worker.
 * LibreOffice is not started again until the runner restarts.
 */
export const tolerate = <E, R>(
  layer: Layer.Layer<LibreOfficeConverter, E, R>
): Layer.Layer<LibreOfficeConverter, ConfigError.ConfigError, R> =>
  Layer.catchAll(layer, (error) => {
    if (ConfigError.isConfigError(error)) {
      return Layer.fail(error)
    }
    const reason = messageOf(error)
    return Layer.effect(
      LibreOfficeConverter,
      Effect.logError("LibreOffice did not start, so only the Word worker converts").pipe(
        Effect.annotateLogs({ reason }),
        Effect.as(
          LibreOfficeConverter.of({
            convert: () =>
              Effect.fail(
                new ConversionFailed({
                  message: `LibreOffice is not available because it failed to start: ${reason} Fix LibreOffice and restart the runner, or start the Word worker.`,
                  exitCode: null,
                  stderrTail: "",
                  cause: undefined
                })
              )
          })
        )
      )
    )
  })
