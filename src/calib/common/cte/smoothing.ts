/**
 * Read-noise mitigation before the CTE correction (hstcal ctegen2 cteSmoothImage, PCTENSMD 0): the smoothest
 * image consistent with the observed one plus read noise. Each of at most 100 rounds moves every pixel a little
 * towards its neighbours in the column (when they differ by about the read noise) and back towards its observed
 * value and its 3×3 neighbourhood, until the rms of observed − smooth reaches the read noise.
 * Images are column-major (`[column * rows + row]`), as the correction reads them. The rounds run in
 * WebAssembly (cte-wasm.ts) unless CALDP_WASM=0 chooses the TypeScript twin; both give the same bits.
 */
import { chosenCteWasm } from "./cte-wasm.js";

const MAX_ROUNDS = 100;
/** Steps are limited to this fraction of the read noise. */
const STEP_FRACTION = 0.33;

export function smoothReadNoise(
  observed: Float32Array,
  rows: number,
  columns: number,
  readNoise: number,
  maxRounds = MAX_ROUNDS,
): Float32Array {
  if (readNoise < 0.1 || rows === 0 || columns === 0) return Float32Array.from(observed);
  const wasm = chosenCteWasm();
  if (wasm) return wasm.smoothRounds(observed, rows, columns, readNoise, maxRounds);
  return smoothReadNoiseTs(observed, rows, columns, readNoise, maxRounds);
}

/** smoothReadNoise in TypeScript (CALDP_WASM=0). */
export function smoothReadNoiseTs(
  observed: Float32Array,
  rows: number,
  columns: number,
  readNoise: number,
  maxRounds = MAX_ROUNDS,
): Float32Array {
  const smooth = Float32Array.from(observed);
  if (readNoise < 0.1) return smooth;
  // A round's adjustments all come from the smooth image before it; column c's reads columns c-1..c+1 (an edge
  // column only its own). So column c-1 takes its adjustment once column c's is known: two columns of
  // adjustments are enough, and the residuals are still summed in pixel order.
  const adjustments = new Float32Array(2 * rows);
  const totals = new Float64Array(2);
  for (let round = 0; round < maxRounds; round++) {
    totals.fill(0);
    for (let column = 0; column < columns; column++) {
      // hstcal's imid: an edge column's 3×3 term would use its neighbour's columns, but edge columns have none.
      const middle = column === 0 ? 1 : column === columns - 1 ? columns - 2 : column;
      const slot = (column % 2) * rows;
      adjustColumn(
        observed,
        smooth,
        adjustments,
        column * rows,
        slot,
        middle * rows,
        column === middle,
        rows,
        readNoise,
      );
      if (column >= 1) applyColumn(observed, smooth, adjustments, column - 1, rows, totals);
    }
    applyColumn(observed, smooth, adjustments, columns - 1, rows, totals);
    if (readNoise - Math.sqrt(totals[0] / totals[1]) < 0.00001) break;
  }
  return smooth;
}

/** Moves a column by 0.75 of its adjustment; adds its residuals² and their count to `totals` (sum, count). */
function applyColumn(
  observed: Float32Array,
  smooth: Float32Array,
  adjustments: Float32Array,
  column: number,
  rows: number,
  totals: Float64Array,
): void {
  const base = column * rows;
  const slot = (column % 2) * rows;
  let sum = totals[0];
  let count = totals[1];
  for (let row = 0; row < rows; row++) {
    const k = base + row;
    smooth[k] += adjustments[slot + row] * 0.75;
    const residual = Math.fround(observed[k] - smooth[k]);
    if (Math.abs(observed[k]) > 0.1 || Math.abs(smooth[k]) > 0.1) {
      sum += residual * residual;
      count++;
    }
  }
  totals[0] = sum;
  totals[1] = count;
}

/**
 * How far each pixel of a column moves in a round (hstcal find_dadjFast): pulled back towards its observed
 * value and the 3×3 mean of the observed − smooth differences (middle columns only), and towards the pixels
 * above and below, each pull weighted down when the difference is large compared with the read noise. One
 * loop over the column without calls or allocation: this is where the smoothing spends its time.
 */
function adjustColumn(
  observed: Float32Array,
  smooth: Float32Array,
  adjustment: Float32Array,
  own: number,
  slot: number,
  centre: number,
  isMiddle: boolean,
  rows: number,
  readNoise: number,
): void {
  const limit = readNoise * STEP_FRACTION;
  const noise2 = readNoise * readNoise;
  const noise4 = 4 * noise2;
  const noise18 = 18 * noise2;
  const left = centre - rows;
  const right = centre + rows;
  for (let row = 0; row < rows; row++) {
    const at = own + row;
    const value = smooth[at];
    const toObserved = observed[at] - value;
    let toNeighbourhood = 0;
    if (isMiddle && row > 0 && row < rows - 1) {
      // Summed in hstcal's order (middle column, then left, then right) so that rounding agrees.
      const m = centre + row;
      const l = left + row;
      const r = right + row;
      let sum = observed[m - 1] - smooth[m - 1];
      sum = sum + observed[m] - smooth[m];
      sum = sum + observed[m + 1] - smooth[m + 1];
      sum = sum + observed[l - 1] - smooth[l - 1];
      sum = sum + observed[l] - smooth[l];
      sum = sum + observed[l + 1] - smooth[l + 1];
      sum = sum + observed[r - 1] - smooth[r - 1];
      sum = sum + observed[r] - smooth[r];
      sum = sum + observed[r + 1] - smooth[r + 1];
      toNeighbourhood = sum / 9;
    }
    const toBelow = row > 0 ? smooth[at - 1] - value : 0;
    const toAbove = row < rows - 1 ? smooth[at + 1] - value : 0;
    const o2 = toObserved * toObserved;
    const n2 = toNeighbourhood * toNeighbourhood;
    const w0 = o2 / (o2 + noise4);
    const w9 = n2 / (n2 + noise18);
    const w1 = noise4 / (toBelow * toBelow + noise4);
    const w2 = noise4 / (toAbove * toAbove + noise4);
    const o = toObserved > 1 ? 1 : Math.max(toObserved, -1);
    const n = toNeighbourhood > limit ? limit : Math.max(toNeighbourhood, -limit);
    const b = toBelow > limit ? limit : Math.max(toBelow, -limit);
    const a = toAbove > limit ? limit : Math.max(toAbove, -limit);
    adjustment[slot + row] = o * w0 * 0.25 + n * w9 * 0.25 + b * w1 * 0.25 + a * w2 * 0.25;
  }
}
