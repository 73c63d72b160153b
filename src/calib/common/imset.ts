/**
 * An image set (imset): one chip's SCI (float32), ERR (float32) and DQ (16 flag bits) arrays, row-major
 * with x (NAXIS1) varying fastest, plus the geometry keywords that place it on the detector.
 */
export interface Geometry {
  /** LTV1, LTV2: offset of the science pixels from the detector origin (negative for subarrays). */
  ltv: [number, number];
  /** LTM1_1, LTM2_2: 1 / binning factor. */
  ltm: [number, number];
}

export interface ImageSet {
  nx: number;
  ny: number;
  sci: Float32Array;
  err: Float32Array;
  /** Unsigned view of the int16 DQ array, so that bits 16384 and 32768 are plain bits. */
  dq: Uint16Array;
  geometry: Geometry;
  /** CCDCHIP of the SCI extension (1 when absent). */
  chip: number;
}

export const UNBINNED: Geometry = { ltv: [0, 0], ltm: [1, 1] };

export function createImageSet(nx: number, ny: number, init: Partial<Omit<ImageSet, "nx" | "ny">> = {}): ImageSet {
  const n = nx * ny;
  const set: ImageSet = {
    nx,
    ny,
    sci: init.sci ?? new Float32Array(n),
    err: init.err ?? new Float32Array(n),
    dq: init.dq ?? new Uint16Array(n),
    geometry: init.geometry ?? { ltv: [0, 0], ltm: [1, 1] },
    chip: init.chip ?? 1,
  };
  for (const [name, array] of [
    ["SCI", set.sci],
    ["ERR", set.err],
    ["DQ", set.dq],
  ] as const) {
    if (array.length !== n) throw new RangeError(`${name} has ${array.length} pixels, ${nx}x${ny} needs ${n}`);
  }
  return set;
}

/**
 * The first nx × ny pixels of `set`'s arrays as an image set of that size (no copy): the result of a trim
 * done in place, where each kept row was moved to a lower index of the same arrays.
 */
export function leadingImageSet(set: ImageSet, nx: number, ny: number, geometry: Geometry): ImageSet {
  const n = nx * ny;
  const { sci, err, dq, chip } = set;
  return createImageSet(nx, ny, {
    sci: sci.subarray(0, n),
    err: err.subarray(0, n),
    dq: dq.subarray(0, n),
    geometry,
    chip,
  });
}

/** The unsigned DQ view of an int16 array read from a file (no copy). */
export function dqView(dq: Int16Array | Uint16Array): Uint16Array {
  return dq instanceof Uint16Array ? dq : new Uint16Array(dq.buffer, dq.byteOffset, dq.length);
}

/** A rectangle of a (reference) image set: the pixels x0..x0+nx-1, y0..y0+ny-1 of `set`. */
export interface Section {
  set: ImageSet;
  x0: number;
  y0: number;
}

export function wholeSection(set: ImageSet): Section {
  return { set, x0: 0, y0: 0 };
}
