/** What every drizzle kernel reads and updates (cdrizzle's driz_param_t), and the weighted-mean update itself. */
import { f32 } from "./c-math.js";
import { imageOverlap, lineOverlap, type OverlapRequest, requireValidPixel } from "./overlap.js";
import type { DrizzleFrame, PixelMap } from "./types.js";

export interface KernelState {
  data: Float32Array;
  /** Input weights, or undefined for all ones. */
  weights: Float32Array | undefined;
  map: PixelMap;
  frame: DrizzleFrame;
  /** The context plane of this input (a view into frame.ctx) and its bit. */
  ctx: Int32Array;
  bit: number;
  scale: number;
  pixfrac: number;
  /** float, as cdrizzle's weight_scale. */
  weightScale: number;
  /** 1 / exposure time for counts input, 1 for count rates (float). */
  unitScale: number;
  overlap: OverlapRequest;
  /** Output rows [rowMin, rowMax) this call may write (all by default; a band when workers share the frame). */
  rowMin: number;
  rowMax: number;
  nmiss: number;
  nskip: number;
}

/**
 * Adds value d with weight dow to output pixel k: the running weighted mean in float as cdrizzle's update_data
 * computes it (products and sum in float, the division in double, the result stored as float).
 */
export function accumulate(frame: DrizzleFrame, k: number, d: number, dow: number): void {
  if (dow === 0) return;
  const wht = frame.wht;
  const vc = wht[k];
  const sum = f32(vc + dow);
  if (vc === 0) frame.sci[k] = d;
  else frame.sci[k] = f32(f32(frame.sci[k] * vc) + f32(dow * d)) / sum;
  wht[k] = sum;
}

/** The input value of pixel k, in count rate, times the scale factor squared (float, as cdrizzle). */
export function inputValue(s: KernelState, k: number, scale2: number): number {
  return f32(f32(s.data[k] * s.unitScale) * scale2);
}

/** The input weight of pixel k (1 without weights) times the weight scale: a float product in cdrizzle. */
export function inputWeight(s: KernelState, k: number): number {
  return s.weights ? f32(s.weights[k] * s.weightScale) : s.weightScale;
}

/**
 * Runs `pixels` over each input line that may land on the output, with the pixel range to visit, and keeps
 * cdrizzle's nmiss/nskip counts of the pixels and lines that land nowhere. With the map read as python drizzle
 * 1.13.4 reads it, its overlap search chooses the lines and ranges (it finds none when the output lies inside the
 * input's footprint, dropping the whole input: fixed upstream in 1.14); otherwise every line and pixel of the box.
 */
export function forEachLine(s: KernelState, pixels: (j: number, x0: number, x1: number) => void): void {
  const o = s.overlap;
  const width = o.xmax - o.xmin;
  if (s.map.interpolation !== "drizzle-1.13.4") {
    requireValidPixel(o);
    s.nmiss = 0;
    s.nskip = 0;
    for (let j = o.ymin; j < o.ymax; j++) {
      const before = s.nmiss;
      pixels(j, o.xmin, o.xmax);
      if (s.nmiss - before === width) s.nskip++;
    }
    return;
  }
  const [y0, y1] = imageOverlap(o);
  s.nskip = o.ymax - o.ymin - (y1 - y0);
  s.nmiss = s.nskip * width;
  for (let j = y0; j < y1; j++) {
    const [x0, x1] = lineOverlap(o, j);
    s.nmiss += width - (x1 - x0);
    if (x0 === x1) s.nskip++;
    pixels(j, x0, x1);
  }
}
