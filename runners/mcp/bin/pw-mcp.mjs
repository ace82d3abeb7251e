#!/usr/bin/env node
// Starts the MCP server over stdio. tsx compiles the TypeScript sources on
// load, so the server runs from a checkout without a build step.
import { register } from "tsx/esm/api"

register()
await import("../src/main.ts")
