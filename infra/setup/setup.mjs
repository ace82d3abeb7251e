#!/usr/bin/env node
/**
 * Installs what the platform needs and is missing: the npm packages (when
 * node_modules is absent or older than package-lock.json) and the Debian
 * packages LibreOffice, its Python UNO bridge and fonts, plus poppler-utils,
 * OpenStack Swift, memcached, Chromium, Ansible and systemd-analyze for the tests. As root it installs
 * them with apt-get; otherwise it prints the exact command and exits 1.
 *
 * Usage: node infra/setup/setup.mjs [--with-tests]
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const withTests = process.argv.includes("--with-tests")

const log = (message) => process.stderr.write(`setup: ${message}\n`)

const [major] = process.versions.node.split(".").map(Number)
if (major < 20) {
  log(`Node.js ${process.versions.node} is too old; install Node.js 20 or later`)
  process.exit(1)
}

// npm packages: install when node_modules is missing or older than the lock file.
const lockFile = join(root, "package-lock.json")
const installedMarker = join(root, "node_modules", ".package-lock.json")
if (!existsSync(installedMarker) || statSync(installedMarker).mtimeMs < statSync(lockFile).mtimeMs) {
  log("installing npm packages (npm ci)")
  const result = spawnSync("npm", ["ci", "--strict-peer-deps", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" }
  })
  if (result.status !== 0) {
    log("npm ci failed; see the output above")
    process.exit(result.status ?? 1)
  }
}

// Debian packages: each with a file that shows it is installed.
const systemPackages = [
  { name: "libreoffice-writer-nogui", present: () => onPath("soffice") },
  { name: "fonts-liberation2", present: () => existsSync("/usr/share/fonts/truetype/liberation2") },
  // The warm LibreOffice pool drives soffice over UNO from Debian's Python.
  { name: "python3-uno", present: () => existsSync("/usr/lib/python3/dist-packages/uno.py") },
  ...(withTests
    ? [
        { name: "poppler-utils", present: () => onPath("pdftotext") },
        // The object store tests also run against a one-node OpenStack Swift
        // (S3 API); its tempauth needs memcached to check S3 signatures.
        { name: "swift", present: () => onPath("swift-ring-builder") },
        { name: "swift-proxy", present: () => onPath("swift-proxy-server") },
        { name: "swift-account", present: () => onPath("swift-account-server") },
        { name: "swift-container", present: () => onPath("swift-container-server") },
        { name: "swift-object", present: () => onPath("swift-object-server") },
        { name: "memcached", present: () => existsSync("/usr/bin/memcached") },
        // The admin console's browser tests drive Debian's Chromium with Playwright.
        { name: "chromium", present: () => existsSync("/usr/bin/chromium") },
        // The infrastructure tests lint and run the Ansible playbooks and verify the systemd units.
        { name: "ansible", present: () => existsSync("/usr/bin/ansible-playbook") },
        { name: "ansible-lint", present: () => existsSync("/usr/bin/ansible-lint") },
        { name: "systemd", present: () => existsSync("/usr/bin/systemd-analyze") }
      ]
    : [])
]

function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0
}

const missing = systemPackages.filter((pkg) => !pkg.present()).map((pkg) => pkg.name)
if (missing.length > 0) {
  const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`
  if (process.getuid?.() !== 0) {
    log(`missing system packages: ${missing.join(", ")}; install them with:\n  sudo apt-get update && sudo ${command}`)
    process.exit(1)
  }
  log(`installing ${missing.join(", ")}`)
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  execFileSync("apt-get", ["update", "-q"], { stdio: ["ignore", "inherit", "inherit"], env })
  execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], {
    stdio: ["ignore", "inherit", "inherit"],
    env
  })
}
