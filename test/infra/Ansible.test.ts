/**
 * Static checks of the Ansible tree in infra/ansible: ansible-lint, a syntax
 * check of every playbook against the example inventory, and
 * `systemd-analyze verify` on every systemd unit the roles render.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ansibleRoot, repositoryRoot, runTool } from "./support/ToolProcess.ts"

const playbooks = ["site.yml", "add-runner.yml", "rolling-release.yml"]

/** Unit names to verify; a templated unit is verified through its instance 1. */
const units = [
  "performance-west-core@1.service",
  "performance-west-docserver@1.service",
  "performance-west-api@1.service",
  "performance-west-backup.service",
  "performance-west-backup.timer",
  "minio.service"
]

describe("ansible tree", () => {
  it("passes ansible-lint", async () => {
    const run = await runTool("ansible-lint", ["--offline", "--nocolor"], { cwd: ansibleRoot, timeoutMillis: 120_000 })
    expect(run.code, run.output).toBe(0)
  })

  it.each(playbooks)("syntax-checks %s", async (playbook) => {
    const run = await runTool(
      "ansible-playbook",
      ["--syntax-check", "-i", "inventory/example", playbook],
      { cwd: ansibleRoot, timeoutMillis: 60_000 }
    )
    expect(run.code, run.output).toBe(0)
  })
})

describe("rendered systemd units", () => {
  let directory: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "pw-units-"))
    // ExecStart must name an executable that exists here: node for the
    // runners, the rendered backup script, and /usr/bin/true in place of the
    // MinIO binary, which this machine does not have.
    const variables = {
      pw_render_dir: directory,
      pw_node_binary: process.execPath,
      pw_backup_script: join(directory, "performance-west-backup"),
      pw_minio_binary: "/usr/bin/true"
    }
    const run = await runTool(
      "ansible-playbook",
      ["-i", "localhost,", "test/infra/support/render-units.yml", "-e", JSON.stringify(variables)],
      { cwd: repositoryRoot, timeoutMillis: 60_000 }
    )
    if (run.code !== 0) throw new Error(`rendering the units failed:\n${run.output}`)
  })

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it.each(units)("verifies %s", async (unit) => {
    const run = await runTool("systemd-analyze", ["verify", join(directory, unit)], {
      cwd: directory,
      timeoutMillis: 30_000
    })
    expect(run.code, run.output).toBe(0)
    // Unknown keys and bad values are only warnings, with exit code 0.
    const name = unit.split(/[@.]/)[0] ?? unit
    const warnings = run.output.split("\n").filter((line) => line.includes(directory) || line.includes(name))
    expect(warnings, run.output).toEqual([])
  })
})
