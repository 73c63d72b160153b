/**
 * STIS CCDTAB (calstis1 getccdtab.c): the row for the exposure's amp, gain, offset and binning gives the
 * A-to-D gain, read noise, default bias, saturation level and the virtual-overscan clipping sigma.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { sameInt, sameString } from "../common/row-match.js";
import type { TableSchema } from "../common/table-schema.js";

export interface StisCcdRow {
  CCDAMP: string;
  CCDGAIN: number;
  CCDOFFST: number;
  BINAXIS1: number;
  BINAXIS2: number;
  ATODGAIN: number;
  CCDBIAS: number;
  READNSE: number;
  SATURATE: number;
  BLEV_CLIP?: number;
}

export const STIS_CCDTAB_COLUMNS: TableSchema<StisCcdRow> = {
  CCDAMP: "string",
  CCDGAIN: "number",
  CCDOFFST: "number",
  BINAXIS1: "number",
  BINAXIS2: "number",
  ATODGAIN: "number",
  CCDBIAS: "number",
  READNSE: "number",
  SATURATE: "number",
  BLEV_CLIP: "number?",
};

/** getccdtab.c's default when the table has no BLEV_CLIP column. */
const DEFAULT_BLEV_CLIP = 50;

export interface CcdParameters {
  atodgain: number;
  readnoise: number;
  ccdbias: number;
  saturate: number;
  blevClip: number;
}

export interface CcdSelection {
  ccdamp: string;
  ccdgain: number;
  ccdoffst: number;
  bin: [number, number];
}

/** The first row matching the exposure (C floats, as the table's E columns hold them). */
export function ccdParameters(rows: readonly StisCcdRow[], want: CcdSelection, where: string): CcdParameters {
  const row = rows.find(
    (r) =>
      sameString(r.CCDAMP, want.ccdamp) &&
      sameInt(r.CCDGAIN, want.ccdgain) &&
      sameInt(r.CCDOFFST, want.ccdoffst) &&
      sameInt(r.BINAXIS1, want.bin[0]) &&
      sameInt(r.BINAXIS2, want.bin[1]),
  );
  if (!row) {
    const key = `CCDAMP ${want.ccdamp}, CCDGAIN ${want.ccdgain}, CCDOFFST ${want.ccdoffst}, BINAXIS ${want.bin.join("x")}`;
    throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no row for ${key}`);
  }
  const f = Math.fround;
  return {
    atodgain: f(row.ATODGAIN),
    readnoise: f(row.READNSE),
    ccdbias: f(row.CCDBIAS),
    saturate: f(row.SATURATE),
    blevClip: f(row.BLEV_CLIP ?? DEFAULT_BLEV_CLIP),
  };
}
