/**
 * Runs an operator command (a TypeScript entry point under tsx) as a child
 * process against a database a test owns, and collects its output.
 */
import { spawn } from "node:child_process"

/** The repository root, the working directory of every command. */
export const repositoryRoot = new URL("../../", import.meta.url).pathname

/** How a command ended and what it printed. */
export interface CommandRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `node --import tsx <script> ...args` from the repository root with
 * DATABASE_URL, PW_DATA_DIR and warnings-only logs, and resolves when it exits.
 */
export const runCommand = (
  script: string,
  args: ReadonlyArray<string>,
  database: { readonly url: string; readonly dataDirectory: string }
) =>
  new Promise<CommandRun>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, DATABASE_URL: database.url, PW_DATA_DIR: database.dataDirectory, PW_LOG_LEVEL: "Warn" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => stdout += chunk.toString())
    child.stderr.on("data", (chunk: Buffer) => stderr += chunk.toString())
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })
