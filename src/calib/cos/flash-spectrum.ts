/**
 * One stripe's wavecal spectrum of one flash, extracted from its events (calcos' extractCorrtag with exposure
 * time 1): gross counts in the WCA band moved by the flash's cross-dispersion shift (events with serious DQ left
 * out), the mean EPSILON per column, the background from the two XTRACTAB bands (good pixels of the BPIXTAB
 * image only, smoothed over BWIDTH columns in float32), NET = ε (GROSS − BACKGROUND). Counts, not rates.
 */
import { type BoxcarRow, extractBand, type Image2D, smoothBackground } from "./boxcar.js";

/** calcos' SERIOUS_DQ_FLAGS: burst, bad time, PHA out of bounds. */
const SERIOUS_DQ = 64 | 2048 | 512;
const nint = (x: number) => Math.floor(x + 0.5);

/** The XTRACTAB row of the WCA: the same columns as the PSA's boxcar row. */
export type WcaRow = BoxcarRow;

export interface FlashEvents {
  xi: ArrayLike<number>;
  eta: ArrayLike<number>;
  dq: ArrayLike<number>;
  epsilon: ArrayLike<number>;
}

export interface FlashSpectrum {
  gross: Float64Array;
  net: Float64Array;
  background: Float64Array;
}

/** calcos' xy_extract: per column, the sum of `weight` of the events whose row along the slope is in the band. */
function bandSums(
  e: FlashEvents,
  row: { slope: number; center: number; height: number },
  xOffset: number,
  nx: number,
  options: { dqMask?: number; epsilon?: boolean },
): Float64Array[] {
  const band = Array.from({ length: row.height }, () => new Float64Array(nx));
  const y0 = row.center - Math.trunc(row.height / 2);
  for (let k = 0; k < e.xi.length; k++) {
    if (options.dqMask !== undefined && (e.dq[k] & options.dqMask) !== 0) continue;
    const x = e.xi[k];
    const iz = nint(x) + xOffset;
    if (iz < 0 || iz > nx - 1) continue;
    const j = nint(e.eta[k] - (y0 + row.slope * x));
    if (j >= 0 && j < row.height) band[j][iz] += options.epsilon ? e.epsilon[k] : 1;
  }
  return band;
}

const columnSum = (band: ArrayLike<number>[], nx: number) => {
  const sum = new Float64Array(nx);
  for (const r of band) for (let i = 0; i < nx; i++) sum[i] += r[i];
  return sum;
};

export function extractFlashSpectrum(
  e: FlashEvents,
  row: WcaRow,
  shift2: number,
  dqImage: Image2D<Int16Array>,
  sdqflags: number,
  xOffset: number,
  backcorr: boolean,
  where: string,
): FlashSpectrum {
  const nx = dqImage.nx;
  const center = row.bSpec + shift2;
  const spec = { slope: row.slope, center, height: row.height };
  const eps = columnSum(bandSums(e, spec, xOffset, nx, { dqMask: SERIOUS_DQ, epsilon: true }), nx);
  const gross = columnSum(bandSums(e, spec, xOffset, nx, { dqMask: SERIOUS_DQ }), nx);
  const epsilon = eps.map((v, i) => (v === 0 ? 1 : v / (gross[i] <= 0 ? 1 : gross[i])));
  const background = new Float64Array(nx);
  if (backcorr) {
    const bkgNorm = row.height / (row.bHgt1 + row.bHgt2);
    const sums = new Float64Array(nx);
    const good = new Float64Array(nx);
    for (const [b, h] of [
      [row.bBkg1 + shift2, row.bHgt1],
      [row.bBkg2 + shift2, row.bHgt2],
    ]) {
      const counts = bandSums(e, { slope: row.slope, center: b, height: h }, xOffset, nx, {});
      const dq = extractBand(dqImage, row.slope, b, xOffset, h, where);
      // numpy sums each band over its rows, then adds the two bands' sums
      const c = new Float64Array(nx);
      const g = new Float64Array(nx);
      for (let k = 0; k < h; k++) {
        for (let i = 0; i < nx; i++) {
          if ((dq[k][i] & sdqflags) !== 0) continue;
          c[i] += counts[k][i];
          g[i] += 1;
        }
      }
      for (let i = 0; i < nx; i++) {
        sums[i] += c[i];
        good[i] += g[i];
      }
    }
    for (let i = 0; i < nx; i++) {
      const scaled = ((sums[i] * (row.bHgt1 + row.bHgt2)) / (good[i] > 0 ? good[i] : 1)) * bkgNorm;
      background[i] = good[i] > 0 ? scaled : sums[i] * bkgNorm;
    }
    // calcos smooths the detector's columns of an NUV image, the whole row of an FUV one (X_OFFSET 0)
    const [i, j] = excludeAllBad(good, Math.max(xOffset, 0), xOffset > 0 ? Math.min(xOffset + 1024, nx) : nx);
    const smoothed = Float32Array.from(background.subarray(i, j));
    smoothBackground(smoothed, row.bWidth);
    background.set(smoothed, i);
  }
  const net = gross.map((g, i) => epsilon[i] * (g - background[i]));
  return { gross, net, background };
}

/** [i, j) narrowed to its first and last columns with a good background pixel (calcos' excludeAllBad). */
function excludeAllBad(good: Float64Array, i: number, j: number): [number, number] {
  let ip = i;
  while (ip < good.length && !(good[ip] > 0)) ip++;
  if (ip >= good.length) ip = i;
  let jp = j - 1;
  while (jp >= ip && !(good[jp] > 0)) jp--;
  if (jp < ip) jp = j;
  return [ip, jp + 1];
}
