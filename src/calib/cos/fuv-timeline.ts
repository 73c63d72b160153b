/**
 * The airglow columns of an FUV TIMELINE (calcos' createTimeline and findPixelRegion): for Lyα, O I 1304 and
 * O I 1356, the box of ±92 columns and ±30 rows around where the segment's dispersion relation puts the lines
 * (on the PSA's B_SPEC + SLOPE × x), and the events in it per timeline row (count / dt). A line off the segment
 * (with 92 columns of margin) leaves its column 0.
 */
import { searchTime } from "./deadcorr.js";
import { type Dispersion, slopeAt, wavelengthAt } from "./doppcorr.js";
import type { CorrtagEvents } from "./events.js";

export const FUV_AIRGLOW: Record<"LY_ALPHA" | "OI_1304" | "OI_1356", number[]> = {
  LY_ALPHA: [1215.67],
  OI_1304: [1302.2, 1304.9, 1306.0],
  OI_1356: [1355.6, 1358.5],
};
const HALF_WIDTH = 184 / 2;
const HALF_HEIGHT = 60 / 2;

const f = Math.fround;

/** calcos' evalInvDisp: Newton's method from pixel 0 until a step is below `tiny`. */
export function inverseDispersion(d: Dispersion, wavelength: number, tiny = 1e-8): number {
  let x = 0;
  for (let i = 0; i < 1000; i++) {
    const previous = x;
    x += (wavelength - wavelengthAt(d, x)) / slopeAt(d, x);
    if (Math.abs(x - previous) < tiny) return x;
  }
  return x;
}

export interface PixelRegion {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

/** The airglow box of `lines` on a segment of `axisLength` columns, or undefined when they fall off it. */
export function airglowRegion(
  d: Dispersion,
  spectrum: { bSpec: number; slope: number },
  lines: readonly number[],
  axisLength: number,
  medianShift1: number,
): PixelRegion | undefined {
  const minWl = Math.min(...lines);
  const maxWl = Math.max(...lines);
  if (maxWl < wavelengthAt(d, -HALF_WIDTH - medianShift1)) return undefined;
  if (minWl > wavelengthAt(d, axisLength - 1 + HALF_WIDTH - medianShift1)) return undefined;
  const left = inverseDispersion(d, minWl);
  const right = inverseDispersion(d, maxWl);
  const y = spectrum.bSpec + (spectrum.slope * (left + right)) / 2;
  return { y0: y - HALF_HEIGHT, y1: y + HALF_HEIGHT, x0: left - HALF_WIDTH, x1: right + HALF_WIDTH };
}

/** Events of the region (XFULL, YFULL compared in single precision) per second of each timeline row. */
export function regionRates(events: CorrtagEvents, times: Float32Array, region: PixelRegion): Float32Array {
  const { time, xfull, yfull } = events;
  const n = time.length;
  const out = new Float32Array(times.length);
  if (n === 0) return out;
  const [x0, x1, y0, y1] = [region.x0, region.x1, region.y0, region.y1].map(f);
  const inside = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const x = xfull[k];
    const y = yfull[k];
    inside[k] = x > x1 || x < x0 || y > y1 || y < y0 ? 0 : 1;
  }
  const dt = times.length > 1 ? f(times[1] - times[0]) : 1;
  const tfirst = time[0];
  const tlast = time[n - 1];
  for (let i = 0; i < times.length; i++) {
    const t0 = times[i];
    const t1 = f(t0 + dt);
    if (t1 < tfirst || t0 > tlast) continue;
    const j0 = searchTime(time, t0);
    const j1 = searchTime(time, t1);
    let count = 0;
    for (let k = j0; k < j1; k++) count += inside[k];
    out[i] = count / dt;
  }
  return out;
}
