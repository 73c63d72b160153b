/**
 * MedianFloat (hstcal's median of a float array) without the full sort: the middle value(s) found by
 * selection in O(n) instead of O(n log n). The result is the sorted array's, so it equals the sort's value.
 */
const f = Math.fround;

/** Rearranges `a` so that a[k] is its k-th smallest value, with no larger one before it (NaN-free input). */
function selectInPlace(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const swap = (i: number, j: number) => {
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  };
  for (;;) {
    if (hi <= lo + 1) {
      if (hi === lo + 1 && a[hi]! < a[lo]!) swap(lo, hi);
      return a[k]!;
    }
    // median of three as the pivot, kept at lo + 1; a[lo] and a[hi] bound the scans
    swap((lo + hi) >> 1, lo + 1);
    if (a[lo]! > a[hi]!) swap(lo, hi);
    if (a[lo + 1]! > a[hi]!) swap(lo + 1, hi);
    if (a[lo]! > a[lo + 1]!) swap(lo, lo + 1);
    const pivot = a[lo + 1]!;
    let i = lo + 1;
    let j = hi;
    for (;;) {
      do i++;
      while (a[i]! < pivot);
      do j--;
      while (a[j]! > pivot);
      if (j < i) break;
      swap(i, j);
    }
    a[lo + 1] = a[j]!;
    a[j] = pivot;
    if (j >= k) hi = j - 1;
    if (j <= k) lo = i;
  }
}

/** The median of `values` (reordered in place): an even count gives the float mean of the middle two; none, 0. */
export function medianOfFloats(values: Float32Array): number {
  const n = values.length;
  if (n < 1) return 0;
  if (n === 1) return values[0]!;
  if (values.some(Number.isNaN)) {
    // NaN sorts last in a typed array; selection needs a total order, so keep the sort's answer
    values.sort();
  } else {
    selectInPlace(values, n >> 1);
  }
  const half = n >> 1;
  if (n % 2 === 1) return values[half]!;
  let below = values[0]!;
  for (let i = 1; i < half; i++) if (values[i]! > below) below = values[i]!;
  return f(below + values[half]!) / 2;
}
