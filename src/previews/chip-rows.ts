/**
 * One pass over each row of a chip on its way into the picture: blank pixels (see blanks.ts) become NaN,
 * DQ-flagged pixels are marked, and the minimum and maximum of the pixels that count are kept, so the
 * full-size preview needs no separate passes for them.
 */
import type { PixelArray } from "../fits/index.js";
import type { BlankRule } from "./blanks.js";

export class RowStats {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  flagged = 0;
  /** Pixels made blank (NaN) so far. */
  blanked = 0;
}

export interface RowTarget {
  data: Float32Array;
  /** Set where DQ flags a pixel; needed when `flags` are given. */
  masked?: Uint8Array;
}

/**
 * Copies `count` pixels from src[from…] to target[to…] (they may be the same array and place); the
 * DQ flags of these pixels start at flags.values[flags.from].
 */
export function copyChipRow(
  src: Float32Array,
  from: number,
  target: RowTarget,
  to: number,
  count: number,
  rule: BlankRule,
  stats: RowStats,
  flags?: { values: PixelArray; from: number },
): void {
  // Pixels outside [low, high] are blank; clamping the bounds to the finite floats makes the same two
  // comparisons catch ±Inf and NaN.
  const low = Math.max(rule.low ?? Number.NEGATIVE_INFINITY, -FLOAT_MAX);
  const high = Math.min(rule.high ?? Number.POSITIVE_INFINITY, FLOAT_MAX);
  const { value } = rule;
  if (flags && target.masked) {
    flaggedRow(src, from, target.data, target.masked, to, count, value, low, high, stats, flags.values, flags.from);
  } else plainRow(src, from, target.data, to, count, value, low, high, stats);
}

const FLOAT_MAX = 3.4028234663852886e38;

// In place (src = dst, from = to) a pixel that stays is not stored again.
function plainRow(
  src: Float32Array,
  from: number,
  dst: Float32Array,
  to: number,
  count: number,
  value: number,
  low: number,
  high: number,
  stats: RowStats,
): void {
  let min = stats.min;
  let max = stats.max;
  let blanked = stats.blanked;
  const copy = src !== dst || from !== to;
  for (let i = 0; i < count; i++) {
    const x = src[from + i];
    if (x >= low && x <= high && x !== value) {
      if (copy) dst[to + i] = x;
      if (x < min) min = x;
      if (x > max) max = x;
    } else {
      dst[to + i] = Number.NaN;
      blanked++;
    }
  }
  stats.min = min;
  stats.max = max;
  stats.blanked = blanked;
}

function flaggedRow(
  src: Float32Array,
  from: number,
  dst: Float32Array,
  masked: Uint8Array,
  to: number,
  count: number,
  value: number,
  low: number,
  high: number,
  stats: RowStats,
  flags: PixelArray,
  flagsFrom: number,
): void {
  let min = stats.min;
  let max = stats.max;
  let flagged = stats.flagged;
  let blanked = stats.blanked;
  const copy = src !== dst || from !== to;
  for (let i = 0; i < count; i++) {
    const x = src[from + i];
    const flag = flags[flagsFrom + i];
    if (x >= low && x <= high && x !== value) {
      if (copy) dst[to + i] = x;
      if (flag === 0) {
        if (x < min) min = x;
        if (x > max) max = x;
        continue;
      }
    } else {
      dst[to + i] = Number.NaN;
      blanked++;
    }
    if (flag !== 0) {
      masked[to + i] = 1;
      flagged++;
    }
  }
  stats.min = min;
  stats.max = max;
  stats.flagged = flagged;
  stats.blanked = blanked;
}
