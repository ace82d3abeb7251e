/**
 * The rule that keeps migrations safe for a rolling release: while old and
 * new runners share one database, a migration may only add (tables, nullable
 * columns or columns with defaults, indexes, constraints marked NOT VALID).
 * Statements that would break the previous release's queries (drops,
 * renames, type changes, new NOT NULL requirements) belong in a contract
 * migration, whose file name contains `_contract_`. It ships one release
 * after the code that stopped using the old shape.
 */

/** A statement of an expand migration that only a contract migration may contain. */
export interface ContractingStatement {
  /** 1-based line of the statement's keyword in the file. */
  readonly line: number
  /** The matched text, such as `DROP COLUMN`. */
  readonly statement: string
}

const contractingPatterns: ReadonlyArray<RegExp> = [
  /\bDROP\s+(?:TABLE|COLUMN|TYPE|VIEW|SCHEMA|FUNCTION)\b/i,
  /\bRENAME\s+(?:COLUMN\b|TO\b|CONSTRAINT\b)/i,
  /\bRENAME\s+\w+\s+TO\b/i,
  /\bALTER\s+COLUMN\s+\w+\s+(?:SET\s+DATA\s+)?TYPE\b/i,
  /\bSET\s+NOT\s+NULL\b/i,
  /\bTRUNCATE\b/i
]

/** Whether `fileName` names a contract migration. */
export const isContractMigration = (fileName: string): boolean => fileName.includes("_contract_")

/** Removes `--` line comments and block comments, keeping line breaks so line numbers stay right. */
const withoutComments = (sql: string): string =>
  sql
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "))
    .replace(/--[^\n]*/g, "")

/**
 * Lists the statements of `sql` that an expand migration must not contain.
 * A `DROP ... IF EXISTS` of something the same file creates still counts:
 * split such a file instead.
 */
export const contractingStatements = (sql: string): ReadonlyArray<ContractingStatement> => {
  const lines = withoutComments(sql).split("\n")
  const found: Array<ContractingStatement> = []
  lines.forEach((text, index) => {
    for (const pattern of contractingPatterns) {
      const match = pattern.exec(text)
      if (match !== null) found.push({ line: index + 1, statement: match[0].replace(/\s+/g, " ").toUpperCase() })
    }
    // The previous release inserts rows without the new column, which a NOT NULL column without a default rejects.
    if (/\bADD\s+COLUMN\b.*\bNOT\s+NULL\b/i.test(text) && !/\bDEFAULT\b/i.test(text)) {
      found.push({ line: index + 1, statement: "ADD COLUMN NOT NULL WITHOUT DEFAULT" })
    }
  })
  return found
}
