/**
 * Escaping for server-rendered HTML: every value from data or a request
 * goes through {@link escapeHtml} before it is placed in markup.
 */

const replacements: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&#39;"
}

/** `value` with `& < > " '` replaced by character references, safe in text and in quoted attributes. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (character) => replacements[character] ?? character)
