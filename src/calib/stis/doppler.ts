/**
 * DOPPCORR on a MAMA ACCUM exposure (cs1 makedopp.c, doppconv.c, dodqi.c DQIHigh): the flight software moved each
 * photon by HST's orbital Doppler shift, so the pixels a column saw moved during the exposure; calstis1 smears
 * the high-res dark and flat along the dispersion with the same motion before binning them (the flat with a
 * border of DOPPMAG pixels left empty, the flight software's effective subarray) and widens the BPIXTAB's
 * flagged runs by the shift's range. Float32 arithmetic as calstis' (float sums, ds normalised in float).
 */
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { sameString } from "../common/row-match.js";
import type { StisBpixRow } from "./basic2d.js";

const f = Math.fround;
const DETECTORPROB = 4;
const SECONDS_PER_DAY = 86400;

export interface DopplerParameters {
  /** DOPPZERO: MJD of zero shift, HST closest to the target. */
  doppzero: number;
  /** DOPPMAG: amplitude of the shift, high-res pixels. */
  doppmag: number;
  /** ORBITPER: HST's orbital period, seconds. */
  orbitper: number;
}

/** The smearing function: ds[d0 + i] = share of the exposure's seconds shifted by i high-res pixels. */
export function dopplerSmearing(
  p: DopplerParameters,
  expstart: number,
  exptime: number,
  dispsign: number,
): { ds: Float32Array; d0: number } {
  if (p.orbitper <= 0) throw new CalibrationError("INVALID_VALUE", `ORBITPER = ${p.orbitper}`, { step: "DOPPCORR" });
  if (p.doppmag <= 0) throw new CalibrationError("INVALID_VALUE", `DOPPMAG = ${p.doppmag}`, { step: "DOPPCORR" });
  const n = Math.trunc(p.doppmag + 1);
  const ds = new Float32Array(2 * n + 1);
  const period = p.orbitper / SECONDS_PER_DAY;
  const end = expstart - p.doppzero + exptime / SECONDS_PER_DAY;
  let sum = 0;
  for (let t = expstart - p.doppzero; t <= end; t += 1 / SECONDS_PER_DAY) {
    const s = p.doppmag * Math.sin((t * 2 * Math.PI) / period);
    const shift = dispsign === 1 ? -s : s;
    const i = shift >= 0 ? Math.trunc(shift + 0.5) : Math.trunc(shift - 0.5);
    ds[n + i] = f(ds[n + i]! + 1);
    sum = f(sum + 1);
  }
  for (let i = 0; i < ds.length; i++) ds[i] = f(ds[i]! / sum);
  return { ds, d0: n };
}

/** The first and last non-zero indexes of ds, relative to d0 (dodqi.c doppmin, doppmax). */
export function smearingRange(ds: Float32Array, d0: number): [number, number] {
  let kmin = ds.length - 1;
  let kmax = 0;
  ds.forEach((v, k) => {
    if (v > 0) {
      kmin = Math.min(kmin, k);
      kmax = Math.max(kmax, k);
    }
  });
  return [kmin - d0, kmax - d0];
}

/** DoppConv: a reference image set smeared along axis 1; columns within `border` of the edges start empty. */
export function dopplerConvolve(set: ImageSet, border: number, ds: Float32Array, d0: number): ImageSet {
  const { nx, ny } = set;
  const [lo, hi] = smearingRange(ds, d0);
  const kmin = lo + d0;
  const kmax = hi + d0;
  const sci = new Float32Array(set.sci.length);
  const err = new Float32Array(set.err.length);
  const dq = new Uint16Array(set.dq.length);
  const x = new Float32Array(nx + ds.length - 1);
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    for (let i = border; i < nx - border; i++) x[i + d0] = set.sci[row + i]!;
    for (let i = 0; i < nx; i++) {
      let sum = 0;
      for (let k = kmin; k <= kmax; k++) sum = f(sum + f(x[i + 2 * d0 - k]! * ds[k]!));
      sci[row + i] = sum;
    }
  }
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    for (let i = 0; i < nx; i++) x[i + d0] = set.err[row + i]!;
    for (let i = 0; i < nx; i++) {
      let sum = 0;
      for (let k = kmin; k <= kmax; k++) {
        const v = x[i + 2 * d0 - k]!;
        sum = f(sum + f(f(f(v * v) * ds[k]!) * ds[k]!));
      }
      err[row + i] = f(Math.sqrt(sum));
    }
  }
  const xdq = new Uint16Array(nx + ds.length - 1);
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    for (let i = 0; i < nx; i++) xdq[i + d0] = set.dq[row + i]!;
    for (let i = 0; i < nx; i++) {
      let flags = 0;
      for (let k = kmin; k <= kmax; k++) flags |= xdq[i + 2 * d0 - k]!;
      dq[row + i] = flags;
    }
  }
  return { ...set, sci, err, dq };
}

/**
 * DQICORR of a full-frame low-res MAMA image with DOPPCORR (dodqi.c: DQIHigh into a 2× scratch, ORed down 2×2):
 * each BPIXTAB run widened by [doppmin, doppmax] high-res pixels along axis 1 (a DETECTORPROB run at the
 * detector's edge stays there).
 */
export function dopplerDqicorr(
  set: ImageSet,
  o: { rows: readonly StisBpixRow[]; optElem: string; tableSize: [number, number]; range: [number, number] },
): void {
  const { nx, ny, dq } = set;
  const [ax, ay] = o.tableSize;
  if (ax !== nx || ay !== ny || set.geometry.ltv.some((v) => v !== 0)) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `DOPPCORR on a ${nx}×${ny} MAMA image (LTV ${set.geometry.ltv.join(", ")}) against a ${ax}×${ay} BPIXTAB is not in the native engine yet`,
      { step: "DQICORR" },
    );
  }
  const [doppmin, doppmax] = o.range;
  const hx = 2 * nx;
  for (const row of o.rows) {
    if (!sameString(row.OPT_ELEM ?? "ANY", o.optElem)) continue;
    const xs = row.PIX1 - 1;
    const ys = row.PIX2 - 1;
    if (xs < 0 || xs >= ax || ys < 0 || ys >= ay) continue;
    const [xlength, ylength] = row.AXIS === 1 ? [2 * row.LENGTH, 2] : [2, 2 * row.LENGTH];
    let xlow = 2 * xs;
    let xhigh = 2 * xs + xlength - 1;
    if (row.VALUE & DETECTORPROB) {
      if (xlow !== 0 && doppmin < 0) xlow += doppmin;
      if (xhigh !== hx - 1 && doppmax > 0) xhigh += doppmax;
    } else {
      xlow += doppmin;
      xhigh += doppmax;
    }
    const ylow = 2 * ys;
    const yhigh = 2 * ys + ylength - 1;
    if (xhigh < 0 || xlow >= hx || yhigh < 0 || ylow >= 2 * ny) continue;
    const x0 = Math.max(0, xlow) >> 1;
    const x1 = Math.min(hx - 1, xhigh) >> 1;
    const y0 = Math.max(0, ylow) >> 1;
    const y1 = Math.min(2 * ny - 1, yhigh) >> 1;
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) dq[y * nx + x] |= row.VALUE;
  }
}
