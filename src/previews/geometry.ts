/**
 * fitscut's thumbnail geometry (`--output-size=N`): a block average by pixfac = max(W,H) div N that
 * skips blank (NaN) pixels, then a nearest-neighbour resample so the long side is exactly N.
 * Arithmetic follows fitscut's single-precision sums so the thumbnail pixels come out the same.
 */

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

export interface ThumbnailGeometry {
  pixfac: number;
  reduced: { width: number; height: number };
  output: { width: number; height: number };
}

export function thumbnailGeometry(width: number, height: number, size: number): ThumbnailGeometry {
  let pixfac = Math.trunc(Math.max(width, height) / size);
  let reduced = { width, height };
  if (pixfac > 1) {
    reduced = { width: Math.trunc((width - 1) / pixfac) + 1, height: Math.trunc((height - 1) / pixfac) + 1 };
  } else pixfac = 1;
  const output =
    Math.max(reduced.width, reduced.height) === size ? reduced : resampledSize(reduced.width, reduced.height, size);
  return { pixfac, reduced, output };
}

function resampledSize(width: number, height: number, size: number): { width: number; height: number } {
  if (width > height) return { width: size, height: Math.max(1, Math.round((size / width) * height)) };
  return { width: Math.max(1, Math.round((size / height) * width)), height: size };
}

/** The preview plane for an output size (≤ 0: full size, unchanged). */
export function resizeForPreview(plane: Plane, size: number): Plane {
  if (size <= 0) return plane;
  const geometry = thumbnailGeometry(plane.width, plane.height, size);
  const reduced = geometry.pixfac > 1 ? blockAverage(plane, geometry.pixfac) : plane;
  const { width, height } = geometry.output;
  return width === reduced.width && height === reduced.height ? reduced : nearestResample(reduced, width, height);
}

/**
 * Mean of each pixfac × pixfac block over its non-blank pixels (NaN when there are none). With a mask,
 * masked pixels count only in blocks that have no unmasked pixel, and such blocks stay masked. Sums
 * are single precision and taken row by row, left to right, as fitscut adds them.
 */
export function blockAverage(plane: Plane, pixfac: number): Plane {
  const { width, height, data, masked } = plane;
  const outWidth = Math.trunc((width - 1) / pixfac) + 1;
  const outHeight = Math.trunc((height - 1) / pixfac) + 1;
  const out = new Float32Array(outWidth * outHeight);
  const sums = new BlockSums(outWidth);
  const maskedSums = masked ? new BlockSums(outWidth) : undefined;
  const outMasked = masked ? new Uint8Array(outWidth * outHeight) : undefined;
  for (let y = 0; y < outHeight; y++) {
    sums.clear();
    maskedSums?.clear();
    const rowEnd = Math.min(height, (y + 1) * pixfac);
    for (let j = y * pixfac; j < rowEnd; j++) {
      if (masked && maskedSums) addMaskedRow(data, masked, j * width, width, pixfac, sums, maskedSums);
      else addRow(data, j * width, width, pixfac, sums.sum, sums.count);
    }
    const outBase = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      if (sums.count[x] > 0) out[outBase + x] = sums.sum[x] / sums.count[x];
      else if (maskedSums && maskedSums.count[x] > 0) {
        out[outBase + x] = maskedSums.sum[x] / maskedSums.count[x];
        outMasked![outBase + x] = 1;
      } else out[outBase + x] = Number.NaN;
    }
  }
  return { width: outWidth, height: outHeight, data: out, masked: outMasked };
}

class BlockSums {
  readonly sum: Float32Array;
  readonly count: Int32Array;
  constructor(width: number) {
    this.sum = new Float32Array(width);
    this.count = new Int32Array(width);
  }
  clear(): void {
    this.sum.fill(0);
    this.count.fill(0);
  }
}

function addRow(data: Float32Array, base: number, width: number, pixfac: number, sum: Float32Array, count: Int32Array) {
  for (let x = 0, i = 0; i < width; x++) {
    const end = Math.min(i + pixfac, width);
    let s = sum[x];
    let c = count[x];
    for (; i < end; i++) {
      const v = data[base + i];
      if (!Number.isNaN(v)) {
        s = Math.fround(s + v);
        c++;
      }
    }
    sum[x] = s;
    count[x] = c;
  }
}

function addMaskedRow(
  data: Float32Array,
  masked: Uint8Array,
  base: number,
  width: number,
  pixfac: number,
  clean: BlockSums,
  flagged: BlockSums,
) {
  for (let x = 0, i = 0; i < width; x++) {
    const end = Math.min(i + pixfac, width);
    let s = clean.sum[x];
    let c = clean.count[x];
    let fs = flagged.sum[x];
    let fc = flagged.count[x];
    for (; i < end; i++) {
      const v = data[base + i];
      if (Number.isNaN(v)) continue;
      if (masked[base + i] !== 0) {
        fs = Math.fround(fs + v);
        fc++;
      } else {
        s = Math.fround(s + v);
        c++;
      }
    }
    clean.sum[x] = s;
    clean.count[x] = c;
    flagged.sum[x] = fs;
    flagged.count[x] = fc;
  }
}

/** fitscut's nearest-neighbour resample: source index lround((i + 0.5) / zoom − 0.5). */
export function nearestResample(plane: Plane, width: number, height: number): Plane {
  const zoom = plane.width > plane.height ? width / plane.width : height / plane.height;
  const columns = new Int32Array(width);
  for (let x = 0; x < width; x++) columns[x] = sourceIndex(x, zoom, plane.width);
  const out = new Float32Array(width * height);
  const outMasked = plane.masked ? new Uint8Array(width * height) : undefined;
  for (let y = 0; y < height; y++) {
    const row = sourceIndex(y, zoom, plane.height) * plane.width;
    for (let x = 0; x < width; x++) {
      out[y * width + x] = plane.data[row + columns[x]];
      if (outMasked) outMasked[y * width + x] = plane.masked![row + columns[x]];
    }
  }
  return { width, height, data: out, masked: outMasked };
}

/** lround of a value ≥ −0.5, clamped: fitscut can round one past the last row when lround rounded the size up. */
function sourceIndex(i: number, zoom: number, length: number): number {
  return Math.min(length - 1, Math.max(0, Math.round((i + 0.5) / zoom - 0.5)));
}
