/**
 * calstis7's 2-D rectification of a first-order spectral image (x2dcorr7.c): each output pixel (wavelength,
 * position along the slit) is mapped back into the input through the DISPTAB relation at that row (tilt of
 * the slit, incidence-angle correction and MSM offset applied) and the SPTRCTAB trace, and the input is
 * interpolated bilinearly there (interp2d.c, in single precision as calstis does, ERR as the weighted
 * variance); then the rows beyond the slit ends and behind its bars are flagged (datamasked.c).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { createImageSet, type ImageSet } from "../common/imset.js";
import {
  adjustedCoefficients,
  coefficientsAt,
  type DispersionRow,
  type IncidenceAngleRow,
  pixelOfWavelength,
} from "./dispersion.js";
import { nint, type Trace, traceAt, traceDisplacementAt, type X2dGrid } from "./x2d-geometry.js";

/** DQ of an output pixel that maps outside the input (DETECTORPROB) and of a masked row (DATAMASKED). */
export const DETECTORPROB = 4;
export const DATAMASKED = 8;
/** calstis7's nominal slit angle (degrees): rows of a slit at this angle need no tilt correction. */
export const REF_ANGLE = 0.315;

/** The slit as the APDESTAB describes it (arcsec, degrees). */
export interface Slit {
  width: [number, number];
  angle: number;
  bars: { location: number; width: number }[];
}

export interface RectifyInput {
  grid: X2dGrid;
  /** DISPTAB rows of the grating and CENWAVE, sorted by A2CENTER. */
  dispersion: readonly DispersionRow[];
  incidence: IncidenceAngleRow;
  /** Offset (arcsec, along the dispersion) of the aperture from the dispersion's reference aperture. */
  delta: number;
  /** SPTRCTAB traces of the order, sorted by A2CENTER. */
  traces: readonly Trace[];
  slit: Slit;
  /** SHIFTA1, and the total offset along the slit (SHIFTA2 + aperture offset), reference pixels. */
  shifta1: number;
  offset2: number;
  ltm: [number, number];
  /** Zero-indexed (GetLT0). */
  ltv: [number, number];
  /** Heliocentric factor: output wavelengths are heliocentric, 1 for none. */
  hfactor: number;
}

const f = Math.fround;

/** Interp2D with no DQ flag serious (calstis7 passes sdqflags = 0) and a Jacobian of 1. */
function interpolate(input: ImageSet, ix: number, iy: number, out: ImageSet, k: number): void {
  const { nx, ny, sci, err, dq } = input;
  const iix = nint(ix);
  const iiy = nint(iy);
  if (iix < 0 || iix > nx - 1 || iiy < 0 || iiy > ny - 1) {
    out.dq[k] = DETECTORPROB;
    return;
  }
  const ii = Math.min(Math.max(Math.trunc(ix), 0), nx - 2);
  const ij = Math.min(Math.max(Math.trunc(iy), 0), ny - 2);
  const q = f(ix - ii);
  const p = f(1 - q);
  const s = f(iy - ij);
  const r = f(1 - s);
  const k00 = ij * nx + ii;
  const k01 = k00 + nx;
  // weights and sums in single precision, in calstis' order
  const w0 = f(p * r);
  const w1 = f(q * r);
  const w2 = f(p * s);
  const w3 = f(q * s);
  const value = f(f(f(f(w0 * sci[k00]) + f(w1 * sci[k00 + 1])) + f(w2 * sci[k01])) + f(w3 * sci[k01 + 1]));
  const e0 = err[k00];
  const e1 = err[k00 + 1];
  const e2 = err[k01];
  const e3 = err[k01 + 1];
  const variance = f(f(f(f(f(w0 * e0) * e0) + f(f(w1 * e1) * e1)) + f(f(w2 * e2) * e2)) + f(f(w3 * e3) * e3));
  out.sci[k] = value;
  out.err[k] = variance > 0 ? f(Math.sqrt(variance)) : 0;
  out.dq[k] = dq[k00] | dq[k00 + 1] | dq[k01] | dq[k01 + 1];
}

/** pixelOfWavelength (evalDisp) without its allocations: the same terms, summed in the same order. */
function pixelAt(c: readonly number[], m: number, wl: number): number {
  const n = c.length;
  let sum = 0;
  if (n > 0) sum += c[0] * 1;
  if (n > 1) sum += c[1] * (m * wl);
  if (n > 2) sum += c[2] * (m * m * wl * wl);
  if (n > 3) sum += c[3] * m;
  if (n > 4) sum += c[4] * wl;
  if (n > 5) sum += c[5] * (m * m * wl);
  if (n > 6) sum += c[6] * (m * wl * wl);
  if (n > 7) sum += c[7] * (m * m * m * wl * wl * wl);
  if (n > 8) sum += c[8] * (m * m);
  return sum - 1;
}

/** The rectified image set of `input` on `o.grid`. */
export function rectify(input: ImageSet, o: RectifyInput): ImageSet {
  const { grid, ltm, ltv } = o;
  const [nx, ny] = grid.npix;
  const out = createImageSet(nx, ny, { geometry: { ltm: [...ltm], ltv: [0, 0] }, chip: input.chip });
  const radians = Math.PI / 180;
  const delTan = Math.tan(o.slit.angle * radians) - Math.tan(REF_ANGLE * radians);
  for (let j = 0; j < ny; j++) {
    const fromCenter = (j - grid.crpix[1]) / ltm[1];
    const line0 = fromCenter + grid.a2center + o.offset2;
    const coeff = coefficientsAt(o.dispersion, line0);
    coeff[0] += fromCenter * delTan;
    const adjusted = adjustedCoefficients(coeff, o.incidence, o.delta, o.shifta1);
    pixelOfWavelength(adjusted, grid.sporder, grid.crval[0]); // refuses more than nine coefficients
    const trace = traceAt(o.traces, line0);
    for (let i = 0; i < nx; i++) {
      const wl = ((i - grid.crpix[0]) * grid.cdelt[0] + grid.crval[0]) / o.hfactor;
      const ixr = pixelAt(adjusted, grid.sporder, wl);
      const iyr = trace.a2center + traceDisplacementAt(trace, ixr);
      interpolate(input, ixr * ltm[0] + ltv[0], iyr * ltm[1] + ltv[1], out, j * nx + i);
    }
  }
  maskBeyondSlit(out, grid, o.slit);
  return out;
}

function flagRows(set: ImageSet, from: number, to: number): void {
  for (let j = Math.max(from, 0); j <= Math.min(to, set.ny - 1); j++) {
    for (let i = 0; i < set.nx; i++) set.dq[j * set.nx + i] |= DATAMASKED;
  }
}

/** DataMasked: rows beyond the ends of a slit shorter than half the image, and rows behind its bars. */
export function maskBeyondSlit(set: ImageSet, grid: X2dGrid, slit: Slit): void {
  const scale = grid.cdelt[1];
  const length = slit.width[1] / scale;
  const center = grid.crpix[1];
  if (length < 0.5 * set.ny) {
    const bottom = Math.min(nint(center - length / 2 - 0.5), set.ny);
    const top = Math.max(nint(center + length / 2 + 0.5), -1);
    flagRows(set, 0, bottom - 1);
    flagRows(set, top + 1, set.ny - 1);
  }
  for (const bar of slit.bars) {
    const bottom = nint(center + bar.location / scale - bar.width / scale / 2);
    const top = nint(center + bar.location / scale + bar.width / scale / 2);
    if (top >= 0 && bottom < set.ny) flagRows(set, bottom, top);
  }
}
