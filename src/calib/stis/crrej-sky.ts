/**
 * calstis2's sky level of each image set (cs2 crrej_sky.c, cr_mode.c): the mode of a 1-DN histogram of the
 * good (DQ = 0) pixels from min(0, data) − 1 to twice the mean, refined by a parabola through the peak.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";

const f = Math.fround;
const MINVAL = -1000;

export function crrejSky(method: string, images: readonly { sci: Float32Array; dq: Uint16Array }[]): number[] {
  if (method === "none") return images.map(() => 0);
  if (method !== "mode") {
    throw new CalibrationError("INVALID_VALUE", `CRREJTAB: illegal SKYSUB value '${method}'`, { step: "CRCORR" });
  }
  return images.map(skyMode);
}

function skyMode({ sci, dq }: { sci: Float32Array; dq: Uint16Array }): number {
  // Float accumulators as in the C code (a Float32Array keeps them rounded).
  const acc = Float32Array.of(0, 0);
  let npt = 0;
  for (let k = 0; k < sci.length; k++) {
    if (dq[k] !== 0) continue;
    acc[1] = acc[1]! + sci[k]!;
    npt++;
    if (sci[k]! < acc[0]!) acc[0] = sci[k]!;
  }
  const amin = acc[0]!;
  const min = amin < MINVAL ? MINVAL : Math.trunc(amin) - 1;
  const amax = f(acc[1]! / f(npt));
  const max = amax <= 0 ? 1 : Math.trunc(amax + 1) * 2;
  const nbins = max - min + 1;
  const histogram = new Int32Array(nbins);
  for (let k = 0; k < sci.length; k++) {
    if (dq[k] !== 0) continue;
    const h = Math.trunc(sci[k]!) - min;
    if (h >= 0 && h < nbins) histogram[h]!++;
  }
  return crMode(histogram, 1, min);
}

/** cr_mode.c: the peak bin, refined by a parabola through it and its neighbours. */
export function crMode(histogram: Int32Array, hwidth: number, hmin: number): number {
  const nbins = histogram.length;
  if (nbins === 1) return f(hmin + 0.5 * hwidth);
  if (nbins === 2) {
    if (histogram[0]! > histogram[1]!) return f(hmin + 0.5 * hwidth);
    if (histogram[1]! > histogram[0]!) return f(hmin + 1.5 * hwidth);
    return f(hmin + hwidth);
  }
  let hpeak = histogram[0]!;
  let bpeak = 0;
  for (let i = 1; i < nbins; i++) {
    if (histogram[i]! > hpeak) {
      hpeak = histogram[i]!;
      bpeak = i;
    }
  }
  if (bpeak === 0) return f(hmin + 0.5 * hwidth);
  if (bpeak === nbins - 1) return f(hmin + (nbins - 0.5) * hwidth);
  const dh1 = f(histogram[bpeak]! - histogram[bpeak - 1]!);
  const dh2 = f(histogram[bpeak]! - histogram[bpeak + 1]!);
  const denom = f(dh1 + dh2);
  if (Math.abs(denom) < 1e-20) return f(hmin + (bpeak + 0.5) * hwidth);
  const mode = f(bpeak + 1 + (0.5 * f(dh1 - dh2)) / denom);
  return f(hmin + (mode - 0.5) * hwidth);
}
