/**
 * WF3CTE's read-noise handling (hstcal wf3cte, 2019 algorithm): the noise level of the image when the raw's
 * PCTERNOI is 0 (find_raz2rnoival), and the mitigation of one column before each forward model (rm_rnZ_colj):
 * the column is split into a smooth part, which is corrected, and a read-noise part, which is not. Unlike
 * ACS's whole-image smoothing (calib/common/cte/smoothing.ts) it works on one column at a time.
 * Images are the column-major RAZ layout of cte-raz.ts.
 */
import { chosenCteWasm } from "../common/cte/cte-wasm.js";
import { RAZ_COLUMNS, RAZ_ROWS, UVIS_AMP_COLUMNS } from "./cte-raz.js";

const MAX_ROUNDS = 299;
/** Rows the mitigation and the noise estimate look at: 2..2047 (1-based), the amp's science rows. */
const LAST_ROW = 2047;

/** The first and last row (1-based, in 2..2047) of the column's positive pixels; [2047, 2] when none. */
function positiveSpan(value: (row: number) => number): [number, number] {
  let low = LAST_ROW;
  for (let j = 2; j <= LAST_ROW; j++) {
    if (value(j) > 0) {
      low = j;
      break;
    }
  }
  let high = 2;
  for (let j = LAST_ROW; j >= 2; j--) {
    if (value(j) > 0) {
      high = j;
      break;
    }
  }
  return [low, high];
}

/**
 * Splits `column` into `smooth` + read noise: each round moves every pixel that differs from the mean of its
 * neighbours by less than a window growing from 1× to 6× `readNoise` by at most readNoise / 5, half from
 * the pixel, a quarter to each neighbour, until the rms of what was moved exceeds `readNoise`.
 * Indices here are 0-based (hstcal's rows 2..2047 are the same numbers as 0-based C indices). The three noise
 * values a pixel touches are carried in registers; every sum is made in hstcal's order, so results are identical.
 * It runs in WebAssembly (wasm/cte-noise.ts) unless CALDP_WASM=0 chooses the TypeScript twin: the same bits.
 */
export function removeColumnReadNoise(
  column: Float64Array,
  smooth: Float64Array,
  readNoise: number,
  noise: Float64Array = new Float64Array(column.length),
): void {
  const wasm = chosenCteWasm();
  if (wasm && column.length > LAST_ROW + 1) wasm.noise.remove(column, smooth, readNoise, noise);
  else removeColumnReadNoiseTs(column, smooth, readNoise, noise);
}

/** removeColumnReadNoise in TypeScript (CALDP_WASM=0, and columns too short for the span's rows). */
export function removeColumnReadNoiseTs(
  column: Float64Array,
  smooth: Float64Array,
  readNoise: number,
  noise: Float64Array = new Float64Array(column.length),
): void {
  smooth.set(column);
  noise.fill(0);
  const [low, high] = positiveSpan((j) => column[j]);
  if (low > high) return;
  const cap = readNoise / 5.0;
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const window = readNoise * (1.0 + (5.0 * round) / MAX_ROUNDS);
    let flagged = 0;
    let below = noise[low - 1];
    let here = noise[low];
    let smoothBelow = smooth[low - 1];
    let smoothHere = smooth[low];
    let moved = 0;
    let first = true;
    for (let j = low; j <= high; j++) {
      const smoothAbove = smooth[j + 1];
      let above = noise[j + 1];
      let dd = smoothHere - (smoothAbove + smoothBelow) / 2.0;
      if (Math.abs(dd) < window) {
        if (dd > cap) dd = cap;
        else if (dd < -cap) dd = -cap;
        here = here + dd * 0.5;
        below = below - dd * 0.25;
        above = above - dd * 0.25;
        flagged++;
      }
      noise[j - 1] = below;
      // Row j - 1's noise is final for this round and its old smooth value is no longer read: hstcal's second
      // pass (smooth = column - noise, sum of noise²) is done here, in the same row order. Row low - 1 is
      // outside the span: its smooth value stays and its noise is not counted. (Written with `first` and
      // selects: an `if (j > low)` block ran at 10 or 16 ms a column depending on the process, this at 10.)
      const kept = column[j - 1] - below;
      smooth[j - 1] = first ? smooth[j - 1] : kept;
      moved = first ? moved : moved + below * below;
      first = false;
      below = here;
      here = above;
      smoothBelow = smoothHere;
      smoothHere = smoothAbove;
    }
    noise[high] = below;
    noise[high + 1] = here;
    smooth[high] = column[high] - below;
    moved = moved + below * below;
    // With no pixel in the window hstcal's rms is 0/0 (NaN): it goes on to the next round.
    if (Math.sqrt(moved / flagged) > readNoise) return;
  }
}

const SPREAD = 4.5;
const BINS = 1001;
const LOW_CLIP = 3.75;
const HIGH_CLIP = 9.75;
const f = Math.fround;

/** The histogram bin (1-based) of a value, as hstcal truncates 501 + v × 4.5 + 0.5. */
function bin(value: number): number {
  const ih = Math.trunc(501 + value * SPREAD + 0.5);
  return Math.max(1, Math.min(ih, BINS));
}

/** The narrowest range of bins holding more than 75% of the histogram: [first, last, width]. */
function narrowest(cumulative: Float64Array, total: number): [number, number, number] {
  let first = 1;
  let last = 999;
  let width = 999;
  for (let ih = 1; ih <= BINS - 1; ih++) {
    for (let iih = ih + 1; iih <= BINS - 1 && iih - ih < width; iih++) {
      if (cumulative[iih - 1] - cumulative[ih - 1] > 0.75 * total) {
        first = ih;
        last = iih;
        width = iih - ih;
      }
    }
  }
  return [first, last, width];
}

/**
 * The read noise (e-) of a RAZ image (hstcal find_raz2rnoival): from the histogram of each science pixel's
 * difference with the mean of its 8 neighbours, the width of its densest 75%, clipped to [3.75, 9.75];
 * 9.75 when the background histogram is centred on 0.
 */
export function imageReadNoise(raz: Float32Array): number {
  const value = (i: number, j: number) => raz[(i - 1) * RAZ_ROWS + (j - 1)];
  const differences = new Float64Array(BINS);
  const values = new Float64Array(BINS);
  for (let i = 2; i <= RAZ_COLUMNS; i++) {
    const [low, high] = positiveSpan((j) => value(i, j));
    const ik = i - Math.floor((i - 1) / UVIS_AMP_COLUMNS) * UVIS_AMP_COLUMNS;
    if (!(ik > 25 && ik < 2048 + 24)) continue;
    for (let j = low; j <= high; j++) {
      let around = f(value(i - 1, j + 1) + value(i, j + 1));
      around = f(around + value(i + 1, j + 1));
      around = f(around + value(i - 1, j));
      around = f(around + value(i + 1, j));
      around = f(around + value(i - 1, j - 1));
      around = f(around + value(i, j - 1));
      around = f(around + value(i + 1, j - 1));
      const mean = f(around / 8.0);
      differences[bin(f(value(i, j) - mean)) - 1]++;
      values[bin(value(i, j)) - 1]++;
    }
  }
  const cumulate = (histogram: Float64Array): [Float64Array, number] => {
    const out = new Float64Array(BINS);
    let total = 0;
    for (let ih = 1; ih <= BINS; ih++) {
      if (ih > 1 && ih < BINS) total += histogram[ih - 1];
      out[ih - 1] = total;
    }
    return [out, total];
  };
  const [differenceCum, differenceTotal] = cumulate(differences);
  const [valueCum, valueTotal] = cumulate(values);
  const width = narrowest(differenceCum, differenceTotal)[2];
  const [first, last] = narrowest(valueCum, valueTotal);
  let count = 0;
  let weighted = 0;
  for (let ih = first; ih <= last; ih++) {
    count += values[ih - 1];
    weighted += values[ih - 1] * (ih - 501);
  }
  if (weighted === 0 || count === 0) return HIGH_CLIP;
  const noise = f(width / 2.3 / SPREAD / Math.sqrt(1 + 1 / 8.0));
  return Math.min(HIGH_CLIP, Math.max(LOW_CLIP, noise));
}
