/**
 * The WFC3/IR NLINFILE (calibration.md §3): NCOEF coefficient images, DQ, NODE (saturation, DN),
 * ZSCI (super-zero read) and ZERR, full-detector size; `offset` places a (sub)array inside it.
 */
export interface NonLinearity {
  nx: number;
  ny: number;
  /** LTV1/LTV2 of the coefficient images (0 when absent). */
  ltv?: [number, number];
  coef: Float32Array[];
  dq: Uint16Array;
  node: Float32Array;
  zsci: Float32Array;
  zerr: Float32Array;
}

/** Index into the NLINFILE arrays of science pixel (i, j) given the science corner offset. */
export function nlinIndex(nlin: NonLinearity, i: number, j: number, offset: [number, number]): number {
  return (j + offset[1]) * nlin.nx + i + offset[0];
}
