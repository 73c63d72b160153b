/**
 * BOXCAR extraction of one COS spectrum (calcos' extractSegmentBoxcar) from the `_flt` (effective count rate)
 * and `_counts` (count rate) images, dispersion along x: a band of HEIGHT rows centred on B_SPEC + SLOPE × x,
 * two background bands (B_BKG1/2, B_HGT1/2) with their serious-DQ pixels left out, scaled to the band height
 * and boxcar-smoothed over BWIDTH pixels; NET = ε (GROSS − BACKGROUND), the variances and frequentist errors.
 */
import { CalibrationError } from "../common/errors.js";
import { nint } from "./events.js";
import { frequentistErrors } from "./poisson-interval.js";

export interface Image2D<T extends Float32Array | Int16Array> {
  data: T;
  nx: number;
  ny: number;
}

export interface BoxcarRow {
  slope: number;
  bSpec: number;
  height: number;
  bBkg1: number;
  bBkg2: number;
  bHgt1: number;
  bHgt2: number;
  bWidth: number;
}

export interface BoxcarInput {
  flt: Image2D<Float32Array>;
  counts: Image2D<Float32Array>;
  dq: Image2D<Int16Array>;
  row: BoxcarRow;
  xOffset: number;
  /** SHIFT1 of the stripe: where the detector's columns lie in the extended image. */
  shift1: number;
  shift2: number;
  sdqflags: number;
  snrFf: number;
  exptime: number;
  backcorr: boolean;
  /** Columns of the detector (NUV_X) when the image is wider (xOffset > 0). */
  detectorX: number;
}

export interface BoxcarSpectrum {
  net: Float64Array;
  error: Float32Array;
  errorLower: Float32Array;
  varianceFlat: Float64Array;
  varianceCounts: Float64Array;
  varianceBkg: Float64Array;
  gross: Float64Array;
  gcounts: Float64Array;
  background: Float64Array;
  dq: Int16Array;
  dqWgt: Float64Array;
  /** Where the band was extracted, the row at the image's middle column. */
  location: number;
}

/** calcos' extract2DBand: rows nint(intercept − height/2 + slope·i) … + height − 1 of each column i. */
export function extractBand<T extends Float32Array | Int16Array>(
  image: Image2D<T>,
  slope: number,
  intercept: number,
  xOffset: number,
  height: number,
  where: string,
): T[] {
  const { nx, ny, data } = image;
  const b = intercept - slope * xOffset;
  const half = Math.trunc(height / 2);
  const corners = [b - half, b - half + (nx - 1) * slope, b + half, b + half + (nx - 1) * slope].map(nint);
  if (corners[0] < 0 || corners[1] < 0 || corners[2] >= ny || corners[3] >= ny) {
    throw new CalibrationError(
      "INVALID_VALUE",
      `${where}: the band at y = ${intercept} (height ${height}) extends beyond the image`,
    );
  }
  const Ctor = data.constructor as new (n: number) => T;
  const band = Array.from({ length: height }, () => new Ctor(nx));
  for (let i = 0; i < nx; i++) {
    const j0 = nint(b - half + slope * i);
    for (let k = 0; k < height; k++) band[k][i] = data[(j0 + k) * nx + i];
  }
  return band;
}

/** calcos' smoothBackground: a running mean of `width` pixels in float32, unchanged outside the good range. */
export function smoothBackground(data: Float32Array, width: number): void {
  const length = data.length;
  const offset = Math.trunc(width / 2);
  const ext = length + width;
  const scr = new Float32Array(ext);
  const good = new Uint8Array(ext);
  scr.set(data, offset);
  good.fill(1, offset, offset + length);
  if (length === 0) return;
  let sum = 0;
  let ngood = 0;
  for (let i = 0; i < width - 1; i++) {
    if (good[i]) {
      sum += scr[i];
      ngood++;
    }
  }
  for (let i = offset; i < length + offset; i++) {
    const low = i - offset - 1;
    const high = low + width;
    if (high < ext && good[high]) {
      sum += scr[high];
      ngood++;
    }
    if (low >= 0 && good[low]) {
      sum -= scr[low];
      ngood--;
    }
    if (ngood > 0) data[i - offset] = sum / ngood;
  }
}

/** calcos' excludeAllBad: [i, j) narrowed to its first and last columns with a good background pixel. */
function excludeAllBad(good: Float64Array, i: number, j: number): [number, number] {
  let ip = i;
  while (ip < good.length && !(good[ip] > 0)) ip++;
  if (ip >= good.length) ip = i;
  let jp = j - 1;
  while (jp >= ip && !(good[jp] > 0)) jp--;
  if (jp < ip) jp = j;
  return [ip, jp + 1];
}

const columnSums = (band: ArrayLike<number>[], n: number, weight?: (k: number, i: number) => number) => {
  const sums = new Float64Array(n);
  for (let k = 0; k < band.length; k++)
    for (let i = 0; i < n; i++) sums[i] += weight ? Math.fround(band[k][i] * weight(k, i)) : band[k][i];
  return sums;
};

export function boxcarExtract(input: BoxcarInput, where: string): BoxcarSpectrum {
  const { row, xOffset, sdqflags, exptime, flt, counts, dq } = input;
  const n = flt.nx;
  const { slope, height } = row;
  const bSpec = row.bSpec + input.shift2;
  const location = bSpec + slope * (Math.trunc(n / 2) - xOffset);
  const dqBand = extractBand(dq, slope, bSpec, xOffset, height, where);
  const dqOut = new Int16Array(n);
  const dqWgt = new Float64Array(n).fill(1);
  for (const line of dqBand) {
    for (let i = 0; i < n; i++) {
      dqOut[i] |= line[i];
      if ((line[i] & sdqflags) !== 0) dqWgt[i] = 0;
    }
  }
  const e = columnSums(extractBand(flt, slope, bSpec, xOffset, height, where), n);
  const gross = columnSums(extractBand(counts, slope, bSpec, xOffset, height, where), n);
  const gcounts = gross.map((g) => g * exptime);
  const eps = e.map((v, i) => (v === 0 ? 1 : v / (gross[i] <= 0 ? 1 : gross[i])));
  const bkgNorm = height / (row.bHgt1 + row.bHgt2);
  let background = new Float64Array(n);
  if (input.backcorr) {
    const bands = [
      [row.bBkg1 + input.shift2, row.bHgt1],
      [row.bBkg2 + input.shift2, row.bHgt2],
    ];
    const original = new Float64Array(n);
    const good = new Float64Array(n);
    background = new Float64Array(n);
    for (const [center, h] of bands) {
      const c = extractBand(counts, slope, center, xOffset, h, where);
      const d = extractBand(dq, slope, center, xOffset, h, where);
      const isGood = (k: number, i: number) => ((d[k][i] & sdqflags) !== 0 ? 0 : 1);
      const all = columnSums(c, n);
      const kept = columnSums(c, n, isGood);
      for (let i = 0; i < n; i++) {
        original[i] += all[i];
        background[i] += kept[i];
        for (let k = 0; k < h; k++) good[i] += isGood(k, i);
      }
    }
    for (let i = 0; i < n; i++) {
      const scaled = ((background[i] * (row.bHgt1 + row.bHgt2)) / (good[i] > 0 ? good[i] : 1)) * bkgNorm;
      background[i] = good[i] > 0 ? scaled : original[i] * bkgNorm;
    }
    let [i, j] = [0, n];
    if (xOffset > 0) {
      i = Math.max(Math.round(xOffset - input.shift1), 0);
      j = Math.min(i + input.detectorX, n);
    }
    [i, j] = excludeAllBad(good, i, j);
    const smoothed = Float32Array.from(background.subarray(i, j));
    smoothBackground(smoothed, row.bWidth);
    background.set(smoothed, i);
  }
  const net = eps.map((v, i) => v * (gross[i] - background[i]));
  const flatScale = input.snrFf > 0 ? exptime / (height * input.snrFf) : 0;
  const varianceFlat = net.map((v) => (v * flatScale) ** 2);
  const varianceCounts = eps.map((v, i) => v * v * gross[i] * exptime);
  const varianceBkg = eps.map((v, i) => v * v * background[i] * exptime * (bkgNorm / row.bWidth));
  const error = new Float32Array(n);
  const errorLower = new Float32Array(n);
  const t = Math.fround(exptime);
  for (let i = 0; i < n; i++) {
    if (!(exptime > 0)) break;
    const [lower, upper] = frequentistErrors(varianceFlat[i] + varianceCounts[i] + varianceBkg[i]);
    errorLower[i] = lower / t;
    error[i] = upper / t;
  }
  return {
    net,
    error,
    errorLower,
    varianceFlat,
    varianceCounts,
    varianceBkg,
    gross,
    gcounts,
    background,
    dq: dqOut,
    dqWgt,
    location,
  };
}
