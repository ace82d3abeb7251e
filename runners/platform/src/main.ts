/**
 * Runs the embedded platform until interrupted (Ctrl-C or SIGTERM).
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Logging from "@pw/runtime/Logging"
import { Effect, Layer } from "effect"
import { PlatformLive } from "./Platform.ts"

NodeRuntime.runMain(Layer.launch(PlatformLive).pipe(Effect.provide(Logging.layer)), { disablePrettyLogger: true })
