/**
 * Writes every DOCX template: `npx tsx templates/build.ts` writes
 * `templates/<slug>/template.docx`; `npx tsx templates/build.ts DIRECTORY`
 * writes them under DIRECTORY instead.
 */
import { NodeRuntime } from "@effect/platform-node"
import { fileURLToPath } from "node:url"
import { writeTemplates } from "./TemplateBuilds.ts"

const directory = process.argv[2] ?? fileURLToPath(new URL(".", import.meta.url))

NodeRuntime.runMain(writeTemplates(directory))
