/**
 * The bias level of one amp from its prescan columns, as post-SM4 WFC destriping measures it
 * (calibration.md §2.5 path B; hstcal blev_funcs_postsm4.c bias_col_mean_std, calc_mean_std,
 * find_good_rows, calc_bias_mean_std). All on an amp array (amp at the origin, prescan columns 0–23).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { intAbs } from "../common/c-numbers.js";
import type { AmpArray } from "./amp-arrays.js";

/** Prescan columns of a WFC amp and virtual-overscan rows at the end of the readout. */
export const PRESCAN_COLUMNS = 24;
export const VIRTUAL_ROWS = 20;
/** The first six science columns: a row with any of them this bright is left out. */
const NEAR_COLUMNS = [24, 30];
const COLUMN_SATURATION = 50000;
const ROW_SATURATION = 70000;

function nearColumnsAll(array: AmpArray, i: number, test: (v: number) => boolean): boolean {
  for (let j = NEAR_COLUMNS[0]; j < NEAR_COLUMNS[1]; j++) if (!test(array.data[i * array.cols + j])) return false;
  return true;
}

/**
 * Mean of `values` after 4 passes of keeping |v − mean| ≤ sig·std. As in hstcal, each pass's std is
 * taken about the previous pass's mean.
 */
export function clippedColumnMean(values: ArrayLike<number>, sig: number): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[k];
  let mean = sum / n;
  let squares = 0;
  for (let k = 0; k < n; k++) {
    const d = values[k] - mean;
    squares += d * d;
  }
  let std = Math.sqrt(squares / (n - 1));
  for (let pass = 0; pass < 4; pass++) {
    let used = 0;
    sum = 0;
    squares = 0;
    for (let k = 0; k < n; k++) {
      if (Math.abs(values[k] - mean) <= sig * std) {
        const d = values[k] - mean;
        sum += values[k];
        squares += d * d;
        used++;
      }
    }
    mean = sum / used;
    std = Math.sqrt(squares / (used - 1));
  }
  return { mean, std };
}

/**
 * Per prescan column, the 5σ-clipped mean of (pixel − mean of columns 12–23 of its row) over the rows
 * whose columns 24–29 are all below 50000 e; those means are then taken off the prescan columns.
 */
export function flattenPrescanColumns(array: AmpArray): Float64Array {
  const { rows, cols, data } = array;
  const relative = new Float64Array(rows * PRESCAN_COLUMNS);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 12; j < PRESCAN_COLUMNS; j++) sum += data[i * cols + j];
    const mean = sum / 12;
    for (let j = 0; j < PRESCAN_COLUMNS; j++) relative[i * PRESCAN_COLUMNS + j] = data[i * cols + j] - mean;
  }
  const usable: number[] = [];
  for (let i = 0; i < rows; i++) if (nearColumnsAll(array, i, (v) => v < COLUMN_SATURATION)) usable.push(i);
  const means = new Float64Array(PRESCAN_COLUMNS);
  const column = new Float64Array(usable.length);
  for (let j = 0; j < PRESCAN_COLUMNS; j++) {
    usable.forEach((i, k) => {
      column[k] = relative[i * PRESCAN_COLUMNS + j];
    });
    means[j] = clippedColumnMean(column, 5).mean;
  }
  for (let j = 0; j < PRESCAN_COLUMNS; j++) for (let i = 0; i < rows; i++) data[i * cols + j] -= means[j];
  return means;
}

/**
 * Rows usable for the bias level (1 = good): never row 0; not a row whose science mean (less the
 * prescan level of it and the row before) is more than 100 e from the amp's (C integer abs), nor one
 * with any of columns 24–29 above 70000 e.
 */
export function findGoodRows(array: AmpArray): Uint8Array {
  const { rows, cols, data } = array;
  const measured = rows - VIRTUAL_ROWS;
  let sum = 0;
  for (let i = 0; i < measured; i++) for (let j = 0; j < PRESCAN_COLUMNS; j++) sum += data[i * cols + j];
  const biasMean = sum / (measured * PRESCAN_COLUMNS);
  sum = 0;
  for (let i = 0; i < measured; i++) for (let j = PRESCAN_COLUMNS; j < cols; j++) sum += data[i * cols + j] - biasMean;
  const ampMean = sum / ((cols - PRESCAN_COLUMNS) * measured);

  const good = new Uint8Array(rows);
  for (let i = 1; i < rows; i++) {
    sum = 0;
    for (let j = 0; j < PRESCAN_COLUMNS; j++) sum += data[i * cols + j] + data[(i - 1) * cols + j];
    const reference = sum / (2 * PRESCAN_COLUMNS);
    sum = 0;
    for (let j = PRESCAN_COLUMNS; j < cols; j++) sum += data[i * cols + j] - reference;
    const rowMean = sum / (cols - PRESCAN_COLUMNS);
    const bad = intAbs(rowMean - ampMean) > 100 || !nearColumnsAll(array, i, (v) => !(v > ROW_SATURATION));
    good[i] = bad ? 0 : 1;
  }
  return good;
}

/**
 * Mean of the prescan pixels of the good rows, clipped at 6 × their mean absolute deviation; at least
 * 6 passes, then more while pixels are still being dropped, up to 11 (hstcal's loop condition).
 */
export function clippedBiasMean(array: AmpArray, goodRows: Uint8Array): number {
  const { rows, cols, data } = array;
  const good = new Uint8Array(rows * PRESCAN_COLUMNS);
  let after = 0;
  for (let i = 0; i < rows; i++) {
    if (goodRows[i] !== 1) continue;
    good.fill(1, i * PRESCAN_COLUMNS, (i + 1) * PRESCAN_COLUMNS);
    after += PRESCAN_COLUMNS;
  }
  const meanOfGood = () => {
    let sum = 0;
    let n = 0;
    for (let j = 0; j < PRESCAN_COLUMNS; j++) {
      for (let i = 0; i < rows; i++) {
        if (good[i * PRESCAN_COLUMNS + j] === 1) {
          sum += data[i * cols + j];
          n++;
        }
      }
    }
    return { sum, n };
  };
  let passes = 0;
  let before: number;
  do {
    before = after;
    passes++;
    const { sum, n } = meanOfGood();
    const mean = n !== 0 ? sum / n : 0;
    let deviation = 0;
    for (let j = 0; j < PRESCAN_COLUMNS; j++) {
      for (let i = 0; i < rows; i++) {
        if (good[i * PRESCAN_COLUMNS + j] === 1) deviation += Math.abs(data[i * cols + j] - mean);
      }
    }
    const limit = 6 * (n !== 0 ? deviation / n : 0);
    after = 0;
    for (let j = 0; j < PRESCAN_COLUMNS; j++) {
      for (let i = 0; i < rows; i++) {
        const k = i * PRESCAN_COLUMNS + j;
        if (good[k] !== 1) continue;
        if (Math.abs(data[i * cols + j] - mean) > limit) good[k] = 0;
        else after++;
      }
    }
  } while (passes <= 5 || (passes <= 10 && after < before));
  const { sum } = meanOfGood();
  return after !== 0 ? sum / after : 0;
}
