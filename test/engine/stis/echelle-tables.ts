// Rewrites a simulated echelle reference table without one SPORDER's rows (bad input for the echelle tests).
import { rmSync } from "node:fs";
import { FitsFile } from "../../../src/fits/index.js";
import { writeTableFile } from "../../../src/sim/reference-files.js";

/** `path` (a table in extension 1) rewritten in place without the rows of `sporder`. */
export function dropOrderRows(path: string, sporder: number): void {
  const fits = FitsFile.open(path);
  const primary = fits.hdus[0]!.header.clone();
  const table = fits.readTable(1);
  fits.close();
  const keep = Array.from(table.columns.find((c) => c.name === "SPORDER")!.data as Int16Array, (o) => o !== sporder);
  const columns = table.columns.map((c) => {
    const per = c.form.type === "A" ? 1 : c.form.repeat;
    const data = c.data as ArrayLike<unknown>;
    const rows = Array.from({ length: table.nrows }, (_, r) => r).filter((r) => keep[r]);
    const kept =
      c.form.type === "A"
        ? rows.map((r) => (data as string[])[r]!)
        : (c.data as Float64Array).constructor === Float64Array
          ? Float64Array.from(rows.flatMap((r) => Array.from({ length: per }, (_, k) => Number(data[r * per + k]))))
          : rows.map((r) => Number(data[r]));
    const format = c.form.type === "A" ? undefined : `${per}${c.form.type}`;
    const typed =
      c.form.type === "I"
        ? Int16Array.from(kept as number[])
        : c.form.type === "J"
          ? Int32Array.from(kept as number[])
          : kept;
    return { name: c.name, data: typed as Float64Array, format };
  });
  rmSync(path);
  writeTableFile(path, primary, [{ columns }]);
}
