/**
 * BPIXTAB rows (calibration.md §2.2; hstcal dodqi.c), as ACS and WFC3 read them: the row type and its
 * columns, which rows apply to a chip, and OR-ing one row's run into the DQ. Algorithms follow hstcal
 * (BSD-3-Clause, AURA).
 */
import { toCInt } from "./c-numbers.js";
import type { ImageSet } from "./imset.js";
import { sameFloat, sameInt, sameString } from "./row-match.js";
import type { TableSchema } from "./table-schema.js";

/** One BPIXTAB row; CCDAMP and CCDGAIN columns are optional in the table. */
export interface BpixRow {
  CCDAMP?: string;
  CCDCHIP: number;
  CCDGAIN?: number;
  /** 1-based start in science (trimmed) coordinates. */
  PIX1: number;
  PIX2: number;
  LENGTH: number;
  /** 1: run along x, 2: run along y. */
  AXIS: number;
  VALUE: number;
}

export const BPIXTAB_COLUMNS: TableSchema<BpixRow> = {
  CCDAMP: "string?",
  CCDCHIP: "number",
  CCDGAIN: "number?",
  PIX1: "number",
  PIX2: "number",
  LENGTH: "number",
  AXIS: "number",
  VALUE: "number",
};

export interface BpixSelection {
  ccdamp: string;
  ccdgain: number;
  ccdchip: number;
  /** The CCDGAIN column is an integer column (compared with (int)CCDGAIN). */
  gainColumnIsInteger?: boolean;
}

export function bpixRowApplies(row: BpixRow, want: BpixSelection): boolean {
  const amp = row.CCDAMP;
  const sameAmp = amp === undefined || amp.trimEnd() === "N/A" || sameString(amp, want.ccdamp);
  let sameGain = true;
  if (row.CCDGAIN !== undefined) {
    sameGain = want.gainColumnIsInteger
      ? row.CCDGAIN === -999 || sameInt(row.CCDGAIN, Math.trunc(want.ccdgain))
      : sameFloat(row.CCDGAIN, want.ccdgain);
  }
  const sameChip = row.CCDCHIP === -999 || sameInt(row.CCDCHIP, want.ccdchip);
  return sameAmp && sameGain && sameChip;
}

/**
 * ORs one row's VALUE into its run. The start is `(PIX-1) + (LTV + LTM - 1)`: an int plus a double
 * stored into an int, i.e. truncated toward zero; the run is clipped to the image, a run entirely
 * outside is skipped.
 */
export function applyBpixRow(set: ImageSet, row: BpixRow): void {
  const { ltv, ltm } = set.geometry;
  const xstart = toCInt(row.PIX1 - 1 + (ltv[0] + (ltm[0] - 1)));
  const ystart = toCInt(row.PIX2 - 1 + (ltv[1] + (ltm[1] - 1)));
  const { nx, ny, dq } = set;
  const value = row.VALUE & 0xffff;
  if (row.AXIS === 1) {
    const last = xstart + row.LENGTH - 1;
    if (last < 0 || xstart >= nx || ystart < 0 || ystart >= ny) return;
    for (let i = Math.max(xstart, 0); i <= Math.min(last, nx - 1); i++) dq[ystart * nx + i] |= value;
  } else {
    const last = ystart + row.LENGTH - 1;
    if (xstart < 0 || xstart >= nx || last < 0 || ystart >= ny) return;
    for (let j = Math.max(ystart, 0); j <= Math.min(last, ny - 1); j++) dq[j * nx + xstart] |= value;
  }
}
