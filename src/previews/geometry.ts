/**
 * fitscut's thumbnail geometry (`--output-size=N`): a block average by pixfac = max(W,H) div N that
 * skips blank (NaN) pixels, then a nearest-neighbour resample so the long side is exactly N.
 * Arithmetic follows fitscut's single-precision sums so the thumbnail pixels come out the same.
 */

/** A single-precision image, row 0 = FITS row 1; NaN = blank. `masked` pixels are kept out of the scale. */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
  masked?: Uint8Array;
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
 * masked pixels count only in blocks that have no unmasked pixel, and such blocks stay masked.
 */
export function blockAverage(plane: Plane, pixfac: number): Plane {
  const { width, height, data, masked } = plane;
  const outWidth = Math.trunc((width - 1) / pixfac) + 1;
  const outHeight = Math.trunc((height - 1) / pixfac) + 1;
  const out = new Float32Array(outWidth * outHeight);
  const sum = new Float32Array(outWidth);
  const count = new Int32Array(outWidth);
  const maskedSum = masked ? new Float32Array(outWidth) : undefined;
  const maskedCount = masked ? new Int32Array(outWidth) : undefined;
  const outMasked = masked ? new Uint8Array(outWidth * outHeight) : undefined;
  const columnBlock = new Int32Array(width);
  for (let i = 0; i < width; i++) columnBlock[i] = Math.trunc(i / pixfac);
  for (let y = 0; y < outHeight; y++) {
    sum.fill(0);
    count.fill(0);
    maskedSum?.fill(0);
    maskedCount?.fill(0);
    const rowEnd = Math.min(height, (y + 1) * pixfac);
    for (let j = y * pixfac; j < rowEnd; j++) {
      const base = j * width;
      for (let i = 0; i < width; i++) {
        const v = data[base + i];
        if (Number.isNaN(v)) continue;
        const x = columnBlock[i];
        if (masked?.[base + i] && maskedSum && maskedCount) {
          maskedSum[x] += v;
          maskedCount[x]++;
        } else {
          sum[x] += v;
          count[x]++;
        }
      }
    }
    const outBase = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      if (count[x] > 0) out[outBase + x] = sum[x] / count[x];
      else if (maskedCount && maskedCount[x] > 0) {
        out[outBase + x] = maskedSum![x] / maskedCount[x];
        outMasked![outBase + x] = 1;
      } else out[outBase + x] = Number.NaN;
    }
  }
  return { width: outWidth, height: outHeight, data: out, masked: outMasked };
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
