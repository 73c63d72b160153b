/**
 * Writing the `_lampflash` table as calcos writes it (temporary name, renamed): the corrtag's primary header as
 * it was when the flashes were processed (WAVECORR COMPLETE), and LAMPFLASH with one row per flash and stripe:
 * SEGMENT, TIME (the flash's middle), EXPTIME, LAMP_ON/LAMP_OFF, NELEM, WAVELENGTH (the WCA relation at the
 * shifted pixels), NET/GROSS/BACKGROUND (count rates), SHIFT_DISP, SHIFT_XDISP, SPEC_FOUND, CHI_SQUARE,
 * N_DEG_FREEDOM. Its header is the events header without the coordinate keywords, with the shift keywords.
 */
import { basename } from "node:path";
import { FitsWriter, type Header } from "../../fits/index.js";

export interface LampflashRow {
  segment: string;
  time: number;
  exptime: number;
  lampOn: number;
  lampOff: number;
  wavelength: Float64Array;
  net: Float64Array;
  gross: Float64Array;
  background: Float64Array;
  shiftDisp: number;
  shiftXdisp: number;
  specFound: boolean;
  chiSquare: number;
  ndf: number;
}

const COLUMN_KEY =
  /^(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM|TCTYP|TCRPX|TCRVL|TCDLT|TCUNI|TALEN|TC\d_|TP\d_)\d*/;

export function writeLampflash(
  path: string,
  primary: Header,
  eventsHeader: Header,
  rows: readonly LampflashRow[],
  keywords: readonly [string, number][],
  extraction: readonly [string, number][],
  nelem: number,
): void {
  const vector = <T extends Float32Array | Float64Array>(
    Ctor: new (n: number) => T,
    pick: (r: LampflashRow) => Float64Array,
  ) => {
    const out = new Ctor(rows.length * nelem);
    for (const [k, r] of rows.entries()) out.set(pick(r), k * nelem);
    return out;
  };
  const rate = "count /s";
  const columns = [
    { name: "SEGMENT", format: "4A", data: rows.map((r) => r.segment) },
    { name: "TIME", format: "1D", unit: "s", disp: "F8.3", data: Float64Array.from(rows, (r) => r.time) },
    { name: "EXPTIME", format: "1D", unit: "s", disp: "F8.3", data: Float64Array.from(rows, (r) => r.exptime) },
    { name: "LAMP_ON", format: "1D", unit: "s", disp: "F8.3", data: Float64Array.from(rows, (r) => r.lampOn) },
    { name: "LAMP_OFF", format: "1D", unit: "s", disp: "F8.3", data: Float64Array.from(rows, (r) => r.lampOff) },
    { name: "NELEM", format: "1J", disp: "I6", data: Int32Array.from(rows, () => nelem) },
    { name: "WAVELENGTH", format: `${nelem}D`, unit: "angstrom", data: vector(Float64Array, (r) => r.wavelength) },
    { name: "NET", format: `${nelem}E`, unit: rate, data: vector(Float32Array, (r) => r.net) },
    { name: "GROSS", format: `${nelem}E`, unit: rate, data: vector(Float32Array, (r) => r.gross) },
    { name: "BACKGROUND", format: `${nelem}E`, unit: rate, data: vector(Float32Array, (r) => r.background) },
    { name: "SHIFT_DISP", format: "1E", unit: "pixel", data: Float32Array.from(rows, (r) => r.shiftDisp) },
    { name: "SHIFT_XDISP", format: "1E", unit: "pixel", data: Float32Array.from(rows, (r) => r.shiftXdisp) },
    { name: "SPEC_FOUND", format: "1L", data: rows.map((r) => r.specFound) },
    { name: "CHI_SQUARE", format: "1E", data: Float32Array.from(rows, (r) => r.chiSquare) },
    { name: "N_DEG_FREEDOM", format: "1J", disp: "I5", data: Int32Array.from(rows, (r) => r.ndf) },
  ];
  const table = eventsHeader.clone();
  table.removeWhere((card) => COLUMN_KEY.test(card.keyword));
  for (const k of ["SHIFT1A", "SHIFT1B", "SHIFT1C"]) if (table.has(k)) table.set(k, 0);
  // SP_SLP, SP_HGT and B_HGT are integers in calcos' header when the table's are
  for (const [k, v] of extraction) table.set(k, v, { float: !/^(SP_HGT|B_HGT\d)_/.test(k) });
  for (const [k, v] of keywords) table.set(k, v, { float: true });
  table.set("EXTNAME", "LAMPFLASH").set("EXTVER", 1);
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary.clone().set("FILENAME", basename(path)).set("NEXTEND", 1));
    writer.writeTable(table, columns, rows.length);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
