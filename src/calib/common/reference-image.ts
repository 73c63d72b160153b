/**
 * Reference images as the 2-D steps use them: the imset for the science chip, cut to the science
 * pixels (hstcal trim2d) or, for a reference binned more than the science (LFLT, SHAD), expanded by
 * linear interpolation (hstcal unbinsect / InterpInfo / InterpDQInfo).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "./errors.js";
import { chooseChip, placeReference } from "./geometry.js";
import { createImageSet, type ImageSet, type Section } from "./imset.js";

export interface ReferenceImage {
  /** The file name as written in HISTORY (e.g. jref$abc_drk.fits). */
  name: string;
  pedigree: string;
  descrip: string;
  imsets: readonly ImageSet[];
}

export function isDummy(reference: { pedigree: string }): boolean {
  return reference.pedigree.trim().toUpperCase().startsWith("DUMMY");
}

/** Where the science pixels lie in the reference (no copy); references binned differently are refused. */
export function referencePlacement(science: ImageSet, reference: ReferenceImage, what: string): Section {
  const chip = chooseChip(reference.imsets, science.chip, what);
  const place = placeReference(science, chip, what);
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", `${what} is not binned like the science image`);
  }
  return { set: chip, x0: place.x0, y0: place.y0 };
}

/** A copy of the reference pixels under the science image; references binned differently are refused. */
export function referenceSection(science: ImageSet, reference: ReferenceImage, what: string): ImageSet {
  const place = referencePlacement(science, reference, what);
  return cutSection(place.set, place.x0, place.y0, science.nx, science.ny);
}

/**
 * The reference under the science pixels: placed as it is when binned like the science, else expanded to
 * the science binning (a new image set of the science's size).
 */
export function expandedReferencePlacement(science: ImageSet, reference: ReferenceImage, what: string): Section {
  const chip = chooseChip(reference.imsets, science.chip, what);
  const place = placeReference(science, chip, what);
  if (place.rx === 1 && place.ry === 1) return { set: chip, x0: place.x0, y0: place.y0 };
  const expanded = expandSection(
    chip,
    place.rx,
    place.ry,
    place.x0 * place.rx,
    place.y0 * place.ry,
    science.nx,
    science.ny,
  );
  return { set: expanded, x0: 0, y0: 0 };
}

function cutSection(set: ImageSet, x0: number, y0: number, nx: number, ny: number): ImageSet {
  const out = createImageSet(nx, ny, { chip: set.chip });
  for (let j = 0; j < ny; j++) {
    const from = (j + y0) * set.nx + x0;
    out.sci.set(set.sci.subarray(from, from + nx), j * nx);
    out.err.set(set.err.subarray(from, from + nx), j * nx);
    out.dq.set(set.dq.subarray(from, from + nx), j * nx);
  }
  return out;
}

const f = Math.fround;

/** Index and weights for linear interpolation at ai within npts samples (hstcal InterpInfo). */
export function interpolationWeights(ai: number, npts: number): { i: number; p: number; q: number } {
  let i = Math.trunc(ai);
  if (i < 0) i = 0;
  if (i >= npts - 1) i = npts - 2;
  const q = f(ai - i);
  return { i, p: f(1 - q), q };
}

/** Which samples' DQ to OR at ai (hstcal InterpDQInfo): one index, or two. */
export function dqSamples(ai: number, npts: number): { i1: number; i2: number; count: 1 | 2 } {
  let i1 = Math.trunc(ai);
  const i2 = i1 + 1;
  let count: 1 | 2 = ai === i1 ? 1 : 2;
  if (i1 <= 0) {
    i1 = 0;
    count = 1;
  }
  if (i1 >= npts - 1) {
    i1 = npts - 1;
    count = 1;
  }
  return { i1, i2, count };
}

interface AxisSample {
  i: number;
  p: number;
  q: number;
  i1: number;
  i2: number;
  count: 1 | 2;
}

function axisSamples(first: number, n: number, bin: number, npts: number): AxisSample[] {
  const offset = f((bin - 1) / 2);
  const samples: AxisSample[] = [];
  for (let m = first; m < first + n; m++) {
    const a = f(f(m - offset) / bin);
    samples.push({ ...interpolationWeights(a, npts), ...dqSamples(a, npts) });
  }
  return samples;
}

/**
 * Expands a binned reference by (binx, biny) with hstcal's bilinear interpolation (errors interpolated
 * as variances) and returns the nx × ny pixels starting at expanded pixel (ex0, ey0).
 */
export function expandSection(
  set: ImageSet,
  binx: number,
  biny: number,
  ex0: number,
  ey0: number,
  nx: number,
  ny: number,
): ImageSet {
  const out = createImageSet(nx, ny, { chip: set.chip });
  const xs = axisSamples(ex0, nx, binx, set.nx);
  const ys = axisSamples(ey0, ny, biny, set.ny);
  const { sci, err, dq } = set;
  const w = set.nx;
  for (let n = 0; n < ny; n++) {
    const y = ys[n]!;
    for (let m = 0; m < nx; m++) {
      const x = xs[m]!;
      const k = n * nx + m;
      if (biny === 1) {
        const a = y.i1 * w + x.i;
        out.sci[k] = f(f(x.p * sci[a]!) + f(x.q * sci[a + 1]!));
        const e1 = err[a]!;
        const e2 = err[a + 1]!;
        out.err[k] = Math.sqrt(f(f(f(x.p * e1) * e1) + f(f(x.q * e2) * e2)));
        out.dq[k] = x.count === 1 ? dq[y.i1 * w + x.i1]! : dq[y.i1 * w + x.i1]! | dq[y.i1 * w + x.i2]!;
      } else if (binx === 1) {
        const a = y.i * w + x.i1;
        const b = a + w;
        out.sci[k] = f(f(y.p * sci[a]!) + f(y.q * sci[b]!));
        const e1 = err[a]!;
        const e2 = err[b]!;
        out.err[k] = Math.sqrt(f(f(f(y.p * e1) * e1) + f(f(y.q * e2) * e2)));
        out.dq[k] = y.count === 1 ? dq[y.i1 * w + x.i1]! : dq[y.i1 * w + x.i1]! | dq[y.i2 * w + x.i1]!;
      } else {
        out.sci[k] = bilinear(sci, w, x, y);
        out.err[k] = Math.sqrt(bilinearVariance(err, w, x, y));
        out.dq[k] = orDq(dq, w, x, y);
      }
    }
  }
  return out;
}

function bilinear(a: Float32Array, w: number, x: AxisSample, y: AxisSample): number {
  const k = y.i * w + x.i;
  const pr = f(x.p * y.p);
  const qr = f(x.q * y.p);
  const ps = f(x.p * y.q);
  const qs = f(x.q * y.q);
  return f(f(f(f(pr * a[k]!) + f(qr * a[k + 1]!)) + f(ps * a[k + w]!)) + f(qs * a[k + w + 1]!));
}

function bilinearVariance(e: Float32Array, w: number, x: AxisSample, y: AxisSample): number {
  const k = y.i * w + x.i;
  const term = (weight: number, v: number) => f(f(weight * v) * v);
  const pr = f(x.p * y.p);
  const qr = f(x.q * y.p);
  const ps = f(x.p * y.q);
  const qs = f(x.q * y.q);
  return f(f(f(term(pr, e[k]!) + term(qr, e[k + 1]!)) + term(ps, e[k + w]!)) + term(qs, e[k + w + 1]!));
}

function orDq(dq: Uint16Array, w: number, x: AxisSample, y: AxisSample): number {
  const at = (i: number, j: number) => dq[j * w + i]!;
  if (x.count === 1 && y.count === 1) return at(x.i1, y.i1);
  if (x.count === 1) return at(x.i1, y.i1) | at(x.i1, y.i2);
  if (y.count === 1) return at(x.i1, y.i1) | at(x.i2, y.i1);
  return at(x.i1, y.i1) | at(x.i2, y.i1) | at(x.i1, y.i2) | at(x.i2, y.i2);
}
