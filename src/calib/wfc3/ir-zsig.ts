/**
 * ZSIGCORR (calibration.md §5; hstcal zsigcorr.c): the signal that arrived before the zeroth read,
 * zsig = read0 − ZSCI, kept where it is significant (≥ ZSTHRESH × noise, DQ ZEROSIG), else 0. Pixels
 * over the NODE saturation level in the zeroth or first read are flagged. The zeroth read gets zsig
 * added, so that after ZOFFCORR it holds zsig. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { WF3_DQ } from "./dq.js";
import { type IrAmps, noiseImage } from "./ir-noise.js";
import { forEachSciencePixel, type MultiAccum } from "./multiaccum.js";
import { type NonLinearity, nlinIndex } from "./nlinfile.js";

export const DEFAULT_ZSTHRESH = 4;

export interface ZsigResult {
  /** zsig per pixel (DN, 0 outside the border and where not significant). */
  zsig: Float32Array;
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
  const result: ZsigResult = { zsig, zeroSignalPixels: 0, saturatedInZero: 0, saturatedInFirst: 0 };
  forEachSciencePixel(m, (k, i, j) => {
    const r = nlinIndex(nlin, i, j, offset);
    const noise = Math.sqrt(err[k] * err[k] + nlin.zerr[r] * nlin.zerr[r]);
    if (zsig[k] >= Math.fround(zsthresh * noise)) {
      zero.dq[k] |= WF3_DQ.ZEROSIG;
      result.zeroSignalPixels++;
    } else zsig[k] = 0;
    if (zsig[k] > nlin.node[r]) {
      zero.dq[k] |= WF3_DQ.SATPIXEL | WF3_DQ.ZEROSIG;
      first.dq[k] |= WF3_DQ.SATPIXEL;
      result.saturatedInZero++;
    } else if (first.sci[k] - nlin.zsci[r] > nlin.node[r]) {
      first.dq[k] |= WF3_DQ.SATPIXEL;
      result.saturatedInFirst++;
    }
  });
  forEachSciencePixel(m, (k) => {
    zero.sci[k] = zero.sci[k] + zsig[k];
  });
  return result;
}
