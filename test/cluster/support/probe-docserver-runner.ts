/**
 * Runs a runner of the `docserver` shard group that registers no entity, for
 * the shard group tests: it must never take a `default` shard. Needs
 * `DATABASE_URL` and `PW_RUNNER_PORT`.
 */
import * as RunnerProgram from "@pw/runtime/RunnerProgram"
import { Layer } from "effect"

RunnerProgram.runMain({ name: "probe-docserver", groups: ["docserver"], opsPort: 0 }, Layer.empty)
