/**
 * The TIMELINE table of a COS TIME-TAG corrtag (calcos' timeline.createTimeline) as far as the exposure itself
 * tells it: one row per second from the first event (TIME), the wavecal shift of NUVB (SHIFT1), and the dark
 * rate per pixel in the XTRACTAB's two background bands (DARKRATE). The airglow lines (Lyα, O I) never fall
 * on the NUV detector, so their columns stay 0, as do HST's position and the Sun's and target's altitudes,
 * which calcos takes from the _spt file (without one it leaves them 0 too).
 */

import { searchTime } from "./deadcorr.js";
import { roundHalfEven } from "./dqicorr.js";
import type { CorrtagEvents } from "./events.js";

const f = Math.fround;

export interface TimelineColumns {
  TIME: Float32Array;
  LONGITUDE: Float32Array;
  LATITUDE: Float32Array;
  SUN_ALT: Float32Array;
  SUN_ZD: Float32Array;
  TARGET_ALT: Float32Array;
  RADIAL_VEL: Float32Array;
  SHIFT1: Float32Array;
  LY_ALPHA: Float32Array;
  OI_1304: Float32Array;
  OI_1356: Float32Array;
  DARKRATE: Float32Array;
}

/** calcos' timelineTimes: first + k seconds (single precision), enough rows to hold the last event. */
export function timelineTimes(first: number, last: number): Float32Array {
  if (!(last - first > 0)) return new Float32Array(1);
  const n = roundHalfEven(f(f(last - first) / 1)) + 1;
  return Float32Array.from({ length: n }, (_, k) => f(first + k));
}

/** Background bands of the XTRACTAB row: centres B_BKG1/B_BKG2 and heights B_HGT1/B_HGT2 (rows). */
export interface DarkBands {
  bBkg1: number;
  bBkg2: number;
  hgt1: number;
  hgt2: number;
}

export function timelineColumns(
  events: CorrtagEvents,
  shift1: number | Float32Array | undefined,
  dark: DarkBands | undefined,
  detectorX: number,
  /** ACCUM: rows from 0 to EXPTIME, and each dark rate the exposure's average (all events have one time). */
  accumExptime?: number,
): TimelineColumns {
  const { time, xfull, yfull } = events;
  const n = time.length;
  const times =
    accumExptime === undefined
      ? timelineTimes(n > 0 ? time[0] : 0, n > 0 ? time[n - 1] : 0)
      : timelineTimes(0, accumExptime);
  const zeros = () => new Float32Array(times.length);
  const columns: TimelineColumns = {
    TIME: times,
    LONGITUDE: zeros(),
    LATITUDE: zeros(),
    SUN_ALT: zeros(),
    SUN_ZD: zeros(),
    TARGET_ALT: zeros(),
    RADIAL_VEL: zeros(),
    SHIFT1: zeros(),
    LY_ALPHA: zeros(),
    OI_1304: zeros(),
    OI_1356: zeros(),
    DARKRATE: zeros(),
  };
  if (typeof shift1 === "number") columns.SHIFT1.fill(f(shift1));
  else if (shift1) columns.SHIFT1.set(shift1.subarray(0, times.length));
  if (!dark || n === 0) return columns;
  const median = shift1 === undefined ? 0 : typeof shift1 === "number" ? f(shift1) : medianOf(shift1);
  const x0 = 0 - median;
  const x1 = detectorX - median;
  const low = [dark.bBkg1 - Math.floor(dark.hgt1 / 2), dark.bBkg2 - Math.floor(dark.hgt2 / 2)].sort((a, b) => a - b);
  const high = [dark.bBkg1 + Math.floor(dark.hgt1 / 2), dark.bBkg2 + Math.floor(dark.hgt2 / 2)].sort((a, b) => a - b);
  const pixels = (x1 - x0) * (high[0] - low[0] + high[1] - low[1]);
  // numpy compares the float32 columns with these limits in single precision
  const [fx0, fx1, l0, l1, h0, h1] = [x0, x1, low[0], low[1], high[0], high[1]].map(f);
  const inBands = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const x = xfull[k];
    const y = yfull[k];
    const outside = x > fx1 || x < fx0 || y > h1 || y < l0 || (y > h0 && y < l1);
    inBands[k] = outside ? 0 : 1;
  }
  if (accumExptime !== undefined && time[n - 1] - time[0] < 1) {
    let count = 0;
    for (let k = 0; k < n; k++) count += inBands[k];
    columns.DARKRATE.fill(f(count / accumExptime) / f(pixels));
    return columns;
  }
  const tfirst = time[0];
  const tlast = time[n - 1];
  for (let i = 0; i < times.length; i++) {
    const t0 = times[i];
    const t1 = t0 + 1;
    if (t1 < tfirst || t0 > tlast) continue;
    const j0 = searchTime(time, t0);
    const j1 = searchTime(time, t1);
    let count = 0;
    for (let k = j0; k < j1; k++) count += inBands[k];
    columns.DARKRATE[i] = f(count) / f(pixels);
  }
  return columns;
}

/** The element calcos takes as the median of SHIFT1 vs time: the sorted array's middle (upper for even lengths). */
const medianOf = (values: Float32Array) => Float32Array.from(values).sort()[values.length >> 1];
