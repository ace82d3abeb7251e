import { describe, expect, it } from "@effect/vitest"
import * as Table from "../src/Table.ts"

describe("Table", () => {
  it("pads columns to widest cell", () => {
    const text = Table.format(["ID", "NAME"], [["1", "default"], ["12345", null]])
    expect(text.split("\n")).toEqual(["ID     NAME", "1      default", "12345  -"])
  })

  it("prints empty text without rows", () => {
    expect(Table.format(["ID"], [], "No rows.")).toBe("No rows.")
  })
})
