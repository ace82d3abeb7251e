/**
 * Runs add-runner.yml for real on this machine. A core runner runs on an
 * embedded PostgreSQL. The playbook deploys a release and starts a second
 * core runner with the process wrapper, which takes shards from the first
 * one through the shared database.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest"
import { type ExternalDatabase, startDatabase } from "../support/ExternalDatabase.ts"
import { eventually, freePort, type PlatformProcess, startProcess } from "../support/PlatformProcess.ts"
import { isRunning, readProcessId, stopProcess } from "./support/RunnerProcessId.ts"
import { ansibleRoot, repositoryRoot, runTool, type ToolRun } from "./support/ToolProcess.ts"

/** Shards of the `default` group, the group core runners host (ShardingConfig's default of 300). */
const shardsPerGroup = 300

const firstRunnerName = "test-first-core"

/**
 * Counts the `default` group's shard locks per application name. Shard locks
 * are PostgreSQL advisory locks numbered 1,000,000 + shard for the first
 * shard group in sorted order, which is `default`.
 */
const shardCounts = async (database: ExternalDatabase): Promise<Map<string, number>> => {
  const result = await database.client.query<{ application_name: string; shards: number }>(`
    SELECT a.application_name, count(*)::int AS shards
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objid::bigint BETWEEN 1000001 AND 1999999
    GROUP BY 1
  `)
  return new Map(result.rows.map((row) => [row.application_name, row.shards]))
}

/** Packs a release archive as an operator does, with `npm run release`: tracked files and a fresh `dist/`. */
const packRelease = async (archive: string): Promise<void> => {
  const run = await runTool(
    process.execPath,
    ["infra/build/release.mjs", "test-release", "--output", archive],
    { cwd: repositoryRoot, timeoutMillis: 120_000 }
  )
  if (run.code !== 0) throw new Error(`packing the release failed:\n${run.output}`)
}

describe("add-runner playbook", () => {
  let directory: string
  let database: ExternalDatabase
  let first: PlatformProcess
  let firstShards: number
  let runnerPort: number
  /** The application name the playbook's runner connects with: its role and address. */
  const addedRunnerName = () => `performance-west-core 127.0.0.1:${runnerPort}`
  let pidFile: string
  let playbook: (...extraArguments: Array<string>) => Promise<ToolRun>

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "pw-add-runner-"))
    await chmod(directory, 0o755)
    database = await startDatabase(join(directory, "postgres"))
    const dataDirectory = join(directory, "var")

    first = await startProcess("runners/core/src/main.ts", {
      DATABASE_URL: `${database.url}?application_name=${firstRunnerName}`,
      PW_RUNNER_PORT: String(await freePort()),
      PW_DATA_DIR: dataDirectory,
      PW_LOG_FORMAT: "json"
    }, { servesHttp: false })
    firstShards = await eventually("the first runner to hold every shard", async () => {
      const shards = (await shardCounts(database)).get(firstRunnerName) ?? 0
      return shards === shardsPerGroup ? shards : undefined
    }, { attempts: 1_200 })

    const archive = join(directory, "release.tar.gz")
    await packRelease(archive)
    runnerPort = await freePort()
    const prefix = join(directory, "prefix")
    pidFile = join(prefix, "run", "core-1.pid")

    const inventory = join(directory, "hosts.yml")
    await writeFile(inventory, JSON.stringify({
      all: {
        children: {
          core: {
            hosts: {
              throwaway: {
                ansible_connection: "local",
                ansible_python_interpreter: "/usr/bin/python3",
                pw_runners: [{ role: "core", instance: 1 }]
              }
            }
          }
        }
      }
    }))
    const variables = join(directory, "vars.json")
    await writeFile(variables, JSON.stringify({
      pw_service_manager: "process",
      pw_prefix: prefix,
      pw_config_dir: join(directory, "etc"),
      pw_data_dir: join(directory, "lib"),
      pw_log_dir: join(directory, "log"),
      pw_manage_user: false,
      pw_user: "root",
      pw_group: "root",
      pw_manage_firewall: false,
      pw_manage_packages: false,
      pw_node_binary: process.execPath,
      pw_release_version: "test-release",
      pw_release_archive: archive,
      pw_node_modules_dir: join(repositoryRoot, "node_modules"),
      pw_database_url: database.url,
      pw_private_address: "127.0.0.1",
      pw_runner_port: runnerPort,
      pw_ops_port: await freePort(),
      pw_runner_wait: "readyz",
      pw_runner_wait_retries: 30,
      pw_app_env: "development",
      vault_pw_signing_secret: "add-runner-signing-secret",
      vault_pw_staff_api_key: "add-runner-staff-key"
    }))
    playbook = (...extraArguments) =>
      runTool(
        "ansible-playbook",
        ["-i", inventory, "add-runner.yml", "--limit", "throwaway", "-e", `@${variables}`, ...extraArguments],
        { cwd: ansibleRoot, timeoutMillis: 120_000 }
      )
  })

  afterAll(async () => {
    const pid = pidFile === undefined ? undefined : await readProcessId(pidFile).catch(() => undefined)
    if (pid !== undefined) await stopProcess(pid)
    await first?.stop()
    await database?.close()
    await rm(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  it("starts a runner that takes shards", async () => {
    onTestFailed(async () => {
      console.log(`--- output of the first runner ---\n${first.output()}`)
      const log = await readFile(join(directory, "log", "core-1.log"), "utf8").catch((error: unknown) => String(error))
      console.log(`--- log of the added runner ---\n${log}`)
    })
    expect(firstShards).toBe(shardsPerGroup)

    const run = await playbook()
    expect(run.code, run.output).toBe(0)
    const pid = await readProcessId(pidFile)
    expect(await isRunning(pid)).toBe(true)

    const runners = await database.client.query<{ address: string }>("SELECT address FROM cluster_runners")
    expect(runners.rows.map((row) => row.address)).toContain(`127.0.0.1:${runnerPort}`)

    const shards = await eventually("the added runner to hold a shard", async () => {
      const counts = await shardCounts(database)
      return (counts.get(addedRunnerName()) ?? 0) > 0 ? counts : undefined
    }, { attempts: 600 })
    expect(shards.get(addedRunnerName())).toBeGreaterThan(0)
    const remaining = await eventually("the first runner to give up shards", async () => {
      const count = (await shardCounts(database)).get(firstRunnerName) ?? 0
      return count < shardsPerGroup ? count : undefined
    }, { attempts: 600 })
    expect(remaining).toBeLessThan(shardsPerGroup)
  })

  it("changes nothing on a second run", async () => {
    const before = await readProcessId(pidFile)
    const run = await playbook()
    expect(run.code, run.output).toBe(0)
    expect(run.output, run.output).toMatch(/throwaway\s+:\s+ok=\d+\s+changed=0\s/)
    expect(await readProcessId(pidFile)).toBe(before)
  })

  it("restarts on changed settings", async () => {
    const before = await readProcessId(pidFile)
    const run = await playbook("-e", "pw_log_level=Debug")
    expect(run.code, run.output).toBe(0)
    const after = await readProcessId(pidFile)
    expect(after).not.toBe(before)
    expect(await isRunning(before)).toBe(false)
    expect(await isRunning(after)).toBe(true)
    const shards = await eventually("the restarted runner to hold a shard", async () => {
      const count = (await shardCounts(database)).get(addedRunnerName()) ?? 0
      return count > 0 ? count : undefined
    }, { attempts: 600 })
    expect(shards).toBeGreaterThan(0)
  })
})
