/**
 * hstcal's SameInt / SameFlt / SameString for ACS table rows: the row value may be a wildcard
 * (-1, -999, "ANY"); floats are compared as C floats. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { isWildcard } from "./table-rows.js";

export function sameInt(rowValue: number, value: number): boolean {
  return isWildcard(rowValue) || rowValue === value;
}

export function sameFloat(rowValue: number, value: number): boolean {
  return isWildcard(rowValue) || Math.fround(rowValue) === Math.fround(value);
}

/** Case-sensitive; trailing blanks (FITS padding) do not count. */
export function sameString(rowValue: string, value: string): boolean {
  const row = rowValue.trimEnd();
  return row === "ANY" || row === value.trimEnd();
}
