/**
 * A WFC3/IR MultiAccum exposure in memory: every read's SCI, ERR, DQ, SAMP and TIME arrays, ordered from
 * the zeroth read (index 0) to the last read (the file's EXTVER 1 is the last read, calibration.md §1).
 */

export interface MultiAccumRead {
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  samp: ReadPlane<Int16Array>;
  time: ReadPlane<Float32Array>;
  /** SAMPTIME of the read's SCI header (s); reduced by the zeroth read's after ZOFFCORR. */
  samptime: number;
}

/**
 * A read's SAMP or TIME: one value for the whole read, as a raw's constant-value extension gives it (issue 15:
 * 16 reads held 96 MB of them expanded), or one per pixel when the file has them so.
 */
export type ReadPlane<T extends Int16Array | Float32Array> = T | number;

/** The plane's value at pixel k. */
export function planeAt(plane: ReadPlane<Int16Array | Float32Array>, k: number): number {
  return typeof plane === "number" ? plane : plane[k];
}

/** The plane as a new array of n pixels (a copy when it is one already). */
export function expandPlane<T extends Int16Array | Float32Array>(
  plane: ReadPlane<T>,
  n: number,
  Ctor: new (length: number) => T,
): T {
  const out = new Ctor(n);
  if (typeof plane === "number") out.fill(plane);
  else out.set(plane);
  return out;
}

/** The reference-pixel border skipped by most IR steps: columns/rows trimmed at each edge. */
export interface Border {
  x: [number, number];
  y: [number, number];
}

export interface MultiAccum {
  nx: number;
  ny: number;
  /** reads[0] is the zeroth read, reads[reads.length - 1] the last. */
  reads: MultiAccumRead[];
  border: Border;
  /** LTV1/LTV2 of the raw reads (5 for a full frame). */
  ltv: [number, number];
  chip: number;
}

/** Calls f(index) for every pixel inside the reference-pixel border. */
export function forEachSciencePixel(
  m: Pick<MultiAccum, "nx" | "ny" | "border">,
  f: (k: number, i: number, j: number) => void,
): void {
  for (let j = m.border.y[0]; j < m.ny - m.border.y[1]; j++) {
    for (let i = m.border.x[0]; i < m.nx - m.border.x[1]; i++) f(j * m.nx + i, i, j);
  }
}

export function createRead(n: number, samptime = 0): MultiAccumRead & { samp: Int16Array; time: Float32Array } {
  return {
    sci: new Float32Array(n),
    err: new Float32Array(n),
    dq: new Uint16Array(n),
    samp: new Int16Array(n),
    time: new Float32Array(n),
    samptime,
  };
}
