// AssemblyScript: WF3CTE's read-noise mitigation of one column (src/calib/wfc3/cte-noise.ts removeColumnReadNoise,
// its TypeScript twin, has the algorithm and hstcal's names), giving the twin's bits.
// Algorithms follow hstcal (BSD-3-Clause, AURA), wf3cte rm_rnZ_colj.
//
// Within a round every dd reads the smooth column as the round found it, and a row's new noise is its old noise
// less a quarter of the row below's step, plus half its own, less a quarter of the row above's, each only where
// that row is in the window, in that order (the twin's order of operations). So a round is a stencil: rows two at
// a time in f64x2 lanes, each lane doing the twin's scalar operations, with the round's smooth column written to
// a second buffer (the twin overwrites in place behind it). The stop test needs the twin's sum of noise² in row
// order; the lanes' sums are within a proven bound of it, and the ordered sum is made only when the test is that close.

const MAX_ROUNDS = 299;
const LAST_ROW = 2047;
const HALF = f64x2(0.5, 0.5);

// @ts-expect-error: decorator
function at(base: usize, i: i32): f64 {
  return load<f64>(base + ((i as usize) << 3));
}

// @ts-expect-error: decorator
function put(base: usize, i: i32, value: f64): void {
  store<f64>(base + ((i as usize) << 3), value);
}

// @ts-expect-error: decorator
function pairAt(base: usize, i: i32): v128 {
  return v128.load(base + ((i as usize) << 3));
}

/** Row k's clamped step dd (from the smooth column as the round found it); 0 where `moves` is false. */
// @ts-expect-error: decorator
function step(smooth: usize, k: i32, low: i32, high: i32, window: f64, cap: f64): f64 {
  if (k < low || k > high) return 0;
  let dd = at(smooth, k) - (at(smooth, k + 1) + at(smooth, k - 1)) / 2.0;
  if (!(Math.abs(dd) < window)) return 0;
  if (dd > cap) dd = cap;
  else if (dd < -cap) dd = -cap;
  return dd;
}

/** Whether row k is in the span and its dd within the window. */
// @ts-expect-error: decorator
function moves(smooth: usize, k: i32, low: i32, high: i32, window: f64): bool {
  if (k < low || k > high) return false;
  const dd = at(smooth, k) - (at(smooth, k + 1) + at(smooth, k - 1)) / 2.0;
  return Math.abs(dd) < window;
}

/** Row j's new noise (the twin's three conditional operations, in order), one row at a time. */
function rowNoise(noise: usize, smooth: usize, j: i32, low: i32, high: i32, window: f64, cap: f64): f64 {
  let n = at(noise, j);
  if (moves(smooth, j - 1, low, high, window)) n = n - step(smooth, j - 1, low, high, window, cap) * 0.25;
  if (moves(smooth, j, low, high, window)) n = n + step(smooth, j, low, high, window, cap) * 0.5;
  if (moves(smooth, j + 1, low, high, window)) n = n - step(smooth, j + 1, low, high, window, cap) * 0.25;
  return n;
}

/** The twin's stop test, sqrt(Σ noise² in row order / flagged) > readNoise, over rows low..high. */
function orderedStop(noise: usize, low: i32, high: i32, flagged: f64, readNoise: f64): bool {
  let moved: f64 = 0;
  for (let j = low; j <= high; j++) {
    const n = at(noise, j);
    moved = moved + n * n;
  }
  return Math.sqrt(moved / flagged) > readNoise;
}

/**
 * `column` (f64, `rows` values) split into `smooth` + `noise` (f64 each, same length); `spare` is room for
 * another smooth column.
 */
export function removeColumnReadNoise(
  column: usize,
  smooth: usize,
  noise: usize,
  rows: i32,
  readNoise: f64,
  spare: usize,
): void {
  const bytes = (rows as usize) << 3;
  memory.copy(smooth, column, bytes);
  memory.fill(noise, 0, bytes);
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
  memory.copy(spare, column, bytes);
  const cap = readNoise / 5.0;
  const vCap = f64x2.splat(cap);
  const vNegCap = f64x2.splat(-cap);
  const vHalf = f64x2.splat(0.5);
  const vNegZero = f64x2.splat(-0.0);
  const vQuarter = f64x2.splat(0.25);
  let before = smooth;
  let after = spare;
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const window = readNoise * (1.0 + (5.0 * f64(round)) / f64(MAX_ROUNDS));
    const vWindow = f64x2.splat(window);
    let sums = f64x2.splat(0);
    let counts = i64x2.splat(0);
    let flagged: i32 = 0;
    let tail: f64 = 0;
    // Rows low - 1 and low one at a time (the span's edge), then pairs (j, j + 1) whose neighbours j - 1 and
    // j + 2 are in the span, then the rest one at a time.
    put(noise, low - 1, rowNoise(noise, before, low - 1, low, high, window, cap));
    let j = low;
    {
      const n = rowNoise(noise, before, j, low, high, window, cap);
      if (moves(before, j, low, high, window)) flagged++;
      put(noise, j, n);
      put(after, j, at(column, j) - n);
      tail = tail + n * n;
      j++;
    }
    // Rows (j - 1, j)'s dd step, carried from one pair to the next: the quarter taken from a neighbour (+0 where
    // the row is out of the window: x - +0 is x) and the half added to the row itself (-0 there: x + -0 is x).
    const prev = ddPair(before, j - 1);
    let inPrev = f64x2.lt(f64x2.abs(prev), vWindow);
    let clamped = f64x2.pmax(f64x2.pmin(prev, vCap), vNegCap);
    let quarterPrev = v128.and(f64x2.mul(clamped, vQuarter), inPrev);
    let halfPrev = v128.bitselect(f64x2.mul(clamped, vHalf), vNegZero, inPrev);
    for (; j + 2 <= high; j += 2) {
      const next = ddPair(before, j + 1);
      const inNext = f64x2.lt(f64x2.abs(next), vWindow);
      clamped = f64x2.pmax(f64x2.pmin(next, vCap), vNegCap);
      const quarterNext = v128.and(f64x2.mul(clamped, vQuarter), inNext);
      const halfNext = v128.bitselect(f64x2.mul(clamped, vHalf), vNegZero, inNext);
      const halfHere = i8x16.shuffle(halfPrev, halfNext, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
      const inHere = i8x16.shuffle(inPrev, inNext, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
      const n = f64x2.sub(f64x2.add(f64x2.sub(pairAt(noise, j), quarterPrev), halfHere), quarterNext);
      v128.store(noise + ((j as usize) << 3), n);
      v128.store(after + ((j as usize) << 3), f64x2.sub(pairAt(column, j), n));
      sums = f64x2.add(sums, f64x2.mul(n, n));
      counts = i64x2.sub(counts, inHere);
      inPrev = inNext;
      quarterPrev = quarterNext;
      halfPrev = halfNext;
    }
    for (; j <= high + 1; j++) {
      const n = rowNoise(noise, before, j, low, high, window, cap);
      if (j <= high) {
        if (moves(before, j, low, high, window)) flagged++;
        put(after, j, at(column, j) - n);
        tail = tail + n * n;
      }
      put(noise, j, n);
    }
    flagged += i32(i64x2.extract_lane(counts, 0) + i64x2.extract_lane(counts, 1));
    const swap = before;
    before = after;
    after = swap;
    // Both sums add the same nonnegative terms; each is within (n + 1)·2⁻⁵³ of their exact total (and of each
    // other within twice that), so a margin of n·2⁻⁴⁹ (and a little for subnormal terms) decides the test alike.
    const fast = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1) + tail;
    const margin = fast * f64(high - low + 4) * 1.7763568394002505e-15 + 1e-300;
    const f = f64(flagged);
    let stop: bool;
    if (Math.sqrt((fast - margin) / f) > readNoise) stop = true;
    else if (Math.sqrt((fast + margin) / f) <= readNoise) stop = false;
    else stop = orderedStop(noise, low, high, f, readNoise);
    if (stop) break;
  }
  // The last round's smooth column is in `before`; rows outside low..high are the column's in both buffers.
  if (before !== smooth) memory.copy(smooth, before, bytes);
}

/** The dd of rows k and k + 1: smooth[k] - (smooth[k + 1] + smooth[k - 1]) / 2 (x * 0.5 rounds as x / 2). */
// @ts-expect-error: decorator
function ddPair(smooth: usize, k: i32): v128 {
  return f64x2.sub(pairAt(smooth, k), f64x2.mul(f64x2.add(pairAt(smooth, k + 1), pairAt(smooth, k - 1)), HALF));
}
