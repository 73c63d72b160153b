/**
 * The shapes the drizzle and blot kernels work on: row-major images (x varies fastest) and the pixel map, which
 * gives for each input pixel centre its x,y in the output frame (python drizzle's `pixmap[j, i] = (x, y)`).
 */

export interface PixelMap {
  width: number;
  height: number;
  /** Interleaved x,y per pixel: xy[2 * (j * width + i)] = x, xy[2 * (j * width + i) + 1] = y; NaN = unmapped. */
  xy: Float64Array;
  /**
   * How the map is read between pixel centres (the square kernel's corners, the overlap search): "bilinear"
   * (default; python drizzle ≥ 1.13.5) or "drizzle-1.13.4", the interpolation of python drizzle 1.13.4 (Debian's
   * python3-drizzle), which reads x along the row and y along the column of the floor of the position, and so
   * shifts the square kernel's output by up to half a pixel on rotated frames (fixed upstream in 1.13.5). It also
   * gives lanczos 1.13.4's box, one output pixel low. drizzlepac 3.6.2 (the archive's AstroDrizzle) reads maps and
   * places the lanczos box as the default does: its outputs are bit-identical to the default's.
   */
  interpolation?: PixmapInterpolation;
}

export type PixmapInterpolation = "bilinear" | "drizzle-1.13.4";

export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** The frame drizzle accumulates into: SCI (weighted mean), WHT (sum of weights) and the context bit planes. */
export interface DrizzleFrame {
  width: number;
  height: number;
  sci: Float32Array;
  wht: Float32Array;
  /** planes × height × width; plane p, bit b marks input image 32p + b + 1. */
  ctx: Int32Array;
}

export const DRIZZLE_KERNELS = ["square", "gaussian", "point", "tophat", "turbo", "lanczos2", "lanczos3"] as const;
export type DrizzleKernel = (typeof DRIZZLE_KERNELS)[number];

export const BLOT_INTERPOLATIONS = ["nearest", "linear", "poly3", "poly5", "sinc", "lsinc", "lan3", "lan5"] as const;
export type BlotInterpolation = (typeof BLOT_INTERPOLATIONS)[number];
