/**
 * Runs the embedded platform until interrupted (Ctrl-C or SIGTERM).
 */
import { NodeRuntime } from "@effect/platform-node"
import { Layer } from "effect"
import { PlatformLive } from "./Platform.ts"

Layer.launch(PlatformLive).pipe(NodeRuntime.runMain)
