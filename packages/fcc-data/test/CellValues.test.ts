import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { parseDate, parseExcelSerialDate, parseFrn, parseTrueFalse, parseYesNo } from "../src/CellValues.ts"

describe("CellValues", () => {
  it("parseDate accepted forms", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["4/1/2025", "2025-04-01"],
      ["04/01/2025", "2025-04-01"],
      ["09/12/2000 04:16:13 PM", "2000-09-12"],
      ["1/5/2025 4:05 PM", "2025-01-05"],
      ["2024-02-29", "2024-02-29"],
      ["2025-06-01T08:30:00Z", "2025-06-01"],
      [" 2025-06-01 08:30 ", "2025-06-01"]
    ]
    for (const [text, expected] of cases) assert.deepStrictEqual(parseDate(text), Either.right(expected), text)
  })

  it("parseDate rejected forms", () => {
    for (const text of ["2/30/2025", "2025-02-29", "13/1/2025", "2025/04/01", "April 1, 2025", "4/1/25", "4/1/2025 later", ""]) {
      assert.isTrue(Either.isLeft(parseDate(text)), text)
    }
  })

  it("parseExcelSerialDate converts serials", () => {
    assert.deepStrictEqual(parseExcelSerialDate(45383), Either.right("2024-04-01"))
    assert.deepStrictEqual(parseExcelSerialDate(45383.75), Either.right("2024-04-01"))
    assert.isTrue(Either.isLeft(parseExcelSerialDate(60)))
  })

  it("parseFrn keeps leading zeros", () => {
    assert.deepStrictEqual(Either.map(parseFrn(" 0018538512 "), String), Either.right("0018538512"))
    assert.isTrue(Either.isLeft(parseFrn("18538512")))
    assert.isTrue(Either.isLeft(parseFrn("001853851A")))
  })

  it("yes/no and true/false", () => {
    assert.deepStrictEqual(parseYesNo("YES"), Either.right(true))
    assert.deepStrictEqual(parseYesNo("no"), Either.right(false))
    assert.isTrue(Either.isLeft(parseYesNo("")))
    assert.deepStrictEqual(parseTrueFalse("True"), Either.right(true))
    assert.deepStrictEqual(parseTrueFalse(""), Either.right(false))
    assert.isTrue(Either.isLeft(parseTrueFalse("1")))
  })
})
