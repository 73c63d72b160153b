/**
 * IR BLEVCORR (calibration.md §5; hstcal wf3ir/blevcorr.c): the resistant mean of the reference-pixel
 * columns (bias sections A and B, both halves of the rows inside the border) is subtracted from the
 * whole read. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { resistantMean } from "./resistant-mean.js";

export interface IrBiasSections {
  /** 0-based inclusive columns of bias sections A and B. */
  a: [number, number];
  b: [number, number];
  /** Rows trimmed at the bottom and top. */
  trimy: [number, number];
}

/** Reference pixels of one read, in hstcal's quadrant order (A upper, A lower, B lower, B upper). */
export function referencePixels(sci: Float32Array, nx: number, ny: number, s: IrBiasSections): Float32Array {
  const out: number[] = [];
  const half = Math.floor(ny / 2);
  const take = (cols: [number, number], j1: number, j2: number) => {
    if (cols[0] < 0) return;
    for (let j = j1; j <= j2; j++) for (let i = cols[0]; i <= cols[1]; i++) out.push(sci[j * nx + i]);
  };
  take(s.a, half, ny - s.trimy[1] - 1);
  take(s.a, s.trimy[0], half - 1);
  take(s.b, s.trimy[0], half - 1);
  take(s.b, half, ny - s.trimy[1] - 1);
  return Float32Array.from(out);
}

/** Subtracts the bias level from every pixel of the read; returns it (MEANBLEV). */
export function subtractReferenceLevel(sci: Float32Array, nx: number, ny: number, s: IrBiasSections): number {
  const { mean } = resistantMean(referencePixels(sci, nx, ny, s), 3);
  for (let k = 0; k < sci.length; k++) sci[k] = sci[k] - mean;
  return mean;
}
