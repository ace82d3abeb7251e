/**
 * Runs an operator tool (ansible-playbook, ansible-lint, systemd-analyze) as
 * a child process with a time limit and collects its output, so a failing
 * check can show what the tool printed.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url))

/** The Ansible tree, the working directory of the Ansible tools (it contains ansible.cfg). */
export const ansibleRoot = `${repositoryRoot}infra/ansible`

/** How a tool ended and what it printed. */
export interface ToolRun {
  readonly code: number | null
  readonly output: string
}

/**
 * Runs `file` with `args` in `cwd` with `env` added to this process's
 * environment, and resolves when it exits. Past `timeoutMillis` the tool gets
 * SIGKILL and the promise rejects with its output so far.
 */
export const runTool = (
  file: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Record<string, string>; readonly timeoutMillis: number }
): Promise<ToolRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_FORCE_COLOR: "0", NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${file} ${args.join(" ")} timed out after ${options.timeoutMillis} ms:\n${output}`))
    }, options.timeoutMillis)
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
