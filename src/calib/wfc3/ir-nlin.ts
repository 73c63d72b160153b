/**
 * NLINCORR (calibration.md §5; hstcal nlincorr.c): per read, zeroth read first, the NLINFILE DQ is ORed
 * in; an unsaturated pixel whose total signal s (read + zsig) is at most NODE is corrected to
 * s·(1 + Σ COEF_k s^k) − zsig, above NODE it is flagged saturated, and the flag carries to every later
 * read. ERR is unchanged. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { WF3_DQ } from "./dq.js";
import { forEachSciencePixel, type MultiAccum } from "./multiaccum.js";
import { type NonLinearity, nlinIndex } from "./nlinfile.js";

export function correctNonLinearity(
  m: MultiAccum,
  nlin: NonLinearity,
  zsig: Float32Array | undefined,
  offset: [number, number],
): number {
  let saturated = 0;
  const ncoef = nlin.coef.length;
  m.reads.forEach((read, index) => {
    const later = m.reads[index + 1];
    forEachSciencePixel(m, (k, i, j) => {
      const r = nlinIndex(nlin, i, j, offset);
      read.dq[k] |= nlin.dq[r];
      if (read.dq[k] & WF3_DQ.SATPIXEL) {
        if (later) later.dq[k] |= WF3_DQ.SATPIXEL;
        return;
      }
      const z = index > 0 && zsig ? zsig[k] : 0;
      const s = Math.fround(read.sci[k] + z);
      if (s <= nlin.node[r]) {
        let correction = 0;
        let power = 1;
        for (let c = 0; c < ncoef; c++) {
          correction += nlin.coef[c][r] * power;
          power *= s;
        }
        read.sci[k] = Math.fround(s * Math.fround(1 + correction)) - z;
      } else {
        read.dq[k] |= WF3_DQ.SATPIXEL;
        saturated++;
        if (later) later.dq[k] |= WF3_DQ.SATPIXEL;
      }
    });
  });
  return saturated;
}
