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
      const centre = middle * rows;
      const own = column * rows;
      for (let row = 0; row < rows; row++) {
        adjustment[own + row] = pixelAdjustment(observed, smooth, own, centre, column === middle, row, rows, readNoise);
      }
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

function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(value, -limit));
}

/**
 * How far one pixel moves in a round (hstcal find_dadjFast): pulled back towards its observed value and the
 * 3×3 mean of the observed − smooth differences (middle columns only), and towards the pixels above and below,
 * each pull weighted down when the difference is large compared with the read noise.
 */
function pixelAdjustment(
  observed: Float32Array,
  smooth: Float32Array,
  own: number,
  centre: number,
  isMiddle: boolean,
  row: number,
  rows: number,
  readNoise: number,
): number {
  const at = own + row;
  const value = smooth[at];
  const toObserved = observed[at] - value;
  let toNeighbourhood = 0;
  if (isMiddle && row > 0 && row < rows - 1) {
    // Summed in hstcal's order (middle column, then left, then right) so that rounding agrees.
    for (let side = 0; side < 3; side++) {
      const base = side === 0 ? centre : side === 1 ? centre - rows : centre + rows;
      for (let r = row - 1; r <= row + 1; r++)
        toNeighbourhood = toNeighbourhood + observed[base + r] - smooth[base + r];
    }
    toNeighbourhood /= 9;
  }
  const limit = readNoise * STEP_FRACTION;
  const toBelow = row > 0 ? smooth[at - 1] - value : 0;
  const toAbove = row < rows - 1 ? smooth[at + 1] - value : 0;
  const noise2 = readNoise * readNoise;
  const w0 = (toObserved * toObserved) / (toObserved * toObserved + 4 * noise2);
  const w9 = (toNeighbourhood * toNeighbourhood) / (toNeighbourhood * toNeighbourhood + 18 * noise2);
  const w1 = (4 * noise2) / (toBelow * toBelow + 4 * noise2);
  const w2 = (4 * noise2) / (toAbove * toAbove + 4 * noise2);
  return (
    clamp(toObserved, 1) * w0 * 0.25 +
    clamp(toNeighbourhood, limit) * w9 * 0.25 +
    clamp(toBelow, limit) * w1 * 0.25 +
    clamp(toAbove, limit) * w2 * 0.25
  );
}
