/** Reference-table row selection with hstcal's wildcards (calibration.md §0.3). */

export type RowValue = string | number | bigint | boolean | null | undefined;

/** A row value that matches anything: int or float -1 or -999, or the string "ANY". */
export function isWildcard(value: RowValue): boolean {
  if (typeof value === "number") return value === -1 || value === -999;
  if (typeof value === "bigint") return value === -1n || value === -999n;
  return typeof value === "string" && value.trim() === "ANY";
}

/** Whether a table row matches every wanted column (exact equality; strings compared without trailing blanks). */
export function rowMatches(row: Record<string, RowValue>, wanted: Record<string, RowValue>): boolean {
  for (const [column, want] of Object.entries(wanted)) {
    const have = row[column];
    if (isWildcard(have)) continue;
    if (typeof have === "string" && typeof want === "string") {
      if (have.trimEnd() !== want.trimEnd()) return false;
    } else if (typeof have === "bigint" || typeof want === "bigint") {
      if (BigInt(have as number) !== BigInt(want as number)) return false;
    } else if (have !== want) return false;
  }
  return true;
}
