// ACS's read-noise smoothing before the column-by-column rounds (issue 16 speed work, commit d9f5e3d): the oracle.
// Do not optimise.
/**
 * Read-noise mitigation before the CTE correction (hstcal ctegen2 cteSmoothImage, PCTENSMD 0): the smoothest
 * image consistent with the observed one plus read noise. Each of at most 100 rounds moves every pixel a little
 * towards its neighbours in the column (when they differ by about the read noise) and back towards its observed
 * value and its 3×3 neighbourhood, until the rms of observed − smooth reaches the read noise.
 * Images are column-major (`[column * rows + row]`), as the correction reads them.
 */

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
  const smooth = Float32Array.from(observed);
  if (readNoise < 0.1) return smooth;
  const adjustment = new Float32Array(observed.length);
  for (let round = 0; round < maxRounds; round++) {
    for (let column = 0; column < columns; column++) {
      // Edge columns are compared with the 3 columns around their neighbour (hstcal's imid).
      const middle = column === 0 ? 1 : column === columns - 1 ? columns - 2 : column;
      adjustColumn(observed, smooth, adjustment, column * rows, middle * rows, column === middle, rows, readNoise);
    }
    let sum = 0;
    let count = 0;
    for (let k = 0; k < smooth.length; k++) {
      smooth[k] += adjustment[k] * 0.75;
      const residual = Math.fround(observed[k] - smooth[k]);
      if (Math.abs(observed[k]) > 0.1 || Math.abs(smooth[k]) > 0.1) {
        sum += residual * residual;
        count++;
      }
    }
    if (readNoise - Math.sqrt(sum / count) < 0.00001) break;
  }
  return smooth;
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
    const o = toObserved > 1 ? 1 : toObserved < -1 ? -1 : toObserved;
    const n = toNeighbourhood > limit ? limit : toNeighbourhood < -limit ? -limit : toNeighbourhood;
    const b = toBelow > limit ? limit : toBelow < -limit ? -limit : toBelow;
    const a = toAbove > limit ? limit : toAbove < -limit ? -limit : toAbove;
    adjustment[at] = o * w0 * 0.25 + n * w9 * 0.25 + b * w1 * 0.25 + a * w2 * 0.25;
  }
}
