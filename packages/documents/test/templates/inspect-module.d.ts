/**
 * Types of docxtemplater's inspect module at the path Node.js loads it from.
 * It is a CommonJS factory, called with `new`, of a module that records the
 * tags of the templates it parses.
 */
declare module "docxtemplater/js/inspect-module.js" {
  import type { DXT } from "docxtemplater"

  interface InspectModule extends DXT.Module {
    /** Every tag of the template; a loop maps to the tags inside it. */
    getAllTags(): Record<string, unknown>
  }

  const InspectModule: new () => InspectModule
  export default InspectModule
}
