import { type Column, type Table, tableShape } from "./bintable.js";
import { FitsError } from "./errors.js";
import type { Header } from "./header.js";

/**
 * Reads an ASCII TABLE HDU (XTENSION = 'TABLE'). Aw columns give strings; Iw gives Int32Array
 * (Float64Array when w > 9); Fw.d, Ew.d and Dw.d give Float64Array. A field equal to TNULLn, or blank,
 * reads as NaN (0 for Iw ≤ 9, astropy's choice too).
 */
export function readAsciiTable(header: Header, bytes: Uint8Array): Table {
  const { rowBytes, nrows } = tableShape(header, bytes.byteLength);
  const nfields = header.getInt("TFIELDS");
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const columns: Column[] = [];
  for (let i = 1; i <= nfields; i++) {
    const tform = header.getString(`TFORM${i}`);
    const m = /^\s*([AIFED])(\d+)(?:\.(\d+))?\s*$/i.exec(tform);
    if (!m) throw new FitsError("BAD_VALUE", `TFORM${i} '${tform}' is not an ASCII-table format`, header.location);
    const type = m[1].toUpperCase();
    const width = Number(m[2]);
    const start = header.getInt(`TBCOL${i}`) - 1;
    const tnull = header.get(`TNULL${i}`);
    const fields: string[] = [];
    for (let r = 0; r < nrows; r++) fields.push(text.slice(r * rowBytes + start, r * rowBytes + start + width));
    const isNull = (s: string) => s.trim() === "" || (typeof tnull === "string" && s.trim() === tnull.trim());
    let data: Column["data"];
    if (type === "A") data = fields.map((s) => s.trimEnd());
    else if (type === "I" && width <= 9)
      data = Int32Array.from(fields, (s) => (isNull(s) ? 0 : Number.parseInt(s, 10)));
    else data = Float64Array.from(fields, (s) => (isNull(s) ? Number.NaN : Number(s.trim().replace(/[Dd]/, "E"))));
    const scale = header.has(`TSCAL${i}`) ? header.getNumber(`TSCAL${i}`) : 1;
    const zero = header.has(`TZERO${i}`) ? header.getNumber(`TZERO${i}`) : 0;
    if (type !== "A" && (scale !== 1 || zero !== 0))
      data = Float64Array.from(data as Float64Array, (v) => v * scale + zero);
    const ttype = header.get(`TTYPE${i}`);
    const tunit = header.get(`TUNIT${i}`);
    columns.push({
      name: typeof ttype === "string" ? ttype : "",
      form: { repeat: 1, type: type === "A" ? "A" : type === "I" ? "J" : "D", width },
      data,
      unit: typeof tunit === "string" ? tunit : undefined,
      scale,
      zero,
    });
  }
  return { nrows, columns };
}
