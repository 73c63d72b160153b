/**
 * Where a flash's wavecal spectra lie across the dispersion (calcos' ttFindNUV and ttFindSpec): per stripe, the
 * flash's good events collapsed along the stripe's slope into a profile over rows, smoothed by a BOX-wide
 * running mean (edges repeated, float32 as scipy's convolve of a float32 profile), its peak within ±XD_RANGE of
 * the WCA's B_SPEC refined by a quadratic, kept when its signal-to-noise against the median is 5 or more; the
 * shift is the mean of the stripes' shifts within HEIGHT/4 of their median.
 */
import { roundHalfEven } from "./dqicorr.js";
import { centerOfQuadratic, fitQuadratic } from "./quadratic.js";

export interface XdStripe {
  stripe: string;
  bSpec: number;
  slope: number;
  height: number;
}

export interface XdResult {
  /** Mean cross-dispersion shift; undefined when no stripe was found. */
  shift2: number | undefined;
  /** Per stripe: its shift (undefined when not found) and location. */
  shifts: Map<string, number | undefined>;
  locations: Map<string, number>;
}

const nint = (x: number) => Math.floor(x + 0.5);

/** calcos' xy_collapse: counts per row of the events with DQ 0, rows taken along the slope. */
export function collapseProfile(
  xi: ArrayLike<number>,
  eta: ArrayLike<number>,
  dq: ArrayLike<number>,
  slope: number,
  length: number,
): Float32Array {
  const profile = new Float64Array(length);
  for (let k = 0; k < xi.length; k++) {
    if (dq[k] !== 0) continue;
    const j = nint(eta[k] - slope * xi[k]);
    if (j >= 0 && j < length) profile[j] += 1;
  }
  return Float32Array.from(profile);
}

/** scipy.ndimage.convolve(profile, ones(box)/box, mode="nearest") on a float32 profile. */
export function boxSmooth(profile: Float32Array, box: number): Float32Array {
  const n = profile.length;
  const weight = 1 / box;
  // convolve flips the kernel; for an even width that moves its centre one pixel
  const origin = (box >> 1) - (box % 2 === 0 ? 1 : 0);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < box; j++) sum += profile[Math.min(n - 1, Math.max(0, i + j - origin))] * weight;
    out[i] = sum;
  }
  return out;
}

/** The shift of one stripe's spectrum from B_SPEC, and where it was found (calcos' ttFindSpec). */
export function findSpectrumRow(
  profile: Float32Array,
  bSpec: number,
  xdRange: number,
  box: number,
): { shift: number | undefined; location: number } {
  const smooth = boxSmooth(profile, box);
  const n = smooth.length;
  let y0 = roundHalfEven(bSpec - xdRange);
  let y1 = roundHalfEven(bSpec + xdRange) + 1;
  if (y0 < 0 || y1 >= n) [y0, y1] = [Math.max(y0, 0), Math.min(y1, n - 1)];
  if (y0 >= y1) return { shift: undefined, location: 0 };
  const order = Array.from({ length: y1 - y0 }, (_, i) => i).sort((a, b) => smooth[y0 + a] - smooth[y0 + b] || a - b);
  let y = y0 + order[order.length - 1];
  const signal = smooth[y];
  let [yMin, yMax] = [y, y];
  while (yMin > 0 && smooth[yMin] === signal) yMin--;
  while (yMax < n && smooth[yMax] === signal) yMax++;
  let location = (yMin + yMax) / 2;
  y = roundHalfEven(location);
  const fitRange = yMax - yMin + box;
  if (fitRange < xdRange) {
    const r1 = Math.min(y - Math.floor(fitRange / 2) + fitRange, n);
    const r0 = r1 - fitRange;
    const center = centerOfQuadratic(fitQuadratic(smooth.subarray(Math.max(r0, 0), r1)));
    if (!center) return { shift: undefined, location: 0 };
    location = center.x + r0;
  }
  const background = smooth[y0 + order[(y1 - y0) >> 1]];
  const sigma = Math.sqrt(signal * box + background * box);
  const snr = sigma > 0 ? ((signal - background) * box) / sigma : 0;
  return { shift: snr >= 5 ? location - bSpec : undefined, location };
}

/** calcos' ttFindNUV over the three stripes of one flash. */
export function findXdShift(
  events: { xi: ArrayLike<number>; eta: ArrayLike<number>; dq: ArrayLike<number> },
  stripes: readonly XdStripe[],
  xdRange: number,
  box: number,
  ny: number,
): XdResult {
  const shifts = new Map<string, number | undefined>();
  const locations = new Map<string, number>();
  if (events.xi.length < 1) {
    for (const s of stripes) [shifts.set(s.stripe, undefined), locations.set(s.stripe, 0)];
    return { shift2: undefined, shifts, locations };
  }
  for (const s of stripes) {
    const profile = collapseProfile(events.xi, events.eta, events.dq, s.slope, ny);
    const r = findSpectrumRow(profile, s.bSpec, xdRange, box);
    shifts.set(s.stripe, r.shift);
    locations.set(s.stripe, r.location);
  }
  const found = [...shifts.values()].filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (found.length === 0) return { shift2: undefined, shifts, locations };
  const median = found[found.length >> 1];
  // calcos' outlier limit is the last stripe's HEIGHT / 4
  const limit = stripes[stripes.length - 1].height / 4;
  const near = found.filter((v) => Math.abs(v - median) < limit);
  return { shift2: near.reduce((t, v) => t + v, 0) / near.length, shifts, locations };
}
