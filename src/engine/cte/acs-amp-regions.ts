/**
 * Where ACSCTE finds each amp of an ACS/WFC chip after ACSCCD, full frame or subarray (hstcal acscte
 * get_amp_array_size_acs_cte, parseWFCamps): the chip's amps are those of CCDAMP on it (C, D on WFC2; A, B on
 * WFC1), the first from column 0 up to AMPX (the CCDTAB's, clamped to the image width), the second from AMPX to
 * the edge. A subarray is thus placed with its column 0 and row 0 at the amp's corner: the 2K/1K/512
 * apertures next to an amp are where that holds. The image must be overscan-trimmed (BLEVCORR complete, no
 * positive LTV), as calacs.e checks before correcting.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { CteChipAmp } from "./acs-wfc.js";
import type { CteAmp } from "./pctetab.js";

const CHIP_AMPS: Record<number, [CteAmp, CteAmp]> = { 2: ["C", "D"], 1: ["A", "B"] };

export interface ChipReadout {
  /** Where the image set is named in errors: `<raw>[SCI,n]`. */
  at: string;
  ccdamp: string;
  chip: number;
  nx: number;
  ny: number;
  /** The CCDTAB row's AMPX (first column of the second amp, 0 for one amp per line). */
  ampx: number;
  ltv: readonly [number, number];
  blevcorrDone: boolean;
}

/** The amps of CCDAMP on a WFC chip, in calacs.e's order (C before D, A before B). */
export function wfcChipAmps(ccdamp: string, chip: number, at: string): CteAmp[] {
  const possible = CHIP_AMPS[chip];
  if (possible === undefined) throw new CalibrationError("HEADER_PROBLEM", `${at}: CCDCHIP = ${chip}, 1 or 2 expected`);
  return possible.filter((amp) => ccdamp.toUpperCase().includes(amp));
}

/** Each amp's columns in the trimmed chip image; every row belongs to it (WFC's AMPY is 0). */
export function wfcAmpRegions(r: ChipReadout): CteChipAmp[] {
  if (!r.blevcorrDone || r.ltv[0] > 0 || r.ltv[1] > 0) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `${r.at}: overscan region not trimmed (BLEVCORR not complete or LTV1/LTV2 > 0): PCTECORR needs BLEVCORR = PERFORM`,
    );
  }
  const amps = wfcChipAmps(r.ccdamp, r.chip, r.at);
  if (amps.length === 0) {
    throw new CalibrationError("HEADER_PROBLEM", `${r.at}: CCDAMP = '${r.ccdamp}' names no amp of CCDCHIP ${r.chip}`);
  }
  const ampx = Math.min(r.ampx, r.nx);
  return amps.map((amp, second) => {
    const x0 = second ? ampx : 0;
    const end = !second && ampx !== 0 ? ampx : r.nx;
    if (end <= x0) {
      throw new CalibrationError(
        "SIZE_MISMATCH",
        `${r.at}: amp ${amp} has no columns (image ${r.nx} wide, AMPX ${r.ampx}): PCTECORR cannot place it`,
      );
    }
    return { amp, x0, width: end - x0 };
  });
}
