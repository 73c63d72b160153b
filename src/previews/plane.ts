import type { ScaleLimits } from "./autoscale.js";

/** A single-precision image, row 0 = FITS row 1; NaN = blank. `masked` pixels are kept out of the scale. */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
  masked?: Uint8Array;
  /** dataRange(data, masked), when the reader has already measured it. */
  range?: ScaleLimits;
}
