/**
 * Blot: resampling an image back onto another frame (python drizzle 1.13's cdrizzle.tblot). For each output pixel
 * the map gives its position on the source; the source is interpolated there, times exptime / scale².
 */
import { CalibrationError } from "../common/errors.js";
import { poly3, poly5 } from "./blot-poly.js";
import { sinc } from "./blot-sinc.js";
import { f32, lanczosTable } from "./c-math.js";
import { BLOT_INTERPOLATIONS, type BlotInterpolation, type FloatImage, type PixelMap } from "./types.js";

export interface BlotOptions {
  interpolation?: BlotInterpolation;
  /** Source over output pixel scale (default 1): values are divided by scale². */
  scale?: number;
  /** Kernel scale of the lanczos interpolations: their box is 3/kscale pixels (default 1). */
  kscale?: number;
  /** Multiplies every value (python drizzle's `exptime`, the C code's `ef`; default 1). */
  exposureTime?: number;
  /** Value of output pixels whose position falls off the source, and of lanczos near its edge (default 0). */
  missingValue?: number;
  /** Scale of the sinc interpolation's argument (default 1). */
  sinscl?: number;
}

type Interpolator = (img: FloatImage, x: number, y: number) => number;

function invalid(message: string): never {
  throw new CalibrationError("INVALID_VALUE", `blot: ${message}`, { step: "BLOT" });
}

/** Resamples `source` at the positions of `map` (one per output pixel) into a new width×height image. */
export function blot(source: FloatImage, map: PixelMap, options: BlotOptions = {}): Float32Array {
  const interpolation = options.interpolation ?? "poly5";
  if (!BLOT_INTERPOLATIONS.includes(interpolation)) {
    invalid(`unknown interpolation '${interpolation}' (${BLOT_INTERPOLATIONS.join(", ")})`);
  }
  const scale = options.scale ?? 1;
  const kscale = f32(options.kscale ?? 1);
  const ef = f32(options.exposureTime ?? 1);
  const misval = f32(options.missingValue ?? 0);
  if (!(scale > 0)) invalid(`scale must be > 0, not ${scale}`);
  if (!(kscale > 0)) invalid(`kscale must be > 0, not ${options.kscale}`);
  if (!(ef > 0)) invalid(`exposure time must be > 0, not ${options.exposureTime}`);
  if (source.data.length !== source.width * source.height || map.xy.length !== 2 * map.width * map.height) {
    throw new CalibrationError("SIZE_MISMATCH", "blot: the source or pixel map arrays do not match their sizes");
  }
  const interpolate = interpolator(interpolation, kscale, misval, f32(options.sinscl ?? 1));
  const scale2 = f32(scale * scale);
  const out = new Float32Array(map.width * map.height);
  const { width, height } = source;
  let v = 1.0;
  for (let k = 0; k < out.length; k++) {
    const xo = f32(map.xy[2 * k]);
    const yo = f32(map.xy[2 * k + 1]);
    if (Number.isNaN(xo) || Number.isNaN(yo)) {
      const i = k % map.width;
      invalid(`NaN in the pixel map at output pixel [${i}, ${(k - i) / map.width}]`);
    }
    if (xo >= 0.0 && xo < width && yo >= 0.0 && yo < height) {
      v = interpolate(source, xo, yo);
      out[k] = f32(v * ef) / scale2;
    } else out[k] = misval;
  }
  return out;
}

function interpolator(kind: BlotInterpolation, kscale: number, misval: number, sinscl: number): Interpolator {
  switch (kind) {
    case "nearest":
      return nearest;
    case "linear":
      return bilinear;
    case "poly3":
      return poly3;
    case "poly5":
      return poly5;
    case "sinc":
    case "lsinc":
      return (img, x, y) => sinc(img, x, y, sinscl);
    case "lan3":
    case "lan5":
      return lanczos(kind === "lan3" ? 3 : 5, kscale, misval);
  }
}

/** The pixel whose centre is nearest; x + 0.5 past the last column reads on, row-major, as the C code does. */
function nearest(img: FloatImage, x: number, y: number): number {
  const k = Math.trunc(y + 0.5) * img.width + Math.trunc(x + 0.5);
  return k < img.data.length ? img.data[k] : 0;
}

/** Bilinear in float; the last column and row interpolate along the other axis only. */
function bilinear(img: FloatImage, x: number, y: number): number {
  const { width, height, data } = img;
  const nx = Math.trunc(x);
  const ny = Math.trunc(y);
  const k = ny * width + nx;
  const f00 = data[k];
  if (nx === width - 1) {
    if (ny === height - 1) return f00;
    const sy = f32(y - ny);
    return f32(f32(f32(1 - sy) * f00) + f32(sy * data[k + width]));
  }
  if (ny === height - 1) {
    const sx = f32(x - nx);
    return f32(f32(f32(1 - sx) * f00) + f32(sx * data[k + 1]));
  }
  const sx = f32(x - nx);
  const tx = f32(1 - sx);
  const sy = f32(y - ny);
  const ty = f32(1 - sy);
  const a = f32(f32(tx * ty) * f00);
  const b = f32(f32(sx * ty) * data[k + 1]);
  const c = f32(f32(sy * tx) * data[k + width]);
  const d = f32(f32(sx * sy) * data[k + width + 1]);
  return f32(f32(f32(a + b) + c) + d);
}

/** Lanczos over a (2·3/kscale + 1)² box from a 2048-entry table at 0.01 steps; near the edge the missing value. */
function lanczos(order: 3 | 5, kscale: number, misval: number): Interpolator {
  const lut = lanczosTable(order, 2048, 0.01);
  const space = f32(0.01);
  const nbox = Math.trunc(3.0 / kscale);
  return (img, x, y) => {
    const { width, height, data } = img;
    const ixs = Math.trunc(x) - nbox;
    const ixe = Math.trunc(x) + nbox;
    const iys = Math.trunc(y) - nbox;
    const iye = Math.trunc(y) + nbox;
    if (ixs < 0 || ixe >= width || iys < 0 || iye >= height) return misval;
    let sum = 0;
    for (let j = iys; j <= iye; j++) {
      const luty = lut[Math.trunc(Math.abs(f32(f32(y - j) / space)))];
      for (let i = ixs; i <= ixe; i++) {
        const lutx = lut[Math.trunc(Math.abs(f32(f32(x - i) / space)))];
        sum = f32(sum + f32(f32(data[j * width + i] * lutx) * luty));
      }
    }
    return sum;
  };
}
