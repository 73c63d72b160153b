/**
 * Which input lines, and which pixels of each line, can land on the output (cdrizzlemap.c's check_image_overlap
 * and check_line_overlap): the map is followed along the edges of the input and clipped by regula falsi against the
 * output frame plus a margin. Ported step by step so the kernels visit exactly the pixels cdrizzle visits.
 */
import { CalibrationError } from "../common/errors.js";
import { badMapPixel, mapPoint } from "./pixmap.js";
import type { PixelMap } from "./types.js";

/** A segment from (p[0], p[1]) to (p[2], p[3]); `invalid` as cdrizzle's (0 valid, ±1 outside/inside). */
interface Segment {
  p: Float64Array;
  invalid: number;
}

function segment(x1: number, y1: number, x2: number, y2: number): Segment {
  return { p: Float64Array.of(x1, y1, x2, y2), invalid: 0 };
}

/** Trims a segment to the first and last rows/columns holding a good value (shrink_segment). */
function shrink(s: Segment, isBad: (i: number, j: number) => boolean): void {
  const p = s.p;
  let imin = Math.trunc(p[2]);
  let jmin = Math.trunc(p[3]);
  for (let j = Math.trunc(p[1]); j < p[3]; j++) {
    for (let i = Math.trunc(p[0]); i < p[2]; i++) {
      if (!isBad(i, j)) {
        if (i < imin) imin = i;
        if (j < jmin) jmin = j;
        break;
      }
    }
  }
  let imax = Math.trunc(p[0]);
  let jmax = Math.trunc(p[1]);
  for (let j = Math.trunc(p[3]); j > p[1]; j--) {
    for (let i = Math.trunc(p[2]); i > p[0]; i--) {
      if (!isBad(i - 1, j - 1)) {
        if (i > imax) imax = i;
        if (j > jmax) jmax = j;
        break;
      }
    }
  }
  p[0] = imin;
  p[1] = jmin;
  p[2] = imax;
  p[3] = jmax;
  s.invalid = imin >= imax || jmin >= jmax ? 1 : 0;
}

function sortSegment(s: Segment, dim: number): void {
  if (s.invalid !== 0 || s.p[dim] <= s.p[2 + dim]) return;
  const p = s.p;
  [p[0], p[2]] = [p[2], p[0]];
  [p[1], p[3]] = [p[3], p[1]];
}

const mapped = new Float64Array(2);

/** Clips the segment, dimension by dimension, to where the map crosses the output limits (clip_bounds). */
function clipBounds(map: PixelMap, limit: Segment, s: Segment): void {
  if (s.invalid) return;
  const p = s.p;
  for (let dim = 0; dim < 2; dim++) {
    for (let end = 0; end < 2; end++) {
      const bound = limit.p[2 * end + dim];
      let side = 0;
      if (!mapPoint(map, p[0], p[1], mapped)) return;
      let a = p[dim];
      let fa = mapped[dim] - bound;
      let xin = p[2];
      let yin = p[3];
      if (!mapPoint(map, xin, yin, mapped)) return;
      let c = p[2 + dim];
      let fc = mapped[dim] - bound;
      if (fa * fc < 0.0) {
        s.invalid = 0;
        let b = 0;
        for (let n = 0; n < 21; n++) {
          b = (fa * c - fc * a) / (fa - fc);
          if (Math.floor(a) === Math.floor(c)) break;
          if (dim === 0) xin = b;
          else yin = b;
          if (!mapPoint(map, xin, yin, mapped)) break;
          const fb = mapped[dim] - bound;
          if (fb * fc > 0.0) {
            c = b;
            fc = fb;
            if (side === -1) fa *= 0.5;
            side = -1;
          } else if (fa * fb > 0.0) {
            a = b;
            fa = fb;
            if (side === 1) fc *= 0.5;
            side = 1;
          } else break;
        }
        p[2 * end + dim] = b;
      } else {
        if (s.invalid === 0) s.invalid = 1;
        s.invalid *= fa > 0.0 ? 1 : -1;
      }
    }
    if (s.invalid > 0) {
      p[2 + dim] = p[dim];
      break;
    }
    s.invalid = 0;
  }
}

export interface OverlapRequest {
  map: PixelMap;
  weights: Float32Array | undefined;
  outWidth: number;
  outHeight: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

const MARGIN = 2;

function outputLimit(r: OverlapRequest): Segment {
  return segment(-MARGIN, -MARGIN, r.outWidth + MARGIN, r.outHeight + MARGIN);
}

/** Refuses a map without one valid (non-NaN) pixel in the input box. */
export function requireValidPixel(r: OverlapRequest): void {
  for (let j = r.ymin; j < r.ymax; j++) for (let i = r.xmin; i < r.xmax; i++) if (!badMapPixel(r.map, i, j)) return;
  throw new CalibrationError("NO_GOOD_DATA", "no valid pixels on the input image's pixel map");
}

/** The input lines [y0, y1) that overlap the output (check_image_overlap). */
export function imageOverlap(r: OverlapRequest): [number, number] {
  const map = r.map;
  const inlimit = segment(r.xmin, r.ymin, r.xmax, r.ymax);
  shrink(inlimit, (i, j) => badMapPixel(map, i, j));
  if (inlimit.invalid === 1)
    throw new CalibrationError("NO_GOOD_DATA", "no valid pixels on the input image's pixel map");
  const limit = outputLimit(r);
  let lo = 0;
  let hi = 0;
  let none = true;
  for (let end = 0; end < 2; end++) {
    const x = inlimit.p[2 * end];
    const s = segment(x, inlimit.p[1], x, inlimit.p[3]);
    clipBounds(map, limit, s);
    sortSegment(s, 1);
    if (s.invalid !== 0) continue;
    const a = Math.floor(s.p[1]);
    const b = Math.ceil(s.p[3]);
    if (none) [lo, hi, none] = [a, b, false];
    else [lo, hi] = [Math.min(lo, a), Math.max(hi, b)];
  }
  if (!(lo >= 0 && hi <= map.height)) {
    throw new CalibrationError("INVALID_VALUE", `input lines ${lo}..${hi} on the output lie outside the input image`);
  }
  return [lo, hi];
}

/** The pixels [x0, x1) of input line j that overlap the output, trimmed of zero weights (check_line_overlap). */
export function lineOverlap(r: OverlapRequest, j: number): [number, number] {
  const s = segment(r.xmin, j, r.xmax, j + 1);
  const map = r.map;
  shrink(s, (i, jj) => badMapPixel(map, i, jj));
  clipBounds(map, outputLimit(r), s);
  sortSegment(s, 0);
  const weights = r.weights;
  const width = map.width;
  if (weights) shrink(s, (i, jj) => weights[jj * width + i] === 0);
  const x0 = Math.floor(s.p[0]);
  const x1 = Math.ceil(s.p[2]);
  if (!(x0 >= 0 && x1 <= width)) {
    throw new CalibrationError("INVALID_VALUE", `input pixels ${x0}..${x1} of line ${j} lie outside the input image`);
  }
  return [x0, x1];
}
