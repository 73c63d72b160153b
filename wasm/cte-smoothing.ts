// AssemblyScript: one round of ACS's read-noise smoothing (src/calib/common/cte/smoothing.ts, its TypeScript twin,
// has the algorithm and hstcal's names). The images are f32, column-major; every operation is a double one as in
// the twin, two rows at a time in f64x2 lanes (each lane rounds as the scalar operation does), and the residuals
// are summed row by row in the twin's order, so that both give the same bits.
// Algorithms follow hstcal (BSD-3-Clause, AURA), ctegen2 cteSmoothImage and find_dadjFast.

// @ts-expect-error: decorator
function at32(base: usize, i: i32): f64 {
  return f64(load<f32>(base + ((i as usize) << 2)));
}

/** Two f32 at `i` and `i + 1` as an f64x2. */
// @ts-expect-error: decorator
function pair(base: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(base + ((i as usize) << 2)));
}

/** x clamped to [-limit, limit] with the twin's compares (a NaN stays NaN). */
// @ts-expect-error: decorator
function clamp(x: v128, limit: v128, negative: v128): v128 {
  return v128.bitselect(limit, v128.bitselect(negative, x, f64x2.lt(x, negative)), f64x2.gt(x, limit));
}

// @ts-expect-error: decorator
function clampScalar(x: f64, limit: f64): f64 {
  return x > limit ? limit : x < -limit ? -limit : x;
}

/** One row of the adjustment, as the twin computes it (edge rows, edge columns, odd tails). */
function adjustRow(
  observed: usize,
  smooth: usize,
  own: i32,
  centre: i32,
  isMiddle: bool,
  row: i32,
  rows: i32,
  limit: f64,
  noise4: f64,
  noise18: f64,
): f64 {
  const at = own + row;
  const value = at32(smooth, at);
  const toObserved = at32(observed, at) - value;
  let toNeighbourhood: f64 = 0;
  if (isMiddle && row > 0 && row < rows - 1) {
    const m = centre + row;
    const l = m - rows;
    const r = m + rows;
    let sum = at32(observed, m - 1) - at32(smooth, m - 1);
    sum = sum + at32(observed, m) - at32(smooth, m);
    sum = sum + at32(observed, m + 1) - at32(smooth, m + 1);
    sum = sum + at32(observed, l - 1) - at32(smooth, l - 1);
    sum = sum + at32(observed, l) - at32(smooth, l);
    sum = sum + at32(observed, l + 1) - at32(smooth, l + 1);
    sum = sum + at32(observed, r - 1) - at32(smooth, r - 1);
    sum = sum + at32(observed, r) - at32(smooth, r);
    sum = sum + at32(observed, r + 1) - at32(smooth, r + 1);
    toNeighbourhood = sum / 9;
  }
  const toBelow = row > 0 ? at32(smooth, at - 1) - value : 0;
  const toAbove = row < rows - 1 ? at32(smooth, at + 1) - value : 0;
  const o2 = toObserved * toObserved;
  const n2 = toNeighbourhood * toNeighbourhood;
  const w0 = o2 / (o2 + noise4);
  const w9 = n2 / (n2 + noise18);
  const w1 = noise4 / (toBelow * toBelow + noise4);
  const w2 = noise4 / (toAbove * toAbove + noise4);
  const o = clampScalar(toObserved, 1);
  const n = clampScalar(toNeighbourhood, limit);
  const b = clampScalar(toBelow, limit);
  const a = clampScalar(toAbove, limit);
  return o * w0 * 0.25 + n * w9 * 0.25 + b * w1 * 0.25 + a * w2 * 0.25;
}

/** find_dadjFast of one column into `adjustment` (f32, `rows` values); rows 1..rows-2 of a middle column in pairs. */
function adjustColumn(
  observed: usize,
  smooth: usize,
  adjustment: usize,
  own: i32,
  centre: i32,
  isMiddle: bool,
  rows: i32,
  readNoise: f64,
): void {
  const limit = readNoise * 0.33;
  const noise2 = readNoise * readNoise;
  const noise4 = 4 * noise2;
  const noise18 = 18 * noise2;
  let row = 0;
  store<f32>(adjustment, f32(adjustRow(observed, smooth, own, centre, isMiddle, 0, rows, limit, noise4, noise18)));
  row = 1;
  if (isMiddle) {
    const vLimit = f64x2.splat(limit);
    const vNegLimit = f64x2.splat(-limit);
    const vOne = f64x2.splat(1);
    const vNegOne = f64x2.splat(-1);
    const v4 = f64x2.splat(noise4);
    const v18 = f64x2.splat(noise18);
    const vNine = f64x2.splat(9);
    const vQuarter = f64x2.splat(0.25);
    const l = centre - rows;
    const r = centre + rows;
    for (; row + 1 < rows - 1; row += 2) {
      const at = own + row;
      const value = pair(smooth, at);
      const toObserved = f64x2.sub(pair(observed, at), value);
      const m = centre + row;
      let sum = f64x2.sub(pair(observed, m - 1), pair(smooth, m - 1));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, m)), pair(smooth, m));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, m + 1)), pair(smooth, m + 1));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, l + row - 1)), pair(smooth, l + row - 1));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, l + row)), pair(smooth, l + row));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, l + row + 1)), pair(smooth, l + row + 1));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, r + row - 1)), pair(smooth, r + row - 1));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, r + row)), pair(smooth, r + row));
      sum = f64x2.sub(f64x2.add(sum, pair(observed, r + row + 1)), pair(smooth, r + row + 1));
      const toNeighbourhood = f64x2.div(sum, vNine);
      const toBelow = f64x2.sub(pair(smooth, at - 1), value);
      const toAbove = f64x2.sub(pair(smooth, at + 1), value);
      const o2 = f64x2.mul(toObserved, toObserved);
      const n2 = f64x2.mul(toNeighbourhood, toNeighbourhood);
      const w0 = f64x2.div(o2, f64x2.add(o2, v4));
      const w9 = f64x2.div(n2, f64x2.add(n2, v18));
      const w1 = f64x2.div(v4, f64x2.add(f64x2.mul(toBelow, toBelow), v4));
      const w2 = f64x2.div(v4, f64x2.add(f64x2.mul(toAbove, toAbove), v4));
      const o = clamp(toObserved, vOne, vNegOne);
      const n = clamp(toNeighbourhood, vLimit, vNegLimit);
      const b = clamp(toBelow, vLimit, vNegLimit);
      const a = clamp(toAbove, vLimit, vNegLimit);
      let total = f64x2.mul(f64x2.mul(o, w0), vQuarter);
      total = f64x2.add(total, f64x2.mul(f64x2.mul(n, w9), vQuarter));
      total = f64x2.add(total, f64x2.mul(f64x2.mul(b, w1), vQuarter));
      total = f64x2.add(total, f64x2.mul(f64x2.mul(a, w2), vQuarter));
      v128.store64_lane(adjustment + ((row as usize) << 2), f32x4.demote_f64x2_zero(total), 0);
    }
  }
  for (; row < rows; row++) {
    const value = adjustRow(observed, smooth, own, centre, isMiddle, row, rows, limit, noise4, noise18);
    store<f32>(adjustment + ((row as usize) << 2), f32(value));
  }
}

/** Moves a column by 0.75 of its adjustment; adds its residuals² and their count to `totals` (f64 sum, count). */
function applyColumn(observed: usize, smooth: usize, adjustment: usize, own: i32, rows: i32, totals: usize): void {
  let sum = load<f64>(totals);
  let count = load<f64>(totals, 8);
  for (let row = 0; row < rows; row++) {
    const k = ((own + row) as usize) << 2;
    const moved = f32(f64(load<f32>(smooth + k)) + f64(load<f32>(adjustment + ((row as usize) << 2))) * 0.75);
    store<f32>(smooth + k, moved);
    const seen = load<f32>(observed + k);
    const residual = f64(f32(f64(seen) - f64(moved)));
    if (Math.abs(f64(seen)) > 0.1 || Math.abs(f64(moved)) > 0.1) {
      sum += residual * residual;
      count++;
    }
  }
  store<f64>(totals, sum);
  store<f64>(totals, count, 8);
}

/**
 * One smoothing round over the image: every column's adjustment from the smooth image before the round, then
 * applied (column c - 1 once column c's is known). `adjustments` holds two columns; `totals` gets (Σ residual²,
 * count). Returns nothing: the caller tests convergence.
 */
export function smoothRound(
  observed: usize,
  smooth: usize,
  adjustments: usize,
  rows: i32,
  columns: i32,
  readNoise: f64,
  totals: usize,
): void {
  store<f64>(totals, 0);
  store<f64>(totals, 0, 8);
  for (let column = 0; column < columns; column++) {
    const middle = column === 0 ? 1 : column === columns - 1 ? columns - 2 : column;
    const slot = adjustments + ((((column & 1) * rows) as usize) << 2);
    adjustColumn(observed, smooth, slot, column * rows, middle * rows, column === middle, rows, readNoise);
    if (column >= 1) {
      const previous = adjustments + (((((column - 1) & 1) * rows) as usize) << 2);
      applyColumn(observed, smooth, previous, (column - 1) * rows, rows, totals);
    }
  }
  const lastSlot = adjustments + (((((columns - 1) & 1) * rows) as usize) << 2);
  applyColumn(observed, smooth, lastSlot, (columns - 1) * rows, rows, totals);
}
