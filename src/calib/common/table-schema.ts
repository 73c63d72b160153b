/**
 * The columns a reference table's rows must have, checked once when the table is read, so that a step
 * never reads a missing column as undefined or a text column as a number: a mismatch is one error naming
 * the file, the extension and the column. A schema lists every field of its row type (the compiler checks).
 */
import { CalibrationError } from "./errors.js";
import type { RowValue } from "./table-rows.js";

/**
 * A column's values: "number" also takes 64-bit integers (bigint); "flag" a logical or an integer column
 * read as true/false (tables differ); a trailing "?" allows the column to be absent.
 */
export type ColumnKind = "string" | "number" | "boolean" | "flag" | "string?" | "number?" | "boolean?" | "flag?";

export type TableSchema<Row> = { readonly [K in keyof Row & string]-?: ColumnKind };

function matches(value: RowValue | readonly unknown[], kind: string): boolean {
  if (kind === "number") return typeof value === "number" || typeof value === "bigint";
  if (kind === "flag") return typeof value === "boolean" || typeof value === "number" || typeof value === "bigint";
  return typeof value === kind;
}

/**
 * The rows as `Row`, after checking every schema column: present (unless optional) and of its kind in every
 * row (a null cell, TNULL, is allowed only in an optional column). `where` names the file and extension.
 */
export function checkedRows<Row>(
  rows: readonly Readonly<Record<string, RowValue | readonly unknown[]>>[],
  schema: TableSchema<Row>,
  where: string,
): Row[] {
  for (const [column, spec] of Object.entries(schema) as [string, ColumnKind][]) {
    const optional = spec.endsWith("?");
    const kind = spec.replace("?", "");
    rows.forEach((row, r) => {
      const value = row[column];
      if (value === undefined || value === null) {
        if (optional) return;
        const what = value === undefined ? "has no column" : `has no value in row ${r + 1} of column`;
        throw new CalibrationError("INVALID_VALUE", `${where}: ${what} ${column}`);
      }
      if (!matches(value, kind)) {
        const found = Array.isArray(value) ? "an array" : `${typeof value} ${JSON.stringify(String(value))}`;
        throw new CalibrationError(
          "INVALID_VALUE",
          `${where}: column ${column} row ${r + 1} holds ${found}, not a ${kind}`,
        );
      }
    });
  }
  return rows as unknown as Row[];
}
