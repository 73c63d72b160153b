/**
 * fitscut's thumbnail geometry (`--output-size=N`): a block average by pixfac = max(W,H) div N that
 * skips blank (NaN) pixels, then a nearest-neighbour resample so the long side is exactly N.
 * Arithmetic follows fitscut's single-precision sums so the thumbnail pixels come out the same.
 */

import { blockAverage } from "./block-average.js";
import type { Plane } from "./plane.js";

export type { Plane } from "./plane.js";

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
  const { pixfac } = geometry;
  const reduced = pixfac > 1 ? blockAverage(plane, pixfac) : plane;
  const { width, height } = geometry.output;
  return width === reduced.width && height === reduced.height ? reduced : nearestResample(reduced, width, height);
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
