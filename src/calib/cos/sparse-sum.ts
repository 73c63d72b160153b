/**
 * numpy's float32 sum (pairwise within blocks of 8192, the blocks added in order; tempcorr.ts's numpySumFloat32)
 * of an array that is zero except at a few sorted positions: a zero term leaves every partial sum as it is (up to
 * the sign of a zero), so only the blocks holding a nonzero term are visited, and the array is never built.
 * TEMPCORR sums its stim masks this way: a few hundred events near the stims among millions.
 */
const f = Math.fround;
const BLOCK = 8192;

/** The first index q in [lo, hi) with pos[q] >= at. */
function lowerBound(pos: Int32Array, lo: number, hi: number, at: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pos[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy's pairwise_sum over [start, start + n), the nonzero terms being val[lo, hi) at pos[lo, hi). */
function pairwise(val: Float32Array, pos: Int32Array, lo: number, hi: number, start: number, n: number): number {
  if (lo >= hi) return 0;
  if (n < 8) {
    let r = 0;
    for (let q = lo; q < hi; q++) r = f(r + val[q]);
    return r;
  }
  if (n <= 128) {
    // eight lanes (element start + j + 8t in lane j), then the elements past the last whole group of eight
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    const body = start + n - (n % 8);
    let q = lo;
    for (; q < hi && pos[q] < body; q++) {
      const j = (pos[q] - start) % 8;
      r[j] = f(r[j] + val[q]);
    }
    let res = f(f(f(r[0] + r[1]) + f(r[2] + r[3])) + f(f(r[4] + r[5]) + f(r[6] + r[7])));
    for (; q < hi; q++) res = f(res + val[q]);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  const mid = lowerBound(pos, lo, hi, start + half);
  return f(pairwise(val, pos, lo, mid, start, half) + pairwise(val, pos, mid, hi, start + half, n - half));
}

/** The float32 sum numpy gives for an array of `length` zeros but val[q] at pos[q] (pos sorted, distinct). */
export function sparseNumpySum(val: Float32Array, pos: Int32Array, length: number): number {
  let res = 0;
  let lo = 0;
  for (let start = 0; start < length; start += BLOCK) {
    const n = Math.min(BLOCK, length - start);
    const hi = lowerBound(pos, lo, pos.length, start + n);
    const part = pairwise(val, pos, lo, hi, start, n);
    res = start === 0 ? part : f(res + part);
    lo = hi;
  }
  return res;
}
