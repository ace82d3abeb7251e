import { describe, expect, it } from "@effect/vitest"
import { defaultMigrationsDirectory } from "@pw/db/Database"
import { contractingStatements, isContractMigration } from "@pw/db/MigrationSafety"
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"

describe("MigrationSafety", () => {
  it("shipped expand migrations only add", async () => {
    const files = (await readdir(defaultMigrationsDirectory)).filter((name) => name.endsWith(".sql"))
    for (const name of files.filter((file) => !isContractMigration(file))) {
      const sql = await readFile(join(defaultMigrationsDirectory, name), "utf8")
      expect({ name, statements: contractingStatements(sql) }).toEqual({ name, statements: [] })
    }
  })

  it.each([
    ["ALTER TABLE orders DROP COLUMN note;", "DROP COLUMN"],
    ["DROP TABLE IF EXISTS old_orders;", "DROP TABLE"],
    ["ALTER TABLE orders RENAME COLUMN note TO notes;", "RENAME COLUMN"],
    ["ALTER TABLE orders RENAME TO purchases;", "RENAME TO"],
    ["ALTER TABLE orders ALTER COLUMN total TYPE bigint;", "ALTER COLUMN TOTAL TYPE"],
    ["ALTER TABLE orders ALTER COLUMN note SET NOT NULL;", "SET NOT NULL"],
    ["ALTER TABLE orders ADD COLUMN region text NOT NULL;", "ADD COLUMN NOT NULL WITHOUT DEFAULT"]
  ])("contracting %s is found", (sql, statement) => {
    expect(contractingStatements(sql).map((found) => found.statement)).toEqual([statement])
  })

  it.each([
    "CREATE TABLE refunds (id text PRIMARY KEY);",
    "ALTER TABLE orders ADD COLUMN region text;",
    "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
    "CREATE INDEX CONCURRENTLY orders_region ON orders (region);",
    "-- DROP TABLE orders is what a contract migration would do"
  ])("expanding %s passes", (sql) => {
    expect(contractingStatements(sql)).toEqual([])
  })

  it("line numbers count comments", () => {
    const sql = "/* first\n   second */\nALTER TABLE orders DROP COLUMN note;"

    expect(contractingStatements(sql)).toEqual([{ line: 3, statement: "DROP COLUMN" }])
  })

  it("contract migration recognised by name", () => {
    expect(isContractMigration("20270101000000_contract_orders_note.sql")).toBe(true)
    expect(isContractMigration("20270101000000_orders_note.sql")).toBe(false)
  })
})
