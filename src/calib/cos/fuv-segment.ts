/**
 * What an FUV segment adds to COS TIME-TAG processing (calcos' setActiveArea, updateGlobrate, filterByPulseHeight,
 * countBadEvents, flagOutsideActiveArea): the BRFTAB's active area, the global count rate of the events in it,
 * PHACORR (events in the active area with PHA below LLT or above ULT flagged 512), the counts of rejected
 * events, and the DQ image's rows and columns outside the active area flagged out of bounds (128).
 */
import { DQ_PIXEL_OUT_OF_BOUNDS, roundHalfEven } from "./dqicorr.js";
import type { CorrtagEvents } from "./events.js";

export const DQ_PHA_OUT_OF_BOUNDS = 512;

/** BRFTAB A_LOW, A_HIGH, A_LEFT, A_RIGHT: inclusive limits of the active area (detector pixels). */
export interface ActiveArea {
  low: number;
  high: number;
  left: number;
  right: number;
}

/** 1 for each event whose (XCORR, YCORR) is within the active area (compared in single precision, as numpy). */
export function activeAreaMask(events: CorrtagEvents, area: ActiveArea): Uint8Array {
  const { xcorr, ycorr } = events;
  const [low, high, left, right] = [area.low, area.high, area.left, area.right].map(Math.fround);
  const mask = new Uint8Array(xcorr.length);
  for (let k = 0; k < mask.length; k++) {
    const x = xcorr[k];
    const y = ycorr[k];
    mask[k] = x > right || x < left || y > high || y < low ? 0 : 1;
  }
  return mask;
}

/** GLOBRT_A/B: events in the active area per second of the events' time span, to 4 decimals. */
export function globalRate(active: Uint8Array, span: number): number {
  if (!(span > 0)) return 0;
  let n = 0;
  for (let k = 0; k < active.length; k++) n += active[k];
  // numpy sums the float32 mask in float32 (exact up to 2^24 events) and divides in double
  const rate = Math.fround(n) / span;
  return roundDecimals(rate, 4);
}

/** Python's round(x, 4) on a double: correctly rounded, half to even on exact ties. */
function roundDecimals(x: number, digits: number): number {
  const scaled = x * 10 ** digits;
  const r = roundHalfEven(scaled);
  return Number.parseFloat((r / 10 ** digits).toFixed(digits));
}

/** PHACORR with the PHATAB's limits; the number of events flagged (NPHA_A/B). */
export function filterByPulseHeight(
  events: CorrtagEvents,
  active: Uint8Array,
  limits: { low: number; high: number },
): number {
  const { pha, dq } = events;
  let flagged = 0;
  for (let k = 0; k < dq.length; k++) {
    if (active[k] && (pha[k] < limits.low || pha[k] > limits.high)) dq[k] |= DQ_PHA_OUT_OF_BOUNDS;
    if (dq[k] & DQ_PHA_OUT_OF_BOUNDS) flagged++;
  }
  return flagged;
}

/** NOUT_A/B of calcos' countBadEvents: the events outside the active area. */
export function eventsOutside(active: Uint8Array): number {
  let inside = 0;
  for (let k = 0; k < active.length; k++) inside += active[k];
  return active.length - inside;
}

/** The least and most Doppler shift of the exposure, pixels (0 and 0 without DOPPCORR). */
export interface DopplerSpan {
  min: number;
  max: number;
}

/** The linear map of TEMPCORR's stim keywords that fuvFlagOutOfBounds applies to the detector's corners. */
export interface StimMap {
  xslope: number;
  xintercept: number;
  yslope: number;
  yintercept: number;
}

const IDENTITY: StimMap = { xslope: 1, xintercept: 0, yslope: 1, yintercept: 0 };

/**
 * fuvFlagOutOfBounds for a full-frame segment without GEOCORR: 128 outside the detector as TEMPCORR's map moves
 * it, shifted by the rounded least Doppler shift and narrowed by the rounded range (calcos' clearSubarray,
 * whose limits are truncated to whole pixels).
 */
/** The range of the wavecal shifts over the exposure (calcos' minmax_shift_dict), pixels. */
export interface WavecalShiftRange {
  min1: number;
  max1: number;
  min2: number;
  max2: number;
}

const NO_SHIFT: WavecalShiftRange = { min1: 0, max1: 0, min2: 0, max2: 0 };

export function flagOutOfBounds(
  dq: Int16Array,
  shape: { nx: number; ny: number; xOffset: number },
  dopp: DopplerSpan,
  stims: StimMap = IDENTITY,
  shift: WavecalShiftRange = NO_SHIFT,
): void {
  const { nx, ny, xOffset } = shape;
  const dx = roundHalfEven(shift.min1 + dopp.min);
  const dy = roundHalfEven(shift.min2);
  const xwidth = roundHalfEven(shift.max1 - shift.min1 + dopp.max - dopp.min);
  const ywidth = roundHalfEven(shift.max2 - shift.min2);
  const { xslope, xintercept, yslope, yintercept } = stims;
  // the corners (0, 0) and (nx − xwidth, ny − ywidth) through the map (the identity without TEMPCORR)
  const [x0, y0] = [xintercept, yintercept];
  const x1 = xintercept + (nx - xwidth - 1) * xslope + 1;
  const y1 = yintercept + (ny - ywidth - 1) * yslope + 1;
  const left = Math.trunc(Math.max(x0 + xOffset - dx, 0));
  const right = Math.trunc(Math.min(x1 + xOffset - dx, nx));
  const bottom = Math.trunc(Math.max(y0 - dy, 0));
  const top = Math.trunc(Math.min(y1 - dy, ny));
  for (let j = 0; j < ny; j++) {
    const rowInside = j >= bottom && j < top;
    for (let i = 0; i < nx; i++) if (!rowInside || i < left || i >= right) dq[j * nx + i] |= DQ_PIXEL_OUT_OF_BOUNDS;
  }
}

/**
 * flagOutsideActiveArea with no wavecal shift: rows below A_LOW and above A_HIGH, columns left of A_LEFT and
 * right of A_RIGHT less the rounded Doppler extremes (the image holds the detector at column `xOffset`).
 */
export function flagOutsideActiveArea(
  dq: Int16Array,
  shape: { nx: number; ny: number; xOffset: number },
  area: ActiveArea,
  dopp: DopplerSpan = { min: 0, max: 0 },
  shift: WavecalShiftRange = NO_SHIFT,
): void {
  const { nx, ny, xOffset } = shape;
  const left = area.left - roundHalfEven(shift.min1) - roundHalfEven(dopp.min) + xOffset;
  const right = area.right - roundHalfEven(shift.max1) - roundHalfEven(dopp.max) + xOffset;
  const [low, high] = [area.low - roundHalfEven(shift.min2), area.high - roundHalfEven(shift.max2)];
  for (let j = 0; j < ny; j++) {
    const rowOut = (low >= 0 && j < low) || (high < ny - 1 && j > high);
    for (let i = 0; i < nx; i++) {
      const out = rowOut || (left >= 0 && i < left) || (right < nx - 1 && i > right);
      if (out) dq[j * nx + i] |= DQ_PIXEL_OUT_OF_BOUNDS;
    }
  }
}
