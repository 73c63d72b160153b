/**
 * GLINCORR / LFLGCORR for the SBC (MAMA) (calibration.md §2.11): the global count rate GLOBRATE is
 * compared with the MLINTAB row's GLOBAL_LIMIT (GLOBLIM = EXCEEDED / NOT-EXCEEDED); below it, GLINCORR
 * multiplies the image by true/observed rate of the dead-time model y = x·exp(−τx). LFLGCORR flags
 * (DQ 256) every pixel within EXPAND of a pixel above LOCAL_LIMIT × EXPTIME.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acs2d/dononlin.c and getlintab.c.
 */
import { multiplyConstant } from "../common/arithmetic.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { type SwitchState, withPedigree } from "../common/switches.js";
import type { TableSchema } from "../common/table-schema.js";
import { ACS_DQ } from "./dq.js";

export interface MlinRow {
  DETECTOR: string;
  GLOBAL_LIMIT: number;
  LOCAL_LIMIT: number;
  TAU: number;
  EXPAND: number;
  PEDIGREE?: string;
  DESCRIP?: string;
}

export const MLINTAB_COLUMNS: TableSchema<MlinRow> = {
  DETECTOR: "string",
  GLOBAL_LIMIT: "number",
  LOCAL_LIMIT: "number",
  TAU: "number",
  EXPAND: "number",
  PEDIGREE: "string?",
  DESCRIP: "string?",
};

/** The row whose DETECTOR equals the exposure's; none is a table error naming the table. */
export function selectMlinRow(rows: readonly MlinRow[], detector: string, table: string): MlinRow {
  const row = rows.find((r) => String(r.DETECTOR).trim().toUpperCase() === detector.trim().toUpperCase());
  if (!row)
    throw new CalibrationError("TABLE_ROW_MISSING", `Detector \`${detector}' not found in MLINTAB \`${table}'.`);
  return row;
}

/**
 * True / observed count rate for the observed rate y (counts/s): three Newton steps on
 * y = x·exp(−τx) from x = y; 1 when y ≤ 0.
 */
export function trueRateRatio(y: number, tau: number): number {
  if (y <= 0) return 1;
  let x = y;
  for (let step = 0; step < 3; step++) {
    const e = Math.exp(-tau * x);
    x += (y - x * e) / ((1 - tau * x) * e);
  }
  return x / y;
}

/** ORs SATPIXEL into every pixel with dx² + dy² ≤ expand² around (i0, j0), clipped to the image. */
export function expandFlag(set: ImageSet, expand: number, i0: number, j0: number): void {
  const reach = Math.trunc(Math.fround(expand) + 0.5);
  const radius2 = Math.fround(Math.fround(expand) * Math.fround(expand));
  const { nx, ny, dq } = set;
  for (let j = Math.max(j0 - reach, 0); j <= Math.min(j0 + reach, ny - 1); j++) {
    for (let i = Math.max(i0 - reach, 0); i <= Math.min(i0 + reach, nx - 1); i++) {
      const dx = i - i0;
      const dy = j - j0;
      if (dx * dx + dy * dy <= radius2) dq[j * nx + i] |= ACS_DQ.SATPIXEL;
    }
  }
}

export interface NonlinParameters {
  GLINCORR: SwitchState;
  LFLGCORR: SwitchState;
  /** SCI GLOBRATE (counts/s over the detector). */
  globrate: number;
  exptime: number;
  row: MlinRow;
}

export interface NonlinResult {
  /** SCI GLOBLIM. */
  globlim: "EXCEEDED" | "NOT-EXCEEDED";
  /** The factor the image was multiplied by (1 when not corrected). */
  ratio: number;
  /** Pixels above the local limit (each flagged with its surroundings). */
  locallySaturated: number;
}

/** The step on one image set, in place (only PERFORM switches act, as in hstcal). */
export function correctNonLinearity(set: ImageSet, p: NonlinParameters): NonlinResult {
  const result: NonlinResult = { globlim: "NOT-EXCEEDED", ratio: 1, locallySaturated: 0 };
  const glin = p.GLINCORR === "PERFORM";
  const lflg = p.LFLGCORR === "PERFORM";
  if (glin || lflg) {
    if (p.globrate > p.row.GLOBAL_LIMIT) result.globlim = "EXCEEDED";
    else if (glin) {
      result.ratio = trueRateRatio(p.globrate, p.row.TAU);
      multiplyConstant(set, result.ratio);
    }
  }
  if (lflg) {
    const limit = p.row.LOCAL_LIMIT * p.exptime;
    const { nx, ny, sci } = set;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (sci[j * nx + i]! > limit) {
          expandFlag(set, p.row.EXPAND, i, j);
          result.locallySaturated++;
        }
      }
    }
  }
  return result;
}

/** GLINCORR / LFLGCORR after the table's PEDIGREE: DUMMY skips both steps. */
export function nonlinSwitches(
  glincorr: SwitchState,
  lflgcorr: SwitchState,
  pedigree: string | undefined,
): { GLINCORR: SwitchState; LFLGCORR: SwitchState } {
  return { GLINCORR: withPedigree(glincorr, pedigree), LFLGCORR: withPedigree(lflgcorr, pedigree) };
}
