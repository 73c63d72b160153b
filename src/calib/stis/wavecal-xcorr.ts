/**
 * calstis4's shift in the dispersion direction for first-order (2-D rectified) wavecals: the rows of the WCPTAB
 * section averaged into a 1-D spectrum (serious-DQ pixels left out), its median subtracted and negatives cut
 * to zero; the LAMPTAB spectrum integrated over each image pixel's wavelength span, boxcar-smoothed by the slit
 * width, zeroed where the data are flagged (and 10 pixels more); the two cross-correlated over WL_RANGE lags and
 * the peak found by a parabola through its three highest points. The shift is in image pixels, positive when
 * the data lie at larger pixels than the lamp template. Algorithms as in hstcal's cs4 WaveShift, XCWave,
 * SumSpec, ConvSlit, ChopTemplate, XCPeak, CrossCorr4, PeakQuad3 and GetLamp (BSD-3-Clause, AURA).
 */

export interface LampSpectrum {
  /** Wavelengths of the LAMPTAB elements (their centres), Å. */
  wavelength: ArrayLike<number>;
  flux: ArrayLike<number>;
}

export interface RectifiedImset {
  nx: number;
  ny: number;
  sci: ArrayLike<number>;
  dq: ArrayLike<number>;
}

export interface DispersionShiftInput {
  /** Zero-indexed first and last columns and rows to use (cs4 ScaleTrim of WL_TRIM1/WL_TRIM2). */
  columns: [number, number];
  rows: [number, number];
  /** The wavelength WCS of the rectified image, zero-indexed: λ = crval + (x − crpix) · cdelt. */
  crpix: number;
  crval: number;
  cdelt: number;
  /** The slit's width along the dispersion, in image pixels. */
  slitWidth: number;
  /** WCPTAB WL_RANGE: how many lags are correlated (made odd, at least 3, at most half the width). */
  wlRange: number;
  /** Serious DQ flags (calstis4 uses 32767). */
  sdqflags: number;
}

const NARROW_SLIT = 3;
const CHOP_EXTRA = 10;
const MIN_RANGE = 3;

/** The lamp's pixel edges: midpoints between the element wavelengths, half a step beyond each end (GetLamp). */
export function lampEdges(wavelength: ArrayLike<number>): Float64Array {
  const n = wavelength.length;
  const edges = new Float64Array(n + 1);
  edges[0] = wavelength[0] - (wavelength[1] - wavelength[0]) / 2;
  for (let j = 1; j < n; j++) edges[j] = (wavelength[j - 1] + wavelength[j]) / 2;
  edges[n] = wavelength[n - 1] + (wavelength[n - 1] - wavelength[n - 2]) / 2;
  return edges;
}

/** The element of `edges` holding λ: −1 below, n + 1 above (FindWL; a plain search gives the same index). */
export function lampElement(lambda: number, edges: Float64Array, n: number, start: number): number {
  if (lambda < edges[0]) return -1;
  if (lambda > edges[n]) return n + 1;
  if (n === 1 || lambda === edges[0]) return 0;
  if (start >= 0 && start <= n && lambda > edges[start]) {
    let i = start;
    for (; i < n; i++) if (lambda > edges[i] && lambda <= edges[i + 1]) break;
    return i;
  }
  // BinarySearch over n + 1 edges
  if (lambda >= edges[n]) return n + 1;
  let low = 0;
  let high = n;
  while (high - low > 1) {
    const k = (low + high) >> 1;
    if (lambda < edges[k]) high = k;
    else low = k;
  }
  return low;
}

/** The lamp spectrum integrated over each image pixel (SumSpec, rectified case). */
export function lampTemplate(lamp: LampSpectrum, nwl: number, crpix: number, crval: number, cdelt: number) {
  const edges = lampEdges(lamp.wavelength);
  const n = lamp.flux.length;
  const at = (pixel: number) => crval + (pixel - crpix) * cdelt;
  const t = new Float64Array(nwl);
  let left = at(-0.5);
  let right = at(0.5);
  let jl = lampElement(left, edges, n, -1);
  let jr = jl;
  for (let i = 0; i < nwl; i++) {
    jr = lampElement(right, edges, n, jr);
    if (jr >= n) break;
    if (jl >= 0) {
      if (jl === jr) t[i] = lamp.flux[jl] * (right - left);
      else {
        let sum = lamp.flux[jl] * (edges[jl + 1] - left);
        for (let j = jl + 1; j < jr; j++) sum += lamp.flux[j] * (edges[j + 1] - edges[j]);
        t[i] = sum + lamp.flux[jr] * (right - edges[jr]);
      }
    }
    jl = jr;
    left = right;
    right = at(i + 1.5);
  }
  return t;
}

/** Boxcar of the slit width (odd, truncated), in place; narrower than 3 pixels leaves it (ConvSlit). */
export function convolveWithSlit(t: Float64Array, slitWidth: number): void {
  let width = Math.trunc(slitWidth);
  if (width % 2 === 0) width++;
  if (width < NARROW_SLIT) return;
  const half = width >> 1;
  const buf = new Float64Array(t.length + 2 * half);
  buf.set(t, half);
  let sum = 0;
  for (let i = 0; i < width; i++) sum += buf[i];
  t[0] = sum / width;
  for (let j = 1; j < t.length; j++) {
    const i = j + half;
    sum += buf[i + half] - buf[i - half - 1];
    t[j] = sum / width;
  }
}

function median(values: Float64Array): number {
  const n = values.length;
  if (n < 1) return 0;
  if (n === 1) return values[0];
  if (n === 2) return (values[0] + values[1]) / 2;
  const s = Float64Array.from(values).sort();
  const i = n >> 1;
  return n % 2 === 0 ? (s[i - 1] + s[i]) / 2 : s[i];
}

/** The observed 1-D spectrum and its flags (WaveShift). */
export function collapseRows(image: RectifiedImset, o: DispersionShiftInput) {
  const v = new Float64Array(image.nx);
  const q = new Int32Array(image.nx).fill(o.sdqflags);
  for (let i = o.columns[0]; i <= o.columns[1]; i++) {
    let good = 0;
    for (let j = o.rows[0]; j <= o.rows[1]; j++) {
      if (image.dq[j * image.nx + i] & o.sdqflags) continue;
      v[i] += image.sci[j * image.nx + i];
      good++;
    }
    if (good > 0) {
      v[i] /= good;
      q[i] = 0;
    }
  }
  const m = median(v);
  for (let i = 0; i < v.length; i++) v[i] = v[i] < m ? 0 : v[i] - m;
  return { v, q };
}

/** Zeroes the template where the data are flagged at the ends, and CHOP_EXTRA more (ChopTemplate). */
function chopTemplate(t: Float64Array, q: Int32Array, sdqflags: number): void {
  const n = t.length;
  let first = 0;
  for (let i = 0; i < n; i++)
    if (!(q[i] & sdqflags)) {
      first = i;
      break;
    }
  let last = n - 1;
  for (let i = n - 1; i >= 0; i--)
    if (!(q[i] & sdqflags)) {
      last = i;
      break;
    }
  first += CHOP_EXTRA;
  last -= CHOP_EXTRA;
  if (first >= n || last < 0) return;
  t.fill(0, 0, first);
  t.fill(0, last + 1);
}

/** The shift in image pixels, or undefined when the data have no good pixel or the peak is at a lag's end. */
export function dispersionShift(
  image: RectifiedImset,
  lamp: LampSpectrum,
  o: DispersionShiftInput,
): number | undefined {
  const nwl = image.nx;
  if (nwl <= 0) return undefined;
  let range = Math.min(o.wlRange, Math.trunc(nwl / 2));
  range = Math.max(range, MIN_RANGE);
  if (range % 2 === 0) range++;
  const { v, q } = collapseRows(image, o);
  const t = lampTemplate(lamp, nwl, o.crpix, o.crval, o.cdelt);
  convolveWithSlit(t, o.slitWidth);
  chopTemplate(t, q, o.sdqflags);
  // CrossCorr4: the data's good pixels against the template shifted by each lag
  const skip = (range - 1) / 2;
  const x = new Float64Array(nwl);
  let good = 0;
  for (let i = skip; i < nwl - skip; i++)
    if (!(q[i] & o.sdqflags)) {
      x[i] = v[i];
      good++;
    }
  if (good === 0 || range > nwl) return undefined;
  const xc = new Float64Array(range);
  for (let j = 0; j < range; j++) {
    let sum = 0;
    for (let i = skip; i < nwl - skip; i++) sum += x[i] * t[i + skip - j];
    xc[j] = sum;
  }
  let imax = 0;
  for (let i = 1; i < range; i++) if (xc[i] > xc[imax]) imax = i;
  if (imax === 0 || imax === range - 1) return undefined;
  const [y0, y1, y2] = [xc[imax - 1], xc[imax], xc[imax + 1]];
  const denominator = y0 - 2 * y1 + y2;
  if (denominator === 0) return undefined;
  const peak = (y0 - y2) / (2 * denominator);
  return peak + imax - skip;
}
