/**
 * Runs the platform as a child process, the way `npm start` does, so tests
 * can talk to it over HTTP and kill it at any point.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url))

/**
 * The Deno binary that the `deno` npm package ships, linked into its package
 * folder on first use. Its `.bin` wrapper runs Deno as a child and would not
 * pass a signal on to it.
 */
export const denoBinary = (): string => {
  const install = createRequire(import.meta.url)("deno/install_api.cjs") as { readonly runInstall: () => string }
  return install.runInstall()
}

/** A free TCP port on 127.0.0.1, as the kernel hands it out. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")))
    })
  })

/**
 * Polls `check` every `intervalMillis` until it returns a value, or fails
 * after `attempts` tries. The default of 1,800 tries (about 3 minutes) leaves
 * room for a cold LibreOffice start while the rest of the suite loads both cores.
 */
export const eventually = async <A>(
  description: string,
  check: () => Promise<A | undefined>,
  options: { readonly attempts?: number; readonly intervalMillis?: number } = {}
): Promise<A> => {
  const attempts = options.attempts ?? 1_800
  const intervalMillis = options.intervalMillis ?? 100
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, intervalMillis))
  }
  throw new Error(`timed out waiting for ${description} after ${attempts} attempts`)
}

/** A running platform process. */
export interface PlatformProcess {
  readonly baseUrl: string
  /** Base URL of the runner's operations endpoints (`/healthz`, `/readyz`, `/metrics`). */
  readonly opsUrl: string
  readonly child: ChildProcess
  /** Everything the process printed so far. */
  readonly output: () => string
  /** Sends SIGKILL and waits for the exit. */
  readonly kill9: () => Promise<void>
  /** Sends SIGTERM and waits for the exit. */
  readonly stop: () => Promise<void>
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()))

/**
 * Starts the entry point `entry` (a path from the repository root) with `env`
 * added to this process's environment. When the process serves HTTP, the
 * returned promise waits until its catalog endpoint responds.
 */
export const startProcess = async (
  entry: string,
  env: Record<string, string>,
  options: { readonly servesHttp?: boolean; readonly runtime?: "node" | "deno" } = {}
): Promise<PlatformProcess> => {
  const port = await freePort()
  const opsPort = await freePort()
  const [command, ...runtimeArguments] = options.runtime === "deno"
    ? [denoBinary(), "run", "--allow-all", "--node-modules-dir=manual"]
    : [process.execPath, "--import", "tsx"]
  const child = spawn(command, [...runtimeArguments, entry], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      PW_OPS_PORT: String(opsPort),
      ...env,
      PW_HTTP_HOST: "127.0.0.1",
      PW_HTTP_PORT: String(port)
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const baseUrl = `http://127.0.0.1:${port}`

  const platform: PlatformProcess = {
    baseUrl,
    opsUrl: `http://127.0.0.1:${env.PW_OPS_PORT ?? opsPort}`,
    child,
    output: () => output,
    kill9: async () => {
      child.kill("SIGKILL")
      await exited(child)
    },
    stop: async () => {
      child.kill("SIGTERM")
      await exited(child)
    }
  }

  if (options.servesHttp === false) return platform
  await eventually("the platform to serve HTTP", async () => {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}:\n${output}`)
    const response = await fetch(`${baseUrl}/v1/catalog`, { signal: AbortSignal.timeout(5_000) })
    return response.ok ? true : undefined
  }, { attempts: 900 }).catch((error: unknown) => {
    child.kill("SIGKILL")
    throw new Error(`${String(error)}\n--- platform output ---\n${output}`)
  })
  return platform
}

/** Starts the whole platform in one process, as `npm start` does, on Node.js unless `runtime` is "deno". */
export const startPlatform = (env: Record<string, string>, runtime: "node" | "deno" = "node"): Promise<PlatformProcess> =>
  startProcess("runners/platform/src/main.ts", { DENO_NO_UPDATE_CHECK: "1", ...env }, { runtime })
