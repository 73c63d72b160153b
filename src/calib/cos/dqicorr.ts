/**
 * DQICORR for COS TIME-TAG (calcos' doDqicorr, applydq and bindq of ccos): each BPIXTAB region flags the events
 * whose rounded (XCORR, YCORR) falls in it, and the DQ image of the flt/counts (widened by the table's WIDEN,
 * shifted by the wavecal and Doppler ranges: zero while WAVECORR and DOPPCORR are not done), then every pixel
 * outside the exposure's subarrays is flagged out of bounds (128).
 */
import type { CorrtagEvents } from "./events.js";
import { nint } from "./events.js";

export interface BpixRegion {
  LX: number;
  LY: number;
  DX: number;
  DY: number;
  DQ: number;
}

export const DQ_PIXEL_OUT_OF_BOUNDS = 128;
/** calcos' PIXEL_FRACTION: how far a region is widened when the table has no WIDEN keyword. */
export const DEFAULT_WIDEN = 0.25;

/** Regions whose pixel map would exceed this many pixels are tested per event instead. */
const MAX_FLAG_MAP = 1 << 24;

/** The OR of the regions' DQ on every pixel of their bounding box, or undefined when it is empty or too large. */
function flagMap(regions: readonly BpixRegion[]) {
  const spans = regions.map((r) => ({
    x0: Math.ceil(r.LX),
    x1: Math.floor(r.LX + r.DX - 1),
    y0: Math.ceil(r.LY),
    y1: Math.floor(r.LY + r.DY - 1),
    dq: r.DQ,
  }));
  const used = spans.filter((r) => r.x0 <= r.x1 && r.y0 <= r.y1);
  if (used.length === 0) return undefined;
  const x0 = Math.min(...used.map((r) => r.x0));
  const y0 = Math.min(...used.map((r) => r.y0));
  const nx = Math.max(...used.map((r) => r.x1)) - x0 + 1;
  const ny = Math.max(...used.map((r) => r.y1)) - y0 + 1;
  if (!(nx * ny <= MAX_FLAG_MAP)) return undefined;
  const flags = new Int32Array(nx * ny);
  for (const r of used) {
    for (let j = r.y0; j <= r.y1; j++) {
      for (let i = r.x0, at = (j - y0) * nx + r.x0 - x0; i <= r.x1; i++, at++) flags[at] |= r.dq;
    }
  }
  return { x0, y0, nx, ny, flags };
}

export function flagEvents(events: CorrtagEvents, regions: readonly BpixRegion[]): void {
  const { xcorr, ycorr, dq } = events;
  const map = regions.length > 1 ? flagMap(regions) : undefined;
  if (map) {
    const { x0, y0, nx, ny, flags } = map;
    for (let k = 0; k < dq.length; k++) {
      const i = nint(xcorr[k]) - x0;
      const j = nint(ycorr[k]) - y0;
      if (i >= 0 && i < nx && j >= 0 && j < ny) dq[k] |= flags[j * nx + i];
    }
    return;
  }
  for (let k = 0; k < dq.length; k++) {
    const i = nint(xcorr[k]);
    const j = nint(ycorr[k]);
    let flag = dq[k];
    for (const r of regions) {
      if (i >= r.LX && i <= r.LX + r.DX - 1 && j >= r.LY && j <= r.LY + r.DY - 1) flag |= r.DQ;
    }
    dq[k] = flag;
  }
}

/** numpy's round(): half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The extreme Doppler shifts (pixels) during the exposure and the row between the PSA and the WCA, where
 * DOPPCORR is done (calcos' minmaxDoppler, psaWcaBoundary); boundary −10 when it is not.
 */
export interface DopplerRange {
  min: number;
  max: number;
  boundary: number;
}

export const NO_DOPPLER: DopplerRange = { min: 0, max: 0, boundary: -10 };

export interface Subarray {
  x0: number;
  y0: number;
  xsize: number;
  ysize: number;
}

/**
 * Rows [lower, upper) of the detector and the wavecal shifts of their events (calcos' getWavecalOffsets):
 * SHIFT1 = XDOPP − XFULL and SHIFT2 = YCORR − YFULL, least and most.
 */
export interface ShiftSlice {
  lower: number;
  upper: number;
  min1: number;
  max1: number;
  min2: number;
  max2: number;
}

/** The whole detector with no wavecal shift (WAVECORR not done). */
export const unshifted = (ny: number): ShiftSlice[] => [{ lower: 0, upper: ny, min1: 0, max1: 0, min2: 0, max2: 0 }];

const f = Math.fround;

/**
 * The DQ image (ny × nx, the detector at column `xOffset`): calcos' updateDQArray (each BPIXTAB region, per
 * slice, widened by WIDEN and by the slice's shift range, plus the Doppler range in the PSA) then
 * nuvFlagOutOfBounds (128 outside the subarrays, shifted the same way). calcos computes the X limits of the
 * slices outside the PSA in single precision (an int16 column less a float32 shift); so does this.
 */
export function dqImage(
  regions: readonly BpixRegion[],
  widen: number,
  subarrays: readonly Subarray[],
  shape: { nx: number; ny: number; detectorX: number; xOffset: number },
  doppler: DopplerRange = NO_DOPPLER,
  slices: readonly ShiftSlice[] = unshifted(shape.ny),
): Int16Array {
  const dq = regionsDqImage(regions, widen, shape, doppler, slices);
  flagOutsideSubarrays(dq, subarrays, shape, doppler, slices);
  return dq;
}

const inPsa = (sl: ShiftSlice, doppler: DopplerRange) =>
  doppler.boundary > 0 && Math.floor((sl.lower + sl.upper) / 2) < doppler.boundary;

/** calcos' updateDQArray alone: the regions on the DQ image, per slice, widened and shifted. */
export function regionsDqImage(
  regions: readonly BpixRegion[],
  widen: number,
  shape: { nx: number; ny: number; xOffset: number },
  doppler: DopplerRange = NO_DOPPLER,
  slices: readonly ShiftSlice[] = unshifted(shape.ny),
): Int16Array {
  const { nx, ny, xOffset } = shape;
  const dq = new Int16Array(nx * ny);
  const sorted = [...slices].sort((a, b) => a.lower - b.lower || a.upper - b.upper);
  for (const sl of sorted) {
    const psa = inPsa(sl, doppler);
    const top = Math.min(roundHalfEven(sl.upper - sl.min2), ny);
    const bottom = Math.max(roundHalfEven(sl.lower - sl.max2), 0);
    if (top < 0 || bottom >= ny) continue;
    for (const r of regions) {
      const ux0 = r.LX + r.DX - 1;
      let lx =
        (psa ? roundHalfEven(r.LX - (sl.max1 + doppler.max) - widen) : roundHalfEven(f(f(r.LX - sl.max1) - widen))) +
        xOffset;
      let ux =
        (psa ? roundHalfEven(ux0 - (sl.min1 + doppler.min) + widen) : roundHalfEven(f(f(ux0 - sl.min1) + widen))) +
        xOffset;
      let ly = roundHalfEven(r.LY - sl.max2 - widen);
      let uy = roundHalfEven(r.LY + r.DY - 1 - sl.min2 + widen);
      // bindq on the slice's rows: regions outside them are skipped, the others cut at its edges
      if (ux < 0 || lx >= nx || uy < bottom || ly >= top) continue;
      lx = Math.max(lx, 0);
      ly = Math.max(ly, bottom);
      ux = Math.min(ux, nx - 1);
      uy = Math.min(uy, top - 1);
      for (let j = ly; j <= uy; j++) for (let i = lx; i <= ux; i++) dq[j * nx + i] |= r.DQ;
    }
  }
  return dq;
}

/** nuvFlagOutOfBounds: 128 outside the subarrays (the whole detector when there are none), shifted likewise. */
function flagOutsideSubarrays(
  dq: Int16Array,
  subarrays: readonly Subarray[],
  shape: { nx: number; ny: number; detectorX: number; xOffset: number },
  doppler: DopplerRange,
  slices: readonly ShiftSlice[],
): void {
  const { nx, ny, xOffset } = shape;
  const inside = new Uint8Array(nx * ny);
  for (const sl of slices) {
    const psa = inPsa(sl, doppler);
    const min = psa ? sl.min1 + doppler.min : sl.min1;
    const max = psa ? sl.max1 + doppler.max : sl.max1;
    const boxes: { x0: number; x1: number; y0: number; y1: number }[] = [];
    for (const s of subarrays) {
      if (s.xsize <= 0 || s.ysize <= 0) continue;
      const y0 = Math.max(s.y0, sl.lower);
      const y1 = Math.min(s.y0 + s.ysize, sl.upper);
      if (y0 >= y1) continue;
      const x0 = s.x0 - roundHalfEven(min);
      const x1 = s.x0 + s.xsize - roundHalfEven(max);
      boxes.push({ x0, x1, y0: y0 - roundHalfEven(sl.min2), y1: y1 - roundHalfEven(sl.max2) });
    }
    if (boxes.length === 0) {
      // calcos takes the whole detector, and assigns the shifted first column to the first row too
      const x0 = -roundHalfEven(min);
      boxes.push({ x0, x1: shape.detectorX - roundHalfEven(max), y0: x0, y1: sl.upper - roundHalfEven(sl.max2) });
    }
    for (const b of boxes) {
      const x0 = Math.max(b.x0 + xOffset, 0);
      const x1 = Math.min(b.x1 + xOffset, nx);
      for (let j = Math.max(b.y0, 0); j < Math.min(b.y1, ny); j++) {
        inside.fill(1, j * nx + x0, j * nx + Math.max(x0, x1));
      }
    }
  }
  for (let p = 0; p < dq.length; p++) if (!inside[p]) dq[p] |= DQ_PIXEL_OUT_OF_BOUNDS;
}
