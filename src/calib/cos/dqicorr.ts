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

export function flagEvents(events: CorrtagEvents, regions: readonly BpixRegion[]): void {
  const { xcorr, ycorr, dq } = events;
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
 * The DQ image (ny × nx, the detector at column `xOffset`) for zero wavecal shifts: calcos' updateDQArray for
 * one slice (0, ny) then nuvFlagOutOfBounds, both widened by the Doppler range in the PSA.
 */
export function dqImage(
  regions: readonly BpixRegion[],
  widen: number,
  subarrays: readonly Subarray[],
  shape: { nx: number; ny: number; detectorX: number; xOffset: number },
  doppler: DopplerRange = NO_DOPPLER,
): Int16Array {
  const { nx, ny, xOffset } = shape;
  const dq = new Int16Array(nx * ny);
  // the one slice (0, ny) lies in the PSA when its middle row is below the PSA/WCA boundary
  const shifted = doppler.boundary > 0 && Math.floor(ny / 2) < doppler.boundary;
  const [min, max] = shifted ? [doppler.min, doppler.max] : [0, 0];
  for (const r of regions) {
    let lx = roundHalfEven(r.LX - (0 + max) - widen) + xOffset;
    let ux = roundHalfEven(r.LX + r.DX - 1 - (0 + min) + widen) + xOffset;
    let ly = roundHalfEven(r.LY - widen);
    let uy = roundHalfEven(r.LY + r.DY - 1 + widen);
    if (ux < 0 || lx >= nx || uy < 0 || ly >= ny) continue;
    lx = Math.max(lx, 0);
    ly = Math.max(ly, 0);
    ux = Math.min(ux, nx - 1);
    uy = Math.min(uy, ny - 1);
    for (let j = ly; j <= uy; j++) for (let i = lx; i <= ux; i++) dq[j * nx + i] |= r.DQ;
  }
  const inside = new Uint8Array(nx * ny);
  const used = subarrays.filter((s) => s.xsize > 0 && s.ysize > 0 && Math.max(s.y0, 0) < Math.min(s.y0 + s.ysize, ny));
  // No usable subarray: calcos takes the whole detector, and its first row is the shifted first column
  // (nuvFlagOutOfBounds assigns x0 to y0 there; 0 without Doppler shifts).
  const whole = { x0: 0, y0: -roundHalfEven(0 + min), xsize: shape.detectorX, ysize: ny + roundHalfEven(0 + min) };
  const boxes = used.length > 0 ? used : [whole];
  for (const s of boxes) {
    const x0 = Math.max(s.x0 - roundHalfEven(0 + min) + xOffset, 0);
    const x1 = Math.min(s.x0 + s.xsize - roundHalfEven(0 + max) + xOffset, nx);
    const y0 = Math.max(s.y0, 0);
    const y1 = Math.min(s.y0 + s.ysize, ny);
    for (let j = y0; j < y1; j++) inside.fill(1, j * nx + x0, j * nx + Math.max(x0, x1));
  }
  for (let p = 0; p < dq.length; p++) if (!inside[p]) dq[p] |= DQ_PIXEL_OUT_OF_BOUNDS;
  return dq;
}
