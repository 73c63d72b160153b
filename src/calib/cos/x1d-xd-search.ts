/**
 * Where the target spectrum lies across the dispersion in an `_flt` image (calcos' xd_search.xdSearch, run by
 * the extraction for SP_OFF_x / SP_ERR_x): a band of SEARCH_Y rows around the nominal row, pixels with any DQ
 * set zeroed, for FUV the columns within MASK_X / 2 of the airglow lines zeroed too, collapsed along the
 * dispersion; the peak of its 3-pixel running mean refined by a quadratic over about a FWHM of rows.
 */
import { extractBand, type Image2D } from "./boxcar.js";
import { roundHalfEven } from "./dqicorr.js";
import { centerOfQuadratic, fitQuadratic } from "./quadratic.js";
import { boxSmooth } from "./xd-search.js";

const MASK_X = 189;
const SEARCH_Y = 91;
const SIGNIFICANTLY_LARGER = 2;
const AIRGLOW_WAVELENGTHS = [1215.67, 1304, 1356];

export interface XdSearchResult {
  /** Offset of the found row from the nominal one (0 when nothing was found). */
  offset: number;
  location: number;
  sigma: number;
  fwhm: number;
}

/** calcos' findPixelNumber: the pixel nearest `wavelength` in an increasing wavelength array. */
export function findPixelNumber(wl: ArrayLike<number>, wavelength: number): number {
  const n = wl.length;
  const dispersion = (wl[n - 1] - wl[0]) / n;
  if (wavelength < wl[0]) return roundHalfEven((wavelength - wl[0]) / dispersion);
  if (wavelength >= wl[n - 1]) return roundHalfEven((wavelength - wl[n - 1]) / dispersion + n - 1);
  let [i0, i1] = [0, n - 1];
  while (i1 - i0 >= 5) {
    if (i0 === i1) break;
    const slope = (wl[i1] - wl[i0]) / (i1 - i0);
    const mid = Math.floor((i1 + i0) / 2);
    const x = roundHalfEven((wavelength - wl[mid]) / slope) + mid;
    const dx = i1 - i0;
    i0 = Math.max(x - Math.floor(dx / 16), 0);
    i1 = Math.min(x + Math.floor(dx / 16), n - 1);
  }
  let x = i0;
  let diff = Math.abs(wavelength - wl[x]);
  for (let i = i0; i <= i1; i++) {
    if (Math.abs(wavelength - wl[i]) < diff) [x, diff] = [i, Math.abs(wavelength - wl[i])];
  }
  return x;
}

/** calcos' findFwhm: the half-maximum width by interpolation, or the count above it when that is much larger. */
function findFwhm(e: Float32Array, location: number): number {
  const n = e.length;
  const peak = roundHalfEven(location);
  if (peak < 0 || peak >= n) return -1;
  const eMax = e[peak];
  if (eMax <= 0) return -1;
  const sorted = Float32Array.from(e).sort();
  let background = 0;
  const third = Math.floor(n / 3);
  for (let j = 0; j < third; j++) background += sorted[j];
  background /= third;
  const level = (eMax - background) / 2 + background;
  let j = n - 1;
  while (j >= 0 && !(sorted[j] < level)) j--;
  const fwhm1 = n - 1 - j;
  let jLow = 0;
  for (j = peak; j >= 0; j--) {
    if (e[j] < level) {
      jLow = j;
      break;
    }
  }
  const dLow = e[jLow + 1] - e[jLow];
  const low = dLow === 0 ? jLow + 0.5 : jLow + (level - e[jLow]) / dLow;
  let jHigh = n - 1;
  for (j = peak; j < n; j++) {
    if (e[j] < level) {
      jHigh = j;
      break;
    }
  }
  const dHigh = e[jHigh] - e[jHigh - 1];
  const high = dHigh === 0 ? jHigh - 0.5 : jHigh - 1 + (level - e[jHigh - 1]) / dHigh;
  const fwhm2 = high - low;
  return fwhm1 > fwhm2 + SIGNIFICANTLY_LARGER ? fwhm1 : fwhm2;
}

/** calcos' findPeak with a box of 3. */
function findPeak(e: Float32Array): { location: number; sigma: number; fwhm: number } {
  const smooth = boxSmooth(e, 3);
  let ymax = 0;
  for (let j = 1; j < smooth.length; j++) if (smooth[j] >= smooth[ymax]) ymax = j;
  let fwhm = findFwhm(e, ymax);
  let npts = Math.max(roundHalfEven(fwhm), 5);
  if (npts % 2 === 0) npts++;
  const n = e.length;
  let j1 = Math.max(ymax - Math.floor(npts / 2), 0);
  let j2 = j1 + npts;
  if (j2 > n) [j2, j1] = [n, Math.max(n - npts, 0)];
  const center = centerOfQuadratic(fitQuadratic(smooth.subarray(j1, j2), true, j1));
  const [location, sigma] = center ? [center.x, center.sigma] : [ymax, 999];
  if (Math.abs(location - ymax) > fwhm / 4) fwhm = findFwhm(e, location);
  return { location, sigma, fwhm };
}

export function xdSearch(
  flt: Image2D<Float32Array>,
  dq: Image2D<Int16Array>,
  wavelength: ArrayLike<number>,
  slope: number,
  yNominal: number,
  xOffset: number,
  fuv: boolean,
  where: string,
): XdSearchResult {
  const band = extractBand(flt, slope, yNominal, xOffset, SEARCH_Y, where);
  const dqBand = extractBand(dq, slope, yNominal, xOffset, SEARCH_Y, where);
  const nx = flt.nx;
  const masked = new Uint8Array(nx);
  if (fuv) {
    for (const airglow of AIRGLOW_WAVELENGTHS) {
      const center = findPixelNumber(wavelength, airglow);
      const p0 = center - Math.floor(MASK_X / 2);
      const p1 = center + Math.floor(MASK_X / 2);
      if (p1 < 0 || p0 >= nx) continue;
      masked.fill(1, Math.max(p0, 0), Math.min(p1, nx - 1));
    }
  }
  const profile = new Float32Array(SEARCH_Y);
  band.forEach((row, k) => {
    let sum = 0;
    for (let i = 0; i < nx; i++) if (dqBand[k][i] === 0 && !masked[i]) sum += row[i];
    profile[k] = sum;
  });
  const zeroPoint = roundHalfEven(yNominal - slope * xOffset) - Math.floor(SEARCH_Y / 2);
  const peak = findPeak(profile);
  const location = peak.location + zeroPoint + slope * xOffset;
  return { offset: location - yNominal, location, sigma: peak.sigma, fwhm: peak.fwhm };
}
