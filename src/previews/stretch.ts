/**
 * fitscut's `--asinh-scale` and byte conversion for one channel: t = (x − min)/(max − min),
 * y = asinh(3t)/3 capped at 1, grey = (unsigned char) clip(255·y/0.7, 0, 255), blank pixels white.
 * Single-precision steps are rounded where fitscut stores to float. The grey level is a non-decreasing
 * function of the pixel value, so it is evaluated once per grey level (the 255 thresholds) and each
 * pixel is placed by binary search instead of calling asinh per pixel.
 */
import type { ScaleLimits } from "./autoscale.js";

export const NONLINEARITY = 3;
/** fitscut's "empirical mapping to get comparable contrast": the top of y for 1, 2 and ≥ 3 channels. */
export const ASINH_TOP = [0.7, 0.7, 0.4, 0.33] as const;
export const BLANK_GREY = 255;

/** y = t·asinh(3t)/(3t) with fitscut's cap, for the channels' t values of one pixel (blank: NaN). */
export function asinhWeight(sum: number, largest: number): number {
  let weight = sum !== 0 ? Math.asinh(sum * NONLINEARITY) / (NONLINEARITY * sum) : 1;
  const scaled = largest * weight;
  if (scaled > 1) weight /= scaled;
  return weight;
}

/** The float value fitscut scales one channel's pixel to before the asinh (t). */
export function normalised(x: number, limits: ScaleLimits): number {
  return Math.fround((x - limits.min) / (limits.max - limits.min));
}

/** fitscut's scale_row_linear for one value in [0, top]: float multiply, clip, truncate. */
export function toByte(y: number, scale: number): number {
  const t = Math.fround(scale * y);
  // biome-ignore lint/complexity/useMathMinMax: C's MIN macro sends NaN (blank) to 255; Math.min would keep NaN.
  const clipped = t < 255 ? t : 255;
  return clipped > 0 ? Math.trunc(clipped) : 0;
}

export function byteScale(channels: number): number {
  return Math.fround(255 / ASINH_TOP[Math.min(channels, 3)]);
}

/**
 * The grey level of one pixel of a single-channel preview, computed directly. `top` is the y that maps
 * to 255: 0.7 in CALDP's fitscut, 1 in the upstream fitscut (1.4.4) Debian ships.
 */
export function greyLevel(x: number, limits: ScaleLimits, top: number = ASINH_TOP[1]): number {
  if (Number.isNaN(x)) return BLANK_GREY;
  // A constant image gives max = min; fitscut divides by zero there (all NaN, white). Black here.
  const t = limits.max > limits.min ? normalised(x, limits) : 0;
  // Far below the scale t overflows to −∞ and fitscut's arithmetic would give NaN (white): black here.
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const y = Math.fround(t * asinhWeight(t, Math.max(t, 0)));
  return toByte(y, Math.fround(255 / top));
}

/** thresholds[g] = the smallest float x with greyLevel(x) ≥ g, for g = 1…255 (index 0 unused). */
export function greyThresholds(limits: ScaleLimits, top: number = ASINH_TOP[1]): Float64Array {
  const thresholds = new Float64Array(256);
  const lowest = orderedOf(-3.4028234663852886e38);
  const highest = orderedOf(3.4028234663852886e38);
  for (let g = 1; g <= 255; g++) {
    let lo = g === 1 ? lowest : orderedOf(thresholds[g - 1]);
    let hi = highest;
    if (greyLevel(floatOf(hi), limits, top) < g) {
      thresholds[g] = Number.POSITIVE_INFINITY;
      continue;
    }
    if (greyLevel(floatOf(lo), limits, top) >= g) {
      thresholds[g] = floatOf(lo);
      continue;
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (greyLevel(floatOf(mid), limits, top) >= g) hi = mid;
      else lo = mid;
    }
    thresholds[g] = floatOf(hi);
  }
  return thresholds;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Float32 values in order as integers (negative floats reversed), so bisection walks adjacent floats. */
function orderedOf(x: number): number {
  f32[0] = x;
  const bits = i32[0];
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

function floatOf(ordered: number): number {
  i32[0] = ordered < 0 ? -ordered | 0x80000000 : ordered;
  return f32[0];
}

/**
 * The grey picture of a single-channel plane: row 0 of the result is the top of the picture, i.e. the
 * last FITS row (fitscut writes rows from the last to the first). Each pixel's level is read from a
 * bucket table over the thresholds' range and then settled exactly against the thresholds.
 */
export function greyImage(
  data: Float32Array,
  width: number,
  height: number,
  limits: ScaleLimits,
  top: number = ASINH_TOP[1],
): Uint8Array {
  const levels = new LevelTable(greyThresholds(limits, top));
  const out = new Uint8Array(width * height);
  for (let row = 0; row < height; row += ROWS_PER_CALL) {
    levels.convertRows(data, width, height, row, Math.min(height, row + ROWS_PER_CALL), out);
  }
  return out;
}

const BUCKETS = 4096;
const LAST_BUCKET = BUCKETS - 1;
const NAN_BUCKET = BUCKETS;

/**
 * Levels by table: pixels are sorted into BUCKETS buckets by a monotone function of their value, so a
 * threshold in a lower bucket is below every pixel of a higher one. A bucket holding at most one
 * threshold gives the level with one comparison; one holding more is settled by walking the thresholds.
 * The same bucket function places thresholds and pixels, so rounding cannot misplace a pixel.
 */
class LevelTable {
  /** bounds[g] = thresholds[g] for g = 1…255, NaN at 256 so that the walk stops there. */
  private readonly bounds = new Float64Array(257);
  /** Level of the bucket's lowest pixel, or −1 − that level when the bucket holds several thresholds. */
  private readonly base = new Int16Array(BUCKETS + 1);
  /** The one threshold inside the bucket (NaN: none). */
  private readonly inner = new Float32Array(BUCKETS + 1).fill(Number.NaN);
  private readonly low: number;
  private readonly scale: number;
  /** No bucket holds two thresholds (the usual case): the loop needs no walk. */
  private readonly simple: boolean;
  /** `base` as bytes, for the simple loop (every entry is a level then). */
  private readonly levels: Uint8Array;

  constructor(thresholds: Float64Array) {
    const bounds = this.bounds;
    bounds.set(thresholds.subarray(1, 256), 1);
    bounds[256] = Number.NaN;
    let top = 255;
    while (top > 1 && !Number.isFinite(bounds[top])) top--;
    this.low = bounds[1];
    this.scale = bounds[top] > this.low ? (BUCKETS - 1) / (bounds[top] - this.low) : 1;
    const inBucket = new Int32Array(BUCKETS + 1);
    for (let g = 1; g <= 255; g++) {
      const k = this.bucketOf(bounds[g]);
      inBucket[k]++;
      this.inner[k] = bounds[g];
    }
    for (let k = 0, below = 0; k < BUCKETS; k++) {
      this.base[k] = inBucket[k] > 1 ? -1 - below : below;
      if (inBucket[k] !== 1) this.inner[k] = Number.NaN;
      below += inBucket[k];
    }
    this.simple = inBucket.every((n) => n <= 1);
    this.base[NAN_BUCKET] = BLANK_GREY;
    this.inner[NAN_BUCKET] = Number.NaN;
    this.levels = Uint8Array.from(this.base);
  }

  private bucketOf(x: number): number {
    const b = (x - this.low) * this.scale;
    return b >= 0 ? (b < BUCKETS - 1 ? b | 0 : BUCKETS - 1) : b < 0 ? 0 : NAN_BUCKET;
  }

  /** Rows [first, end) of the grey picture (row 0 = last FITS row). */
  convertRows(data: Float32Array, width: number, height: number, first: number, end: number, out: Uint8Array): void {
    if (this.simple) {
      simpleRows(data, width, height, first, end, out, this.levels, this.inner, this.low, this.scale);
    } else {
      for (let row = first; row < end; row++) {
        this.convertAny(data, (height - 1 - row) * width, out, row * width, width);
      }
    }
  }

  private convertAny(data: Float32Array, from: number, out: Uint8Array, to: number, count: number): void {
    const { bounds, base, inner, low, scale } = this;
    const last = LAST_BUCKET;
    for (let i = 0; i < count; i++) {
      const x = data[from + i];
      const b = (x - low) * scale;
      const k = b >= 0 ? (b < last ? b | 0 : last) : b < 0 ? 0 : NAN_BUCKET;
      let g = base[k];
      if (g >= 0) {
        if (x >= inner[k]) g++;
      } else {
        g = -1 - g;
        while (x >= bounds[g + 1]) g++;
      }
      out[to + i] = g;
    }
  }
}

const ROWS_PER_CALL = 16;

function simpleRows(
  data: Float32Array,
  width: number,
  height: number,
  first: number,
  end: number,
  out: Uint8Array,
  levels: Uint8Array,
  inner: Float32Array,
  low: number,
  scale: number,
): void {
  const last = LAST_BUCKET;
  for (let row = first; row < end; row++) {
    const from = (height - 1 - row) * width;
    const to = row * width;
    for (let i = 0; i < width; i++) {
      const x = data[from + i];
      const b = (x - low) * scale;
      const k = b >= 0 ? (b < last ? b | 0 : last) : b < 0 ? 0 : NAN_BUCKET;
      // The comparison as a number (no branch): pixels near a threshold would make a branch unpredictable.
      out[to + i] = levels[k] + +(x >= inner[k]);
    }
  }
}
