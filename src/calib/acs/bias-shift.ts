/**
 * Signal-dependent bias shift of post-SM4 WFC DS_INT gain-2 data (calibration.md §2.5 path B; hstcal
 * blev_funcs_postsm4.c bias_shift_corr, ACS ISR 2012-02 and 2017-03): the pre-amp's AC-coupled DC level
 * follows the signal with a time constant; it is modelled over the readout stream (each row followed by
 * the virtual pixels of the parallel shift) and removed. Then the "magic square" level (prescan ×
 * virtual overscan) is subtracted from the whole amp. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import type { AmpArray } from "./amp-arrays.js";

/** Serial pixel frequency (pixels per µs) and the parallel shift time (µs). */
const SERIAL_FREQUENCY = 1000 / 22;
const PARALLEL_SHIFT = 3.212;
/** Virtual pixels clocked at the end of every row while the row below is shifted in (146). */
export const GAP_PIXELS = Math.trunc(SERIAL_FREQUENCY * PARALLEL_SHIFT + 0.5);

/** Per amp A..D: pre-amp time constant (µs), DC shift / signal ratio, DSI sensitivity. */
const TIME_CONSTANT = [37.290251, 36.180001, 37.86777, 42.461249];
const DC_RATIO = 0.3;
const DSI_SENSITIVITY = [2.9188919e-3, 10.805754e-3, 12.432145e-3, 3.8596253e-3];

/** Amp-array rows 2057–2066 × columns 13–22: prescan pixels in the virtual overscan. */
const MAGIC_ROWS = [2057, 2066];
const MAGIC_COLUMNS = [13, 22];

export function magicSquareMean(array: AmpArray): number {
  if (array.rows <= MAGIC_ROWS[1] || array.cols <= MAGIC_COLUMNS[1]) {
    throw new CalibrationError(
      "INVALID_VALUE",
      `bias shift needs the magic square at rows ${MAGIC_ROWS.join("-")} of a ${array.cols}x${array.rows} amp array`,
    );
  }
  let sum = 0;
  let n = 0;
  for (let i = MAGIC_ROWS[0]; i <= MAGIC_ROWS[1]; i++) {
    for (let j = MAGIC_COLUMNS[0]; j <= MAGIC_COLUMNS[1]; j++) {
      sum += array.data[i * array.cols + j];
      n++;
    }
  }
  return sum / n;
}

/**
 * The correction on a readout stream, in place: `fill` stands for the virtual pixels (they are not in
 * `stream`, which holds rows of `cols` real pixels). dc[0] = fill·ratio; dc[k] follows pixel k-1;
 * s'[k] = s[k] − dsi·dc[k+1] − (10/22)·(dc[k+1] − dc[k]).
 */
export function removeBiasShift(stream: Float64Array, cols: number, amp: number, fill: number): void {
  const factor = 1 - Math.exp(-1 / (TIME_CONSTANT[amp] * SERIAL_FREQUENCY));
  const dsi = DSI_SENSITIVITY[amp];
  const rows = stream.length / cols;
  let dc = fill * DC_RATIO;
  for (let i = 0; i < rows; i++) {
    for (let k = i * cols, end = k + cols; k < end; k++) {
      const value = stream[k];
      const next = value * factor * DC_RATIO + (1 - factor) * dc;
      stream[k] = value - dsi * next - (10 / 22) * (next - dc);
      dc = next;
    }
    // The virtual pixels only move the DC level on.
    for (let g = 0; g < GAP_PIXELS; g++) dc = fill * factor * DC_RATIO + (1 - factor) * dc;
  }
}

/** Corrects one amp array in place; returns the magic-square level subtracted afterwards. */
export function correctBiasShift(array: AmpArray): number {
  removeBiasShift(array.data, array.cols, array.amp, magicSquareMean(array));
  const level = magicSquareMean(array);
  for (let k = 0; k < array.data.length; k++) array.data[k] -= level;
  return level;
}
