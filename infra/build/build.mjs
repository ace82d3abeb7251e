/**
 * Builds each runner program into one JavaScript file under `dist/`:
 * `dist/core.mjs`, `dist/docserver.mjs`, `dist/api.mjs`, `dist/mcp.mjs`,
 * `dist/ops.mjs` and `dist/platform.mjs`. The workspace packages (`@pw/*`,
 * TypeScript) are bundled in; npm packages stay imports resolved from
 * `node_modules`, so a release is the repository with `dist/` and its
 * production dependencies. Node 20 and Deno run the files as they are.
 *
 * Usage: `npm run build` (or `node infra/build/build.mjs [OUTDIR]`).
 */
import { build } from "esbuild"
import { existsSync } from "node:fs"
import { rm } from "node:fs/promises"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const outdir = resolve(process.argv[2] ?? join(root, "dist"))

/** Runner programs by output name. */
const programs = {
  core: "runners/core/src/main.ts",
  docserver: "runners/docserver/src/main.ts",
  api: "runners/api/src/main.ts",
  mcp: "runners/mcp/src/main.ts",
  ops: "runners/ops/src/main.ts",
  platform: "runners/platform/src/main.ts"
}

/** Keeps every bare import except the workspace's own `@pw/*` packages external. */
const externalNpmPackages = {
  name: "external-npm-packages",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@pw/") ? undefined : { path: args.path, external: true })
  }
}

const entryPoints = Object.entries(programs)
  .filter(([, source]) => existsSync(join(root, source)))
  .map(([name, source]) => ({ in: join(root, source), out: name }))

await rm(outdir, { recursive: true, force: true })
const result = await build({
  entryPoints,
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  plugins: [externalNpmPackages],
  metafile: true
})

for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith(".mjs")) console.log(`${file}  ${(output.bytes / 1024).toFixed(0)} KiB`)
}
