/**
 * calstis4's shifts for an echelle wavecal (cs4 EchShift, MakeTemplate, ESumSpec, XCWavecal, FindOffset): a template
 * lamp image is built from the LAMPTAB spectrum integrated over each image pixel of every order (the echelle
 * dispersion relation in m·λ), smoothed by the aperture's width and laid along each order's trace over the
 * aperture's height; the wavecal (its WCPTAB section, the rest zero) is cross-correlated with it through 2-D
 * Fourier transforms, and the peak located by the centroid of the values above a third of the way from the
 * background to the maximum. With an A4CORR the coefficients are skewed by the spatial shift and the shifts found
 * again. Single-precision images as calstis keeps them. Algorithms as in hstcal (BSD-3-Clause, AURA).
 */
import { pixelOfWavelength, wavelengthOfPixel } from "./dispersion.js";
import { complexImage, fft2d, ifft2d } from "./fft2d.js";
import { convolveWithSlit, type LampSpectrum, lampEdges, lampElement } from "./wavecal-xcorr.js";

export interface EchelleTrace {
  sporder: number;
  /** Zero-indexed A1CENTER and A2CENTER (reference pixels). */
  a1center: number;
  a2center: number;
  a2displ: ArrayLike<number>;
}

export interface EchelleWavecal {
  nx: number;
  ny: number;
  sci: ArrayLike<number>;
  /** WCPTAB WL_TRIM sections, zero-indexed first and last columns and rows. */
  columns: [number, number];
  rows: [number, number];
  lamp: LampSpectrum;
  /** The DISPTAB coefficients after the incidence-angle terms (NCOEFF of them). */
  coeff: number[];
  cenwave: number;
  /** DISPTAB MREF, YREF, A4CORR (A4CORR 0: no skew). */
  mref: number;
  yref: number;
  a4corr: number;
  traces: EchelleTrace[];
  ltm: [number, number];
  ltv: [number, number];
  /** Aperture width and height in image pixels (ReadWidth). */
  slitWidth: [number, number];
}

const nint = (x: number) => (x >= 0 ? Math.trunc(x + 0.5) : Math.trunc(x - 0.5));

/** The lamp spectrum integrated over each image column of order m (ESumSpec). */
function orderSpectrum(o: EchelleWavecal, coeff: number[], m: number): Float64Array {
  const { lamp, nx, ltm, ltv } = o;
  const edges = lampEdges(lamp.wavelength);
  const n = lamp.flux.length;
  const t = new Float64Array(nx);
  let estimate = o.cenwave;
  const wavelengthAt = (pixel: number) => {
    estimate = wavelengthOfPixel(coeff, m, (pixel - ltv[0]) / ltm[0], estimate);
    return estimate;
  };
  let left = wavelengthAt(-0.5);
  let jl = lampElement(left, edges, n, -1);
  let jr = jl;
  for (let i = 0; i < nx; i++) {
    const right = wavelengthAt(i + 0.5);
    jr = lampElement(right, edges, n, jr);
    if (jr >= n) break;
    if (jl >= 0) {
      if (jl === jr) t[i] = lamp.flux[jl]! * (right - left);
      else {
        let sum = lamp.flux[jl]! * (edges[jl + 1]! - left);
        for (let j = jl + 1; j < jr; j++) sum += lamp.flux[j]! * (edges[j + 1]! - edges[j]!);
        t[i] = sum + lamp.flux[jr]! * (right - edges[jr]!);
      }
    }
    jl = jr;
    left = right;
  }
  return t;
}

/** The template lamp image (MakeTemplate, AddTrace), single precision. */
export function echelleTemplate(o: EchelleWavecal, coeff: number[]): Float32Array {
  const { nx, ny, ltm, ltv, slitWidth } = o;
  const image = new Float32Array(nx * ny);
  for (const trace of o.traces) {
    const middle = Math.trunc(trace.a1center / 2);
    const j = Math.trunc(ltm[1] * ((trace.a2displ[middle] ?? 0) + trace.a2center) + ltv[1]);
    if (j < 0 || j >= ny) continue;
    const tspec = orderSpectrum(o, coeff, trace.sporder);
    convolveWithSlit(tspec, slitWidth[0]);
    for (let i = 0; i < nx; i++) {
      const ixRef = nint((i - ltv[0]) / ltm[0]);
      if (ixRef < 0 || ixRef >= trace.a2displ.length) continue;
      const yIm = ltm[1] * (trace.a2center + trace.a2displ[ixRef]!) + ltv[1];
      const low = Math.max(0, nint(yIm - slitWidth[1] / 2));
      const high = Math.min(ny - 1, nint(yIm + slitWidth[1] / 2));
      for (let y = low; y <= high; y++) image[y * nx + i]! += tspec[i]!;
    }
  }
  return image;
}

/** XCWavecal + FindOffset: the shift of `data` from `template` along each axis, in image pixels. */
function crossCorrelate(o: EchelleWavecal, template: Float32Array): [number, number] {
  const { nx, ny } = o;
  const wave = complexImage(nx, ny);
  for (let y = o.rows[0]; y <= o.rows[1]; y++)
    for (let x = o.columns[0]; x <= o.columns[1]; x++) wave.re[y * nx + x] = Math.fround(o.sci[y * nx + x]!);
  const lamp = complexImage(nx, ny);
  lamp.re.set(template);
  fft2d(wave);
  fft2d(lamp);
  const xc = complexImage(nx, ny);
  for (let k = 0; k < nx * ny; k++) {
    xc.re[k] = lamp.re[k]! * wave.re[k]! + lamp.im[k]! * wave.im[k]!;
    xc.im[k] = lamp.re[k]! * wave.im[k]! - lamp.im[k]! * wave.re[k]!;
  }
  ifft2d(xc);
  const z = Float32Array.from(xc.re);
  let peak = 0;
  for (let k = 1; k < z.length; k++) if (z[peak]! < z[k]!) peak = k;
  const [px, py] = [peak % nx, Math.trunc(peak / nx)];
  const [dx, dy] = peakOffset(z, nx, ny, px, py);
  return [(px < nx / 2 ? px : px - nx) + dx, (py < ny / 2 ? py : py - ny) + dy];
}

/** FindOffset: the centroid offset of the peak at (px, py) over the values above the cutoff. */
function peakOffset(z: Float32Array, nx: number, ny: number, px: number, py: number): [number, number] {
  const [i1, i2] = [Math.trunc(nx / 2) - Math.trunc(nx / 8), Math.trunc(nx / 2) + Math.trunc(nx / 8)];
  const [j1, j2] = [Math.trunc(ny / 2) - Math.trunc(ny / 8), Math.trunc(ny / 2) + Math.trunc(ny / 8)];
  let sum = 0;
  for (let j = j1; j < j2; j++) for (let i = i1; i < i2; i++) sum += z[j * nx + i]!;
  const bkg = Math.fround(sum / ((j2 - j1) * (i2 - i1)));
  const cutoff = Math.fround(bkg + (z[py * nx + px]! - bkg) / 3);
  const tooFar = Math.trunc(nx / 2);
  const extent = (at: (k: number) => number, from: number, size: number) => {
    const dir = from < size / 2 ? 1 : -1;
    for (let k = from; ; k += dir) {
      if (dir * (k - from) > tooFar || k < 0 || k >= size) return undefined;
      if (at(k) < cutoff) return dir * (k - from);
    }
  };
  const xrange = extent((i) => z[py * nx + i]!, px, nx);
  const yrange = xrange === undefined ? undefined : extent((j) => z[j * nx + px]!, py, ny);
  if (xrange === undefined || yrange === undefined) return [0, 0]; // "peak in cross correlation is too broad"
  let sv = 0;
  let sx = 0;
  let sy = 0;
  for (let j = py - yrange; j <= py + yrange; j++) {
    const jj = j < 0 ? j + ny : j >= ny ? j - ny : j;
    for (let i = px - xrange; i <= px + xrange; i++) {
      const ii = i < 0 ? i + nx : i >= nx ? i - nx : i;
      const value = z[jj * nx + ii]!;
      if (value > cutoff) {
        sv += value;
        sx += (i - px) * value;
        sy += (j - py) * value;
      }
    }
  }
  return sv === 0 ? [0, 0] : [sx / sv, sy / sv];
}

/** EchShift: the shifts (image pixels) of the echelle wavecal along the dispersion and across it. */
export function echelleShifts(o: EchelleWavecal): { shifta1: number; shifta2: number } {
  pixelOfWavelength(o.coeff, o.traces[0]?.sporder ?? 1, o.cenwave); // refuses more than nine coefficients
  let [sx, sy] = crossCorrelate(o, echelleTemplate(o, o.coeff));
  const mref = o.traces.find((t) => t.sporder === o.mref);
  if (o.a4corr !== 0 && mref) {
    const ydiff = sy / o.ltm[1] + mref.a2center - o.yref;
    const coeff = [...o.coeff];
    coeff[0] -= ydiff * o.cenwave * o.a4corr;
    if (coeff.length > 4) coeff[4] += ydiff * o.a4corr;
    [sx, sy] = crossCorrelate(o, echelleTemplate(o, coeff));
  }
  return { shifta1: sx, shifta2: sy };
}
