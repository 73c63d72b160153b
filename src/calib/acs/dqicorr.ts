/**
 * DQICORR for ACS (calibration.md §2.2; hstcal dodqi.c): A-to-D saturation flags and the BPIXTAB rows,
 * on raw DN. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { toCInt } from "../common/c-numbers.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { sameFloat, sameInt, sameString } from "../common/row-match.js";
import type { TableSchema } from "../common/table-schema.js";
import type { AcsDetector } from "./amps.js";
import { ACS_DQ, DQ_PLACEHOLDER } from "./dq.js";

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

/** calacs.e reads the CCDGAIN column's type without checking it exists (it crashes without one): ACS requires it. */
export const ACS_BPIXTAB_COLUMNS: TableSchema<BpixRow> = { ...BPIXTAB_COLUMNS, CCDGAIN: "number" };

export interface BpixSelection {
  ccdamp: string;
  ccdgain: number;
  ccdchip: number;
  /** The CCDGAIN column is an integer column (compared with (int)CCDGAIN). */
  gainColumnIsInteger?: boolean;
}

export interface DqiResult {
  saturatedPixels: number;
  rowsApplied: number;
  /** Where the placeholder flag went when the table applied no row. */
  placeholder?: [number, number];
}

/** DQ |= 2048 where raw DN >= ATODSAT (the comparison is float against the int level). */
export function flagAtoDSaturation(set: ImageSet, atodsat: number): number {
  const level = Math.fround(atodsat);
  let n = 0;
  for (let k = 0; k < set.sci.length; k++) {
    if (set.sci[k] >= level) {
      set.dq[k] |= ACS_DQ.ATODSAT;
      n++;
    }
  }
  return n;
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

function checkRow(row: BpixRow, index: number): void {
  if (row.AXIS !== 1 && row.AXIS !== 2) {
    throw new CalibrationError(
      "INVALID_VALUE",
      `Axis = ${row.AXIS} in BPIXTAB row ${index + 1}, but it must be 1 or 2.`,
    );
  }
  if (row.LENGTH <= 0) {
    throw new CalibrationError(
      "INVALID_VALUE",
      `Length = ${row.LENGTH} in BPIXTAB row ${index + 1}, but it must be positive.`,
    );
  }
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

export interface DqiOptions {
  detector: AcsDetector;
  atodsat: number;
  /** The BPIXTAB rows; undefined when there is no table (N/A) or it is dummy: saturation only. */
  bpixtab?: readonly BpixRow[];
  selection: BpixSelection;
}

/** The whole DQICORR step on one image set (DQ changed in place). */
export function doDqi(set: ImageSet, options: DqiOptions): DqiResult {
  const saturatedPixels = options.detector === "SBC" ? 0 : flagAtoDSaturation(set, options.atodsat);
  if (!options.bpixtab) return { saturatedPixels, rowsApplied: 0 };
  let rowsApplied = 0;
  options.bpixtab.forEach((row, index) => {
    checkRow(row, index);
    if (!bpixRowApplies(row, options.selection)) return;
    applyBpixRow(set, row);
    rowsApplied++;
  });
  if (rowsApplied > 0) return { saturatedPixels, rowsApplied };
  // A flagged pixel so that later steps always find one; hstcal puts it at ((int)LTM1_1, (int)LTM2_2).
  const x = Math.trunc(set.geometry.ltm[0]);
  const y = Math.trunc(set.geometry.ltm[1]);
  set.dq[y * set.nx + x] |= DQ_PLACEHOLDER;
  return { saturatedPixels, rowsApplied, placeholder: [x, y] };
}

export const DQI_HISTORY = {
  saturation: "  values checked for saturation",
  table: "  DQ array initialized ...",
} as const;

/** DQICORR of one image set with a BPIXTAB as loaded (its rows, and whether CCDGAIN is an integer column), if any. */
export function dqiWithTable(
  set: ImageSet,
  detector: DqiOptions["detector"],
  atodsat: number,
  exposure: { ccdamp: string; ccdgain: number },
  table: { rows: readonly BpixRow[]; gainColumnIsInteger?: boolean } | undefined,
): DqiResult {
  const { ccdamp, ccdgain } = exposure;
  const selection = { ccdamp, ccdgain, ccdchip: set.chip, gainColumnIsInteger: table?.gainColumnIsInteger };
  return doDqi(set, { detector, atodsat, bpixtab: table?.rows, selection });
}
