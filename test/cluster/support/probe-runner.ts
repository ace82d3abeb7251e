/**
 * Runs a probe runner of the `default` shard group hosting the Probe entity,
 * for the failover tests and `bench/failover.ts`: the runner program of
 * `runners/core` without LibreOffice or object storage, so it starts in
 * seconds. Needs `DATABASE_URL` and `PW_RUNNER_PORT`.
 */
import * as RunnerProgram from "@pw/runtime/RunnerProgram"
import { ProbeEntityLive } from "./ProbeEntityLive.ts"

RunnerProgram.runMain({ name: "probe", groups: ["default"], opsPort: 0 }, ProbeEntityLive)
