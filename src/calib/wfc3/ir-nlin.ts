/**
 * NLINCORR (calibration.md §5; hstcal nlincorr.c): per read, zeroth read first, the NLINFILE DQ is ORed
 * in; an unsaturated pixel whose total signal s (read + zsig) is at most NODE is corrected to
 * s·(1 + Σ COEF_k s^k) − zsig, above NODE it is flagged saturated, and the flag carries to every later
 * read. Every read but the zeroth gets ZEROSIG where the zsig image has it. ERR is unchanged. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { WF3_DQ } from "./dq.js";
import type { MultiAccum } from "./multiaccum.js";
import { type NonLinearity, nlinIndex } from "./nlinfile.js";

/** ZSIGCORR's result as NLINCORR uses it (ir-zsig.ts). */
export interface ZeroReadSignal {
  zsig: Float32Array;
  zerosig: Uint8Array;
}

export function correctNonLinearity(
  m: MultiAccum,
  nlin: NonLinearity,
  zero: ZeroReadSignal | undefined,
  offset: [number, number],
): number {
  let saturated = 0;
  const { nx, ny, border } = m;
  const { coef, node } = nlin;
  const ncoef = coef.length;
  m.reads.forEach((read, index) => {
    const later = m.reads[index + 1];
    const { sci, dq } = read;
    // Row loops rather than a callback per pixel: this runs for every pixel of every read.
    for (let j = border.y[0]; j < ny - border.y[1]; j++) {
      const row = j * nx;
      const refRow = nlinIndex(nlin, 0, j, offset);
      for (let i = border.x[0]; i < nx - border.x[1]; i++) {
        const k = row + i;
        const r = refRow + i;
        if (index > 0 && zero?.zerosig[k]) dq[k] |= WF3_DQ.ZEROSIG;
        dq[k] |= nlin.dq[r];
        if (dq[k] & WF3_DQ.SATPIXEL) {
          if (later) later.dq[k] |= WF3_DQ.SATPIXEL;
          continue;
        }
        const z = index > 0 && zero ? zero.zsig[k] : 0;
        const s = Math.fround(sci[k] + z);
        if (s <= node[r]) {
          let correction = 0;
          let power = 1;
          for (let c = 0; c < ncoef; c++) {
            correction += coef[c][r] * power;
            power *= s;
          }
          sci[k] = Math.fround(s * Math.fround(1 + correction)) - z;
        } else {
          dq[k] |= WF3_DQ.SATPIXEL;
          saturated++;
          if (later) later.dq[k] |= WF3_DQ.SATPIXEL;
        }
      }
    }
  });
  return saturated;
}
