/**
 * DQICORR for ACS (calibration.md §2.2; hstcal dodqi.c): A-to-D saturation flags and the BPIXTAB rows,
 * on raw DN. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { applyBpixRow, BPIXTAB_COLUMNS, type BpixRow, type BpixSelection, bpixRowApplies } from "../common/bpixtab.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import type { TableSchema } from "../common/table-schema.js";
import type { AcsDetector } from "./amps.js";
import { ACS_DQ, DQ_PLACEHOLDER } from "./dq.js";

/** calacs.e reads the CCDGAIN column's type without checking it exists (it crashes without one): ACS requires it. */
export const ACS_BPIXTAB_COLUMNS: TableSchema<BpixRow> = { ...BPIXTAB_COLUMNS, CCDGAIN: "number" };

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
