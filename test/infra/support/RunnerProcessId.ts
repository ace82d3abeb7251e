/**
 * Reads and ends a process that a test identifies only by the PID file that
 * the process-mode runner wrapper wrote.
 */
import { readFile } from "node:fs/promises"
import { eventually } from "../../support/PlatformProcess.ts"

/** Reads the PID in `pidFile`, failing when the file contains no number. */
export const readProcessId = async (pidFile: string): Promise<number> => {
  const text = (await readFile(pidFile, "utf8")).trim()
  const pid = Number(text)
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${pidFile} contains "${text}", expected the PID that pw-runnerctl writes`)
  return pid
}

/**
 * Tells whether `pid` runs. A zombie counts as ended: the wrapper's daemons
 * are reparented to PID 1, which may never reap them in a container.
 */
export const isRunning = async (pid: number): Promise<boolean> => {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined)
  if (stat === undefined) return false
  const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]
  return state !== "Z"
}

/** Sends SIGTERM to `pid` and waits up to 60 s for it to end, then sends SIGKILL. */
export const stopProcess = async (pid: number): Promise<void> => {
  if (!(await isRunning(pid))) return
  process.kill(pid, "SIGTERM")
  await eventually(`PID ${pid} to exit`, async () => (await isRunning(pid)) ? undefined : true, { attempts: 600 })
    .catch(async (error: unknown) => {
      if (await isRunning(pid)) process.kill(pid, "SIGKILL")
      throw error
    })
}
