/**
 * Median of double values as hstcal's MedianDouble computes it: no data → 0, an even count → the mean of
 * the two middle values. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
export function medianOfDoubles(values: readonly number[] | Float64Array): number {
  const n = values.length;
  if (n < 1) return 0;
  if (n === 1) return values[0];
  if (n === 2) return (values[0] + values[1]) / 2;
  const sorted = Float64Array.from(values).sort();
  const half = n >> 1;
  return n % 2 === 0 ? (sorted[half - 1] + sorted[half]) / 2 : sorted[half];
}
