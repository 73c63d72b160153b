// AssemblyScript: WF3CTE's read-noise mitigation of one column (src/calib/wfc3/cte-noise.ts removeColumnReadNoise,
// its TypeScript twin, has the algorithm and hstcal's names): the same double operations in the same order, so
// that both give the same bits. Algorithms follow hstcal (BSD-3-Clause, AURA), wf3cte rm_rnZ_colj.

const MAX_ROUNDS = 299;
const LAST_ROW = 2047;

// @ts-expect-error: decorator
function at(base: usize, i: i32): f64 {
  return load<f64>(base + ((i as usize) << 3));
}

// @ts-expect-error: decorator
function put(base: usize, i: i32, value: f64): void {
  store<f64>(base + ((i as usize) << 3), value);
}

/** `column` (f64, `rows` values) split into `smooth` + `noise` (f64 each, same length). */
export function removeColumnReadNoise(column: usize, smooth: usize, noise: usize, rows: i32, readNoise: f64): void {
  memory.copy(smooth, column, (rows as usize) << 3);
  memory.fill(noise, 0, (rows as usize) << 3);
  let low = LAST_ROW;
  for (let j = 2; j <= LAST_ROW; j++) {
    if (at(column, j) > 0) {
      low = j;
      break;
    }
  }
  let high = 2;
  for (let j = LAST_ROW; j >= 2; j--) {
    if (at(column, j) > 0) {
      high = j;
      break;
    }
  }
  if (low > high) return;
  const cap = readNoise / 5.0;
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const window = readNoise * (1.0 + (5.0 * f64(round)) / f64(MAX_ROUNDS));
    let flagged: i32 = 0;
    let below = at(noise, low - 1);
    let here = at(noise, low);
    let smoothBelow = at(smooth, low - 1);
    let smoothHere = at(smooth, low);
    let moved: f64 = 0;
    // Row low - 1 is outside the span: its smooth value stays and its noise is not counted.
    let j = low;
    {
      const smoothAbove = at(smooth, j + 1);
      let above = at(noise, j + 1);
      let dd = smoothHere - (smoothAbove + smoothBelow) / 2.0;
      if (Math.abs(dd) < window) {
        if (dd > cap) dd = cap;
        else if (dd < -cap) dd = -cap;
        here = here + dd * 0.5;
        below = below - dd * 0.25;
        above = above - dd * 0.25;
        flagged++;
      }
      put(noise, j - 1, below);
      below = here;
      here = above;
      smoothBelow = smoothHere;
      smoothHere = smoothAbove;
    }
    for (j = low + 1; j <= high; j++) {
      const smoothAbove = at(smooth, j + 1);
      let above = at(noise, j + 1);
      let dd = smoothHere - (smoothAbove + smoothBelow) / 2.0;
      if (Math.abs(dd) < window) {
        if (dd > cap) dd = cap;
        else if (dd < -cap) dd = -cap;
        here = here + dd * 0.5;
        below = below - dd * 0.25;
        above = above - dd * 0.25;
        flagged++;
      }
      put(noise, j - 1, below);
      put(smooth, j - 1, at(column, j - 1) - below);
      moved = moved + below * below;
      below = here;
      here = above;
      smoothBelow = smoothHere;
      smoothHere = smoothAbove;
    }
    put(noise, high, below);
    put(noise, high + 1, here);
    put(smooth, high, at(column, high) - below);
    moved = moved + below * below;
    if (Math.sqrt(moved / f64(flagged)) > readNoise) return;
  }
}
