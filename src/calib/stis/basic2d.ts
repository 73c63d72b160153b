/**
 * The STIS CCD steps of calstis1 on one image set (do2d.c and the files it calls), each a pure function on
 * typed arrays: DQICORR (saturation, BPIXTAB), the error array, BIASCORR, DARKCORR (scaled by EXPTIME and,
 * after the switch to side 2, the housing temperature), FLATCORR (PFLT × DFLT) and the statistics keywords.
 * BLEVCORR is blevcorr.ts. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CALIBDEFECT, divideImage, subtractImage } from "../common/arithmetic.js";
import { applyBpixRow, type BpixRow } from "../common/bpixtab.js";
import { createImageSet, type ImageSet, type Section } from "../common/imset.js";
import { sameString } from "../common/row-match.js";
import { medianOfFloats } from "./median-float.js";

const f = Math.fround;
/** SATPIXEL of stisdq.h. */
export const SATPIXEL = 256;

/** One BPIXTAB row as calstis reads it (OPT_ELEM is optional: "ANY" when the column is absent). */
export interface StisBpixRow {
  OPT_ELEM?: string;
  PIX1: number;
  PIX2: number;
  LENGTH: number;
  AXIS: number;
  VALUE: number;
}

/**
 * DQICORR on the raw (untrimmed) image: SATPIXEL where (int)SCI > SATURATE, then the BPIXTAB rows for the
 * OPT_ELEM whose start lies on the table's SIZAXIS1 × SIZAXIS2 detector, placed with the image's LTV.
 */
export function dqicorr(
  set: ImageSet,
  o: { saturate: number; rows: readonly StisBpixRow[] | undefined; optElem: string; tableSize?: [number, number] },
): void {
  const { sci, dq } = set;
  for (let k = 0; k < sci.length; k++) if (Math.trunc(sci[k]!) > o.saturate) dq[k] |= SATPIXEL;
  if (!o.rows) return;
  for (const row of o.rows) {
    if (!sameString(row.OPT_ELEM ?? "ANY", o.optElem)) continue;
    const [ax, ay] = o.tableSize ?? [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    if (row.PIX1 - 1 < 0 || row.PIX1 - 1 >= ax || row.PIX2 - 1 < 0 || row.PIX2 - 1 >= ay) continue;
    const bpix: BpixRow = { CCDCHIP: -999, ...row };
    applyBpixRow(set, bpix);
  }
}

/** doNoise: an all-zero ERR becomes sqrt((SCI − bias) × gain + rn²) / gain, or rn / gain. */
export function initErrors(set: ImageSet, o: { bias: number; atodgain: number; readnoise: number }): boolean {
  const { sci, err } = set;
  for (let k = 0; k < err.length; k++) if (err[k] !== 0) return false;
  const bias = f(o.bias);
  const gain = f(o.atodgain);
  const rn2 = f(o.readnoise * o.readnoise);
  const floor = f(o.readnoise / gain);
  for (let k = 0; k < sci.length; k++) {
    const value = f(f(sci[k]! - bias) * gain);
    err[k] = value > 0 ? Math.sqrt(f(value + rn2)) / gain : floor;
  }
  return true;
}

/** BIASCORR: the bias image (× NCOMBINE) subtracted. */
export function biascorr(set: ImageSet, bias: Section, ncombine: number): void {
  subtractImage(set, bias, "BIASCORR", ncombine);
}

/** CCD dark scaling with temperature (dodark.c CCDFactor): 1 when the temperature is unknown (≤ 0). */
export function ccdDarkFactor(temperature: number, refTemp: number, drkVsT: number): number {
  return temperature <= 0 ? 1 : 1 + drkVsT * (temperature - refTemp);
}

/** DARKCORR: dark × factor × EXPTIME / ATODGAIN subtracted; returns MEANDARK (median of the good scaled dark). */
export function darkcorr(set: ImageSet, dark: Section, scale: number): number {
  const k = f(scale);
  const good = new Float32Array(set.nx * set.ny);
  let n = 0;
  const r = dark.set;
  for (let j = 0; j < set.ny; j++) {
    const row = (j + dark.y0) * r.nx + dark.x0;
    for (let i = 0; i < set.nx; i++) if (r.dq[row + i] === 0) good[n++] = r.sci[row + i]! * k;
  }
  subtractImage(set, dark, "DARKCORR", scale);
  return medianOfFloats(good.subarray(0, n));
}

/** mult2d of two flats of one size: SCI product, ERR in quadrature, DQ OR (a copy). */
export function multiplyFlats(a: ImageSet, b: ImageSet): ImageSet {
  const out = createImageSet(a.nx, a.ny, { geometry: a.geometry, chip: a.chip });
  for (let k = 0; k < a.sci.length; k++) {
    const as = a.sci[k]!;
    const bs = b.sci[k]!;
    out.sci[k] = as * bs;
    const adb = f(as * b.err[k]!);
    const bda = f(bs * a.err[k]!);
    out.err[k] = Math.sqrt(f(f(adb * adb) + f(bda * bda)));
    out.dq[k] = a.dq[k]! | b.dq[k]!;
  }
  return out;
}

/** FLATCORR: division by the combined flat (a zero flags CALIBDEFECT). */
export function flatcorr(set: ImageSet, flat: Section): void {
  divideImage(set, flat, "FLATCORR");
}
export { CALIBDEFECT };

export interface StisStatistics {
  sci: Record<string, number>;
  err: Record<string, number>;
}

/** dostat.c: good pixels (no SDQFLAGS bit) with ERR > 0 or SCI ≤ 0; SNR = SCI / ERR. */
export function imageStatistics(set: ImageSet, sdqflags: number): StisStatistics {
  let n = 0;
  let vsum = 0;
  let esum = 0;
  let ssum = 0;
  let vmin = 0;
  let vmax = 0;
  let emin = 0;
  let emax = 0;
  let smin = 0;
  let smax = 0;
  const { sci, err, dq } = set;
  for (let k = 0; k < sci.length; k++) {
    if ((sdqflags & dq[k]!) !== 0) continue;
    const value = sci[k]!;
    const stddev = err[k]!;
    let snr: number;
    if (stddev <= 0) {
      if (value > 0) continue;
      snr = 0;
    } else snr = value / stddev;
    if (n === 0) {
      vsum = vmin = vmax = value;
      esum = emin = emax = stddev;
      ssum = smin = smax = snr;
    } else {
      vsum += value;
      esum += stddev;
      ssum += snr;
      vmin = Math.min(vmin, value);
      vmax = Math.max(vmax, value);
      emin = Math.min(emin, stddev);
      emax = Math.max(emax, stddev);
      smin = Math.min(smin, snr);
      smax = Math.max(smax, snr);
    }
    n++;
  }
  if (n === 0) return { sci: { NGOODPIX: 0 }, err: { NGOODPIX: 0 } };
  return {
    sci: {
      NGOODPIX: n,
      GOODMIN: f(vmin),
      GOODMAX: f(vmax),
      GOODMEAN: f(vsum / n),
      SNRMIN: f(smin),
      SNRMAX: f(smax),
      SNRMEAN: f(ssum / n),
    },
    err: { NGOODPIX: n, GOODMIN: f(emin), GOODMAX: f(emax), GOODMEAN: f(esum / n) },
  };
}

/**
 * Why calstis1 leaves an image set uncalibrated (IMSET_OK = F): no exposure time, or every pixel equal
 * (do2d.c; bias exposures are never refused). Undefined for a good image set.
 */
export function badImsetReason(set: ImageSet, exptime: number): string | undefined {
  if (exptime <= 0) return `exptime = ${exptime}`;
  const { sci } = set;
  let min = sci[0] ?? 0;
  let max = min;
  for (let k = 1; k < sci.length; k++) {
    const v = sci[k]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return max <= min ? `all values = ${max}` : undefined;
}
