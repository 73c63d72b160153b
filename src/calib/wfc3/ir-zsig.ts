/**
 * ZSIGCORR (calibration.md §5; hstcal zsigcorr.c): the signal that arrived before the zeroth read,
 * zsig = read0 − ZSCI, kept where it is significant (≥ ZSTHRESH × noise, DQ ZEROSIG), else 0. Pixels
 * over the NODE saturation level in the zeroth or first read are flagged. The zeroth read gets zsig
 * added, so that after ZOFFCORR it holds zsig. The zsig image's own ZEROSIG flags (significant, or
 * saturated in the zeroth or first read) are kept for NLINCORR, which gives them to every later read.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { WF3_DQ } from "./dq.js";
import { type IrAmps, noiseImage } from "./ir-noise.js";
import { forEachSciencePixel, type MultiAccum } from "./multiaccum.js";
import { type NonLinearity, nlinIndex } from "./nlinfile.js";

export const DEFAULT_ZSTHRESH = 4;

export interface ZsigResult {
  /** zsig per pixel (DN, 0 outside the border and where not significant). */
  zsig: Float32Array;
  /** 1 where the zsig image's DQ has ZEROSIG (hstcal copies the zeroth read's DQ, then flags). */
  zerosig: Uint8Array;
  zeroSignalPixels: number;
  saturatedInZero: number;
  saturatedInFirst: number;
}

export function zeroReadSignal(
  m: MultiAccum,
  nlin: NonLinearity,
  amps: IrAmps,
  offset: [number, number],
  zsthresh = DEFAULT_ZSTHRESH,
): ZsigResult {
  const n = m.nx * m.ny;
  const zero = m.reads[0];
  const first = m.reads[1];
  const zsig = new Float32Array(n);
  forEachSciencePixel(m, (k, i, j) => {
    zsig[k] = zero.sci[k] - nlin.zsci[nlinIndex(nlin, i, j, offset)];
  });
  const err = new Float32Array(n);
  noiseImage(zsig, err, m.nx, m.ny, m.border, amps, m.ltv);
  const zerosig = new Uint8Array(n);
  const result: ZsigResult = { zsig, zerosig, zeroSignalPixels: 0, saturatedInZero: 0, saturatedInFirst: 0 };
  const threshold = Math.fround(zsthresh);
  forEachSciencePixel(m, (k, i, j) => {
    const r = nlinIndex(nlin, i, j, offset);
    if (zero.dq[k] & WF3_DQ.ZEROSIG) zerosig[k] = 1;
    // In single precision, as hstcal's floats: the threshold test decides pixels at the margin.
    const e = err[k];
    const z = nlin.zerr[r];
    const noise = Math.fround(Math.sqrt(Math.fround(Math.fround(e * e) + Math.fround(z * z))));
    if (zsig[k] >= Math.fround(threshold * noise)) {
      zero.dq[k] |= WF3_DQ.ZEROSIG;
      zerosig[k] = 1;
      result.zeroSignalPixels++;
    } else zsig[k] = 0;
    if (zsig[k] > nlin.node[r]) {
      zero.dq[k] |= WF3_DQ.SATPIXEL | WF3_DQ.ZEROSIG;
      first.dq[k] |= WF3_DQ.SATPIXEL;
      zerosig[k] = 1;
      result.saturatedInZero++;
    } else if (Math.fround(first.sci[k] - nlin.zsci[r]) > nlin.node[r]) {
      first.dq[k] |= WF3_DQ.SATPIXEL;
      zerosig[k] = 1;
      result.saturatedInFirst++;
    }
  });
  forEachSciencePixel(m, (k) => {
    zero.sci[k] = zero.sci[k] + zsig[k];
  });
  return result;
}
