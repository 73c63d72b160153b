// WF3CTE's read-noise mitigation before issue 16's speed work (commit 3f7e3be): the oracle. Do not optimise.
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
 */
export function removeColumnReadNoise(
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
      below = here;
      here = above;
      smoothBelow = smoothHere;
      smoothHere = smoothAbove;
    }
    noise[high] = below;
    noise[high + 1] = here;
    let moved = 0;
    for (let j = low; j <= high; j++) {
      const n = noise[j];
      smooth[j] = column[j] - n;
      moved = moved + n * n;
    }
    // With no pixel in the window hstcal's rms is 0/0 (NaN): it goes on to the next round.
    if (Math.sqrt(moved / flagged) > readNoise) return;
  }
}
