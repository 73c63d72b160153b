/**
 * calstis6's unweighted extraction (x1dspec.c X1DSpec, AccPixUnw): at each image column the box of EXTRSIZE
 * rows centred on the trace, its end pixels counted by the fraction inside the box, the background fit of
 * that column subtracted pixel by pixel; GROSS, BACKGROUND, NET and the error in counts/s, EXTRLOCY, and DQ
 * the OR of the pixels used (4096 when a flagged pixel was replaced by its neighbours, 2048 for a poor
 * background). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { type BackgroundBoxes, fitBackground } from "./x1d-background.js";
import type { X1dImage } from "./x1d-image.js";
import type { Lt, Trace } from "./x1d-trace.js";

const f = Math.fround;
/** DQ of a column where a flagged pixel was left out (X1D_DISCARDED). */
export const DISCARDED = 4096;

export interface ExtractionBox {
  /** EXTRSIZE, reference rows. */
  extrsize: number;
  /** BKTCOEFF (NCOEFFBK of them): the background boxes' angle, degrees, in powers of the one-indexed column. */
  bktcoeff: readonly number[];
  /** none: BACKCORR off. */
  background?: BackgroundBoxes;
  /** SmoothBack will run: the background adds nothing to the error. */
  smoothed: boolean;
}

export interface ExtractedSpectrum {
  gross: Float32Array;
  background: Float32Array;
  net: Float32Array;
  error: Float32Array;
  extrlocy: Float32Array;
  dq: Uint16Array;
}

const boxTilt = (coeff: readonly number[], rpix: number) => coeff.reduce((a, c, i) => a + c * (rpix + 1) ** i, 0);
/** A column's nearest whole row to a box end: fractions of one half and more go up. */
const nearest = (x: number) => (x - Math.trunc(x) < 0.5 ? Math.trunc(x) : Math.trunc(x) + 1);

/** X1DSpec along `trace` (zero-indexed reference rows, found at `a2center`); `sdqflags` 0 as the pipeline has it. */
export function extractSpectrum(
  im: X1dImage,
  trace: Trace,
  a2center: number,
  o: Lt & { box: ExtractionBox; sdqflags: number; exptime: number },
): ExtractedSpectrum {
  const { nx, ny } = im;
  const out: ExtractedSpectrum = {
    gross: new Float32Array(nx),
    background: new Float32Array(nx),
    net: new Float32Array(nx),
    error: new Float32Array(nx),
    extrlocy: new Float32Array(nx),
    dq: new Uint16Array(nx),
  };
  const { ltm, ltv, box } = o;
  for (let ipix = 0; ipix < nx; ipix++) {
    const rpix = Math.trunc((ipix - ltv[0]) / ltm[0]);
    const yBox = a2center + (rpix >= 0 && rpix < trace.a2displ.length ? trace.a2displ[rpix] : 0);
    out.extrlocy[ipix] = yBox * ltm[1] + ltv[1] + 1;
    const low = yBox * ltm[1] + ltv[1] - (box.extrsize * ltm[1]) / 2;
    const high = yBox * ltm[1] + ltv[1] + (box.extrsize * ltm[1]) / 2;
    const tilt = boxTilt(box.bktcoeff, rpix);
    const bg = box.background
      ? fitBackground(im, ipix, yBox, { ...o, boxes: box.background, tilt })
      : { bck: [0, 0], vbck: [0, 0], dq: 0 };
    let sum = 0;
    let sumBack = 0;
    let sumNet = 0;
    let variance = 0;
    let used = false;
    let discarded = false;
    let dq = 0;
    const good = (j: number) => !(im.dq[j * nx + ipix] & o.sdqflags);
    const pixel = (j: number) => {
      dq |= im.dq[j * nx + ipix];
      return [im.sci[j * nx + ipix], im.err[j * nx + ipix]];
    };
    const accumulate = (j: number, area: number, neighbours: number[]) => {
      const back = bg.bck[0] + bg.bck[1] * j;
      const backVariance = box.smoothed ? 0 : bg.vbck[0] + bg.vbck[1] * j * j;
      sumBack += back * area;
      let pix = 0;
      let perr = 0;
      if (good(j)) [pix, perr] = pixel(j);
      else {
        discarded = true;
        const usable = neighbours.filter(good);
        for (const k of usable) {
          const [p, e] = pixel(k);
          pix += p;
          perr += neighbours.length === 1 ? e : e * e;
        }
        if (neighbours.length > 1 && usable.length > 0) {
          pix /= usable.length;
          perr = Math.sqrt(perr / usable.length);
        }
      }
      sum += pix * area;
      sumNet += (pix - back) * area;
      variance += (perr * perr + backVariance) * area;
      used = true;
    };
    let j1 = nearest(low);
    let j2 = nearest(high);
    if (j1 > 0 && j1 < ny) accumulate(j1, 0.5 - (low - j1), [j1 + 1]);
    if (j2 > j1 && j2 > 0 && j2 < ny) accumulate(j2, 0.5 + high - j2, [j2 - 1]);
    if (j2 > j1 + 1) {
      for (j1++, j2--; j1 <= j2; j1++) if (j1 > 0 && j1 < ny) accumulate(j1, 1, [j1 + 1, j1 - 1]);
    }
    out.dq[ipix] = dq | (discarded ? DISCARDED : 0) | bg.dq;
    if (used && o.exptime > 0) {
      out.gross[ipix] = f(sum) / o.exptime;
      out.background[ipix] = f(sumBack) / o.exptime;
      out.net[ipix] = f(sumNet) / o.exptime;
      out.error[ipix] = (variance > 0 ? f(Math.sqrt(variance)) : 0) / o.exptime;
    }
  }
  return out;
}
