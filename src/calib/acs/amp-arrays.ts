/**
 * Amp arrays of post-SM4 WFC BLEVCORR (calibration.md §2.5 path B; hstcal blev_funcs_postsm4.c
 * make_amp_array): one amplifier's pixels copied into a double array with the amplifier at the origin,
 * so row 0 is read first and column 0 is the first prescan column. Amps A, B sit at the top of their
 * chip (rows flipped), B and D at the right (columns flipped).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { ImageSet } from "../common/imset.js";

export type AmpIndex = 0 | 1 | 2 | 3;

/** An amplifier's pixels, row-major, `cols` values a row. */
export interface AmpArray {
  amp: AmpIndex;
  rows: number;
  cols: number;
  data: Float64Array;
}

const flipsRows = (amp: AmpIndex) => amp === 0 || amp === 1;
const flipsColumns = (amp: AmpIndex) => amp === 1 || amp === 3;

/** Image index of the first pixel of amp-array row i, and the step to the next pixel of that row. */
export function rowStart(amp: AmpIndex, i: number, rows: number, nx: number): [number, number] {
  const r = flipsRows(amp) ? rows - 1 - i : i;
  return flipsColumns(amp) ? [r * nx + nx - 1, -1] : [r * nx, 1];
}

/**
 * Copies `cols` columns of every row of the image's SCI, as amp `amp` reads them; into `buffer` when it is
 * given and large enough (the amps of a chip, one after the other, need one array, not four).
 */
export function readAmpArray(set: ImageSet, amp: AmpIndex, cols: number, buffer?: Float64Array): AmpArray {
  const { nx, ny: rows, sci } = set;
  const size = rows * cols;
  const data = buffer && buffer.length >= size ? buffer.subarray(0, size) : new Float64Array(size);
  for (let i = 0; i < rows; i++) {
    let [p, step] = rowStart(amp, i, rows, nx);
    for (let k = i * cols, end = k + cols; k < end; k++, p += step) data[k] = sci[p];
  }
  return { amp, rows, cols, data };
}

/** Writes the amp array back into the image's SCI (rounded to float32). */
export function writeAmpArray(set: ImageSet, array: AmpArray): void {
  const { amp, rows, cols, data } = array;
  const { nx, sci } = set;
  for (let i = 0; i < rows; i++) {
    let [p, step] = rowStart(amp, i, rows, nx);
    for (let k = i * cols, end = k + cols; k < end; k++, p += step) sci[p] = data[k];
  }
}
