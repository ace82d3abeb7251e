/**
 * Packs a release archive for `infra/ansible`: the repository's tracked files
 * as they are in the working tree, plus `dist/` from a fresh build, without
 * `node_modules` (the hosts run `npm ci --omit=dev`).
 *
 * Usage: `npm run release -- [VERSION] [--output FILE]`. VERSION defaults to
 * the UTC date and the short commit id; FILE defaults to
 * `var/releases/performance-west-VERSION.tar.gz`. Prints the archive's path.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const { values, positionals } = parseArgs({ options: { output: { type: "string" } }, allowPositionals: true })

const git = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8" })
const version = positionals[0] ??
  `${new Date().toISOString().slice(0, 10).replaceAll("-", ".")}-${git("rev-parse", "--short", "HEAD").trim()}`
if (!/^[A-Za-z0-9._-]+$/.test(version)) {
  console.error(`invalid release version ${JSON.stringify(version)}: use letters, digits, dots, dashes and underscores`)
  process.exit(2)
}
const output = resolve(values.output ?? join(root, "var", "releases", `performance-west-${version}.tar.gz`))

execFileSync(process.execPath, [join(root, "infra/build/build.mjs")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] })

const distFiles = readdirSync(join(root, "dist")).map((name) => `dist/${name}`)
const files = [...git("ls-files", "-z", "--cached").split("\0").filter((name) => name !== ""), ...distFiles]
mkdirSync(dirname(output), { recursive: true })
execFileSync("tar", ["--null", "-T", "-", "--ignore-failed-read", "-czf", output], {
  cwd: root,
  input: files.join("\0"),
  stdio: ["pipe", "inherit", "inherit"]
})
console.log(output)
