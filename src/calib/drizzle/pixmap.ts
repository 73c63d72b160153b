/**
 * Reading the pixel map at any input position, as cdrizzlemap.c does: the value at a pixel centre, or where that is
 * NaN or the position is not a pixel centre, a linear interpolation of the map from four valid neighbours.
 */
import type { PixelMap } from "./types.js";

/** Scratch for the four (x, y) grid points of an interpolation; reused so the kernels' inner loops allocate nothing. */
const grid = new Int32Array(8);
const partial = new Float64Array(4);

/**
 * Four valid map points on one line through the start pixel along dimension `dim` (0 = x), searched outwards as
 * cdrizzle's interpolation_bounds (0, +1, -1, +2, …, at most ±4, then the next line). False when fewer than four.
 */
function interpolationBounds(map: PixelMap, xin: number, yin: number, dim: number): boolean {
  const size0 = map.width;
  const size1 = map.height;
  let start0 = Math.floor(xin);
  let start1 = Math.floor(yin);
  if (start0 < 0) start0 = 0;
  else if (start0 > size0 - 2) start0 = size0 - 2;
  if (start1 < 0) start1 = 0;
  else if (start1 > size1 - 2) start1 = size1 - 2;
  const xy = map.xy;
  let found = 0;
  for (let side = 0; side < 2; side++) {
    let d = 0;
    while (found < 4) {
      const x = dim === 0 ? start0 + d : start0 + side;
      const y = dim === 0 ? start1 + side : start1 + d;
      const along = dim === 0 ? x : y;
      if (along >= 0 && along < (dim === 0 ? size0 : size1)) {
        if (!Number.isNaN(xy[2 * (y * size0 + x) + dim])) {
          grid[2 * found] = x;
          grid[2 * found + 1] = y;
          found++;
        }
      }
      if (d > 0) d = -d;
      else {
        d = 1 - d;
        if (d > 4) break;
      }
    }
  }
  return found === 4;
}

/** Interpolates the map at (xin, yin) into out[0..1]; false when the map has no valid value there. */
export function interpolatePoint(map: PixelMap, xin: number, yin: number, out: Float64Array): boolean {
  return map.interpolation === "drizzle-1.13.4" ? interpolate1134(map, xin, yin, out) : bilinear(map, xin, yin, out);
}

/** Bilinear interpolation on the unit square of map points around (xin, yin), clamped to the map's edge. */
function bilinear(map: PixelMap, xin: number, yin: number, out: Float64Array): boolean {
  const { width, xy } = map;
  const i0 = Math.min(Math.max(Math.trunc(xin), 0), width - 2);
  const j0 = Math.min(Math.max(Math.trunc(yin), 0), map.height - 2);
  const x = xin - i0;
  const y = yin - j0;
  const x1 = 1.0 - x;
  const y1 = 1.0 - y;
  const k00 = 2 * (j0 * width + i0);
  const k01 = k00 + 2 * width;
  for (let dim = 0; dim < 2; dim++) {
    const v = xy[k00 + dim] * x1 * y1 + xy[k00 + 2 + dim] * x * y1 + xy[k01 + dim] * x1 * y + xy[k01 + 2 + dim] * x * y;
    if (Number.isNaN(v)) return false;
    out[dim] = v;
  }
  return true;
}

/** python drizzle 1.13.4's interpolation (see PixelMap.interpolation). */
function interpolate1134(map: PixelMap, xin: number, yin: number, out: Float64Array): boolean {
  const xy = map.xy;
  const w = map.width;
  for (let dim = 0; dim < 2; dim++) {
    if (!interpolationBounds(map, xin, yin, dim)) return false;
    for (let k = 0; k < 4; k++) partial[k] = xy[2 * (grid[2 * k + 1] * w + grid[2 * k]) + dim];
    const at = dim === 0 ? xin : yin;
    // cdrizzle pairs (0,1) and (2,3), then combines the two with the first pair's fraction.
    for (let n = 4; n > 1; n /= 2) {
      for (let k = 0, m = 0; k < n; k += 2, m++) {
        const a = grid[2 * k + dim];
        const frac = (at - a) / (grid[2 * (k + 1) + dim] - a);
        partial[m] = (1.0 - frac) * partial[k] + frac * partial[k + 1];
      }
    }
    out[dim] = partial[0];
  }
  return true;
}

/** The map at pixel (i, j), interpolated when either coordinate there is NaN (cdrizzle's map_pixel). */
export function mapPixel(map: PixelMap, i: number, j: number, out: Float64Array): boolean {
  const k = 2 * (j * map.width + i);
  const x = map.xy[k];
  const y = map.xy[k + 1];
  if (Number.isNaN(x) || Number.isNaN(y)) return interpolatePoint(map, i, j, out);
  out[0] = x;
  out[1] = y;
  return true;
}

/** The map at any input position: direct at an in-range pixel centre, interpolated elsewhere (map_point). */
export function mapPoint(map: PixelMap, xin: number, yin: number, out: Float64Array): boolean {
  const i = Math.trunc(xin);
  const j = Math.trunc(yin);
  if (i === xin && i >= 0 && i < map.width && j === yin && j >= 0 && j < map.height) return mapPixel(map, i, j, out);
  return interpolatePoint(map, xin, yin, out);
}

/** True when the map at pixel (i, j) has a NaN coordinate; positions off the map count as valid, as in C. */
export function badMapPixel(map: PixelMap, i: number, j: number): boolean {
  if (i < 0 || j < 0 || i >= map.width || j >= map.height) return false;
  const k = 2 * (j * map.width + i);
  return Number.isNaN(map.xy[k]) || Number.isNaN(map.xy[k + 1]);
}
