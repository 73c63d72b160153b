/**
 * Destriping and bias level of post-SM4 WFC full frames (calibration.md §2.5 path B; hstcal
 * blev_funcs_postsm4.c doDestripe, remove_stripes): the four amps are read at the same time, so row
 * noise ("stripes") common to them is measured in their prescan columns and subtracted, interpolated
 * along the readout. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { ImageSet } from "../common/imset.js";
import { type AmpArray, type AmpIndex, readAmpArray, rowStart } from "./amp-arrays.js";
import { GAP_PIXELS } from "./bias-shift.js";
import { clippedBiasMean, findGoodRows, flattenPrescanColumns, PRESCAN_COLUMNS } from "./destripe-bias.js";

/** A prescan row of one amp scattering this much (e) does not count for the stripe of that row. */
const NOISY_ROW_STD = 15;

export interface StripeProfile {
  /** Stripe level per amp-array row (0 where skipped). */
  rowMeans: Float64Array;
  fixed: number;
  skipped: number;
}

/**
 * Per row, the mean of the amps' prescan means over amps whose row is good and whose prescan std is
 * below 15 e (such a row is marked bad in `goodRows`); at least two amps are needed, else 0 ("skipped").
 */
export function measureStripes(amps: readonly AmpArray[], goodRows: Uint8Array[]): StripeProfile {
  const { rows, cols } = amps[0];
  const rowMeans = new Float64Array(rows);
  const means = new Float64Array(amps.length);
  let fixed = 0;
  let skipped = 0;
  for (let i = 0; i < rows; i++) {
    amps.forEach((amp, k) => {
      let sum = 0;
      for (let j = 0; j < PRESCAN_COLUMNS; j++) sum += amp.data[i * cols + j];
      means[k] = sum / PRESCAN_COLUMNS;
    });
    amps.forEach((amp, k) => {
      let sum = 0;
      for (let j = 0; j < PRESCAN_COLUMNS; j++) {
        const d = amp.data[i * cols + j] - means[k];
        sum += d * d;
      }
      if (Math.sqrt(sum / (PRESCAN_COLUMNS - 1)) >= NOISY_ROW_STD) goodRows[k][i] = 0;
    });
    let sum = 0;
    let n = 0;
    for (let k = 0; k < amps.length; k++) {
      if (goodRows[k][i] === 1) {
        sum += means[k];
        n++;
      }
    }
    if (n >= 2) {
      rowMeans[i] = sum / n;
      fixed++;
    } else skipped++;
  }
  return { rowMeans, fixed, skipped };
}

/** The stripe at pixel (i, j): rowMeans interpolated at the time the pixel was read, in rows. */
export function stripeAt(rowMeans: Float64Array, i: number, j: number, cols: number): number {
  const t = i + (j - 11.5) / (cols + GAP_PIXELS);
  const lower = Math.min(Math.max(Math.floor(t), 0), rowMeans.length - 2);
  return rowMeans[lower] + (t - lower) * (rowMeans[lower + 1] - rowMeans[lower]);
}

export function subtractStripes(amps: readonly AmpArray[], rowMeans: Float64Array): void {
  const { rows, cols } = amps[0];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const stripe = stripeAt(rowMeans, i, j, cols);
      for (const amp of amps) amp.data[i * cols + j] -= stripe;
    }
  }
}

export interface DestripeResult {
  /** Bias level subtracted per amp, in the order of `amps` (e). */
  biasLevels: number[];
  fixed: number;
  skipped: number;
}

/** Destripes the four amp arrays (A, B, C, D) in place. */
export function destripe(amps: readonly AmpArray[]): DestripeResult {
  for (const amp of amps) flattenPrescanColumns(amp);
  const goodRows = amps.map((amp) => findGoodRows(amp));
  const biasLevels = amps.map((amp, k) => {
    const level = clippedBiasMean(amp, goodRows[k]);
    for (let p = 0; p < amp.data.length; p++) amp.data[p] -= level;
    return level;
  });
  const stripes = measureStripes(amps, goodRows);
  subtractStripes(amps, stripes.rowMeans);
  return { biasLevels, fixed: stripes.fixed, skipped: stripes.skipped };
}

/** An amp's prescan columns (amp array columns 0–23) as a narrow amp array. */
function prescanOf(array: AmpArray): AmpArray {
  const { rows, cols, data } = array;
  const prescan = new Float64Array(rows * PRESCAN_COLUMNS);
  for (let i = 0; i < rows; i++) {
    prescan.set(data.subarray(i * cols, i * cols + PRESCAN_COLUMNS), i * PRESCAN_COLUMNS);
  }
  return { amp: array.amp, rows, cols: PRESCAN_COLUMNS, data: prescan };
}

/**
 * `destripe` on the image sets themselves (`sets[k]` holds amp k, A..D), holding one amp array at a time
 * instead of four: per amp the prescan is flattened and the bias level measured on its amp array, and only
 * its prescan columns are kept; the stripes come from the prescans alone; then every pixel gets the same
 * double arithmetic as in the amp arrays ((value − level) − stripe, rounded to float once).
 */
export function destripeImages(sets: readonly ImageSet[]): DestripeResult {
  const cols = sets[0]!.nx / 2;
  let buffer: Float64Array | undefined;
  const measured = sets.map((set, k) => {
    const array = readAmpArray(set, k as AmpIndex, cols, buffer);
    buffer = array.data;
    flattenPrescanColumns(array);
    const goodRows = findGoodRows(array);
    const level = clippedBiasMean(array, goodRows);
    const prescan = prescanOf(array);
    for (let p = 0; p < prescan.data.length; p++) prescan.data[p] -= level;
    return { level, goodRows, prescan };
  });
  const stripes = measureStripes(
    measured.map((m) => m.prescan),
    measured.map((m) => m.goodRows),
  );
  sets.forEach((set, k) => {
    const { level, prescan } = measured[k]!;
    subtractLevelAndStripes(set, k as AmpIndex, cols, level, prescan.data, stripes.rowMeans);
  });
  return { biasLevels: measured.map((m) => m.level), fixed: stripes.fixed, skipped: stripes.skipped };
}

/** Amp `amp` of the image: prescan pixels from `prescan` (level already off), others (SCI − level), less the stripe. */
function subtractLevelAndStripes(
  set: ImageSet,
  amp: AmpIndex,
  cols: number,
  level: number,
  prescan: Float64Array,
  rowMeans: Float64Array,
): void {
  const { nx, ny: rows, sci } = set;
  for (let i = 0; i < rows; i++) {
    let [p, step] = rowStart(amp, i, rows, nx);
    for (let j = 0; j < cols; j++, p += step) {
      const stripe = stripeAt(rowMeans, i, j, cols);
      sci[p] = j < PRESCAN_COLUMNS ? prescan[i * PRESCAN_COLUMNS + j]! - stripe : sci[p]! - level - stripe;
    }
  }
}

export function destripeHistory(result: Pick<DestripeResult, "fixed" | "skipped">): string[] {
  return [
    `DESTRIPE: number of rows fixed per amp: ${result.fixed}`,
    `DESTRIPE: number of rows skipped per amp: ${result.skipped}`,
  ];
}
