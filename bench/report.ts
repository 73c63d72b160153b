export type Row = Record<string, string>;

/** Prints rows as an aligned text table (and nothing else, so the output can be pasted into notes). */
export function printTable(title: string, rows: Row[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((s, i) => (i === 0 ? s.padEnd(width[i]) : s.padStart(width[i]))).join("  ");
  console.log(`\n${title}`);
  console.log(line(columns));
  for (const r of rows) console.log(line(columns.map((c) => r[c])));
}
