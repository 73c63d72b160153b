/** Reading an IMPHTTAB (calibration.md §3) into the record the photometry lookup takes (all instruments). */
import type { Imphttab, PhotRow } from "../calib/common/imphttab.js";
import type { RowValue } from "../calib/common/table-rows.js";
import { checkedRows, type TableSchema } from "../calib/common/table-schema.js";
import { FitsFile } from "../fits/index.js";

/** The columns every extension has; NELEMn, PARnVALUES and the DATACOL's column depend on PARNUM and the row. */
const IMPHTTAB_COLUMNS: TableSchema<PhotRow> = { OBSMODE: "string", DATACOL: "string" };

export function readImphttab(name: string, path: string): Imphttab {
  const file = FitsFile.open(path);
  try {
    const primary = file.hdus[0].header;
    const extensions: Record<string, PhotRow[]> = {};
    for (const hdu of file.hdus.slice(1)) {
      if (hdu.type !== "bintable") continue;
      const t = file.readTable(hdu);
      const rows: Record<string, RowValue | number[]>[] = Array.from({ length: t.nrows }, () => ({}));
      for (const c of t.columns) {
        const data = c.data as ArrayLike<unknown>;
        const per = t.nrows === 0 ? 0 : data.length / t.nrows;
        for (let r = 0; r < t.nrows; r++) {
          rows[r][c.name.toUpperCase()] =
            per === 1 ? (data[r] as RowValue) : (Array.from({ length: per }, (_, k) => data[r * per + k]) as number[]);
        }
      }
      const where = `IMPHTTAB ${path} extension ${hdu.name}`;
      extensions[hdu.name.toUpperCase()] = checkedRows<PhotRow>(rows, IMPHTTAB_COLUMNS, where);
    }
    return {
      name,
      pedigree: String(primary.get("PEDIGREE") ?? "").trim(),
      descrip: String(primary.get("DESCRIP") ?? "").trim(),
      parnum: primary.getInt("PARNUM", 0),
      photzpt: primary.getNumber("PHOTZPT", -21.1),
      nextend: primary.getInt("NEXTEND", file.hdus.length - 1),
      extrap: primary.get("EXTRAP") === true,
      extensions,
    };
  } finally {
    file.close();
  }
}
