/**
 * Row selection in COS reference tables as calcos' getTable does it: each key of the filter must equal the
 * column's value (text compared trimmed and case-blind); a filter value of N/A or ANY selects everything, and
 * a table cell of ANY matches any value.
 */
import { CalibrationError } from "../common/errors.js";
import type { RowValue } from "../common/table-rows.js";

export type Filter = Record<string, string | number>;

const WILDCARD = "ANY";
const NOT_APPLICABLE = "N/A";

const norm = (v: unknown) => (typeof v === "string" ? v.trim().toUpperCase() : v);

export function selectRows<Row extends Readonly<Record<string, RowValue | readonly unknown[]>>>(
  rows: readonly Row[],
  filter: Filter,
): Row[] {
  const keys = Object.entries(filter).filter(([, v]) => norm(v) !== WILDCARD && norm(v) !== NOT_APPLICABLE);
  return rows.filter((row) =>
    keys.every(([column, wanted]) => {
      const cell = norm(row[column.toUpperCase()]);
      return cell === WILDCARD || cell === norm(wanted) || (typeof cell === "bigint" && Number(cell) === wanted);
    }),
  );
}

/** At least one row, else one error naming the table and every selection key (calcos' MissingRowError). */
export function requireRows<Row extends Readonly<Record<string, RowValue | readonly unknown[]>>>(
  rows: readonly Row[],
  filter: Filter,
  where: string,
  step: string,
): Row[] {
  const selected = selectRows(rows, filter);
  if (selected.length === 0) {
    const keys = Object.entries(filter)
      .map(([k, v]) => `${k.toUpperCase()}=${typeof v === "string" ? `'${v}'` : v}`)
      .join(", ");
    throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no row for ${keys}`, { step });
  }
  return selected;
}
