/**
 * NOISCORR / the IR noise model (calibration.md §5, hstcal noiscalc.c): per quadrant
 * ERR = sqrt(RN² + |SCI·g|)/g in DN, RN in electrons. Quadrants: A upper left, B lower left, C lower
 * right, D upper right, split at AMPX/AMPY moved by the subarray offset and the border.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { Four } from "./ccdtab.js";
import type { Border } from "./multiaccum.js";

export interface IrAmps {
  atodgain: Four;
  readnoise: Four;
  ampx: number;
  ampy: number;
}

/** Quadrant boundaries in image pixels (hstcal: AMPX + LTV1 − TRIMX1). */
export function quadrantSplit(amps: IrAmps, ltv: [number, number], border: Border): [number, number] {
  return [amps.ampx + ltv[0] - border.x[0], amps.ampy + ltv[1] - border.y[0]];
}

/** Index 0..3 (A..D) of the amp reading pixel (i, j). */
export function quadrantOf(i: number, j: number, split: [number, number]): number {
  if (i < split[0]) return j >= split[1] ? 0 : 1;
  return j < split[1] ? 2 : 3;
}

/** ERR of one image from its SCI (both nx×ny, DN), inside the border only. */
export function noiseImage(
  sci: Float32Array,
  err: Float32Array,
  nx: number,
  ny: number,
  border: Border,
  amps: IrAmps,
  ltv: [number, number],
): void {
  const split = quadrantSplit(amps, ltv, border);
  for (let j = border.y[0]; j < ny - border.y[1]; j++) {
    for (let i = border.x[0]; i < nx - border.x[1]; i++) {
      const q = quadrantOf(i, j, split);
      const g = amps.atodgain[q];
      const rn = amps.readnoise[q];
      const k = j * nx + i;
      err[k] = Math.fround(Math.sqrt(Math.fround(rn * rn) + Math.abs(Math.fround(sci[k] * g)))) / g;
    }
  }
}
