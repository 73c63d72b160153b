/**
 * calstis2 (cs2 crrej_init.c, crrej_loop.c, crrej_do.c): cosmic-ray rejection of a STIS CCD CR-SPLIT in DN.
 * The first guess is the minimum (or median) of the sky-subtracted, exposure-scaled image sets; each
 * iteration masks the pixels that differ from the guess by more than sigma × the noise model (read noise,
 * Poisson, SCALENSE), their neighbours within CRRADIUS above CRTHRESH × sigma, and averages the rest.
 * With CRMASK the inputs' DQ get the CR flag (8192) in place. Unlike ACSREJ (common/cr-reject*.ts), the
 * noise comes from ATODGAIN and READNSE, not the ERR arrays, the sky from each image's own histogram, and
 * the product is in DN with the sky added back. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import type { StisCrrejParameters } from "./crrej-params.js";
import { crrejSky } from "./crrej-sky.js";

const f = Math.fround;
const OK = 0;
const EXCLUDE = 4;
const SPILL = 2;
const HIT = 8;
const CRFLAG = 8192;

/** C's `(x > 0.) ? x : 0.`: NaN gives 0, which Math.max would not. */
// biome-ignore lint/complexity/useMathMinMax: NaN must give 0, as in the C code
const positive = (x: number) => (x > 0 ? x : 0);

export interface CrrejImage {
  sci: Float32Array;
  /** Changed in place (the CR flag) when CRMASK is set. */
  dq: Uint16Array;
  exptime: number;
  /** READNSE / ATODGAIN (DN) and ATODGAIN of the image's file. */
  noise: number;
  gain: number;
}

export interface CrrejResult {
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  sky: number[];
  skysum: number;
  nrej: number;
  /** Σ EXPTIME (float32). */
  exptot: number;
}

export function ocrreject(nx: number, ny: number, images: readonly CrrejImage[], p: StisCrrejParameters): CrrejResult {
  const n = images.length;
  if (n < 2)
    throw new CalibrationError("NO_GOOD_DATA", "CRCORR needs more than one input image set", { step: "CRCORR" });
  let exptot = 0;
  for (const image of images) exptot = f(exptot + f(image.exptime));
  const efac = exptot === 0 ? images.map(() => 1) : images.map((i) => f(i.exptime));
  const texpt = exptot === 0 ? n : exptot;
  const sky = crrejSky(p.sky, images);
  const npix = nx * ny;
  const scale = f(p.scalenoise / 100);
  const ave = new Float32Array(npix);
  const avevar = new Float32Array(npix);
  if (p.initial.startsWith("med")) medianGuess(images, efac, sky, ave);
  else minimumGuess(images, efac, sky, scale, ave, avevar);
  const { nrej, dq } = iterate(nx, ny, images, efac, sky, scale, p, ave, avevar);
  let skysum = 0;
  for (const s of sky) skysum = f(skysum + s);
  for (let k = 0; k < npix; k++) {
    ave[k] = f(ave[k]! * texpt) + skysum;
    avevar[k] = avevar[k]! * texpt;
  }
  return { sci: ave, err: avevar, dq, sky, skysum, nrej, exptot };
}

function minimumGuess(
  images: readonly CrrejImage[],
  efac: number[],
  sky: number[],
  scale: number,
  ave: Float32Array,
  avevar: Float32Array,
): void {
  images.forEach((image, n) => {
    const exp2 = f(efac[n]! * efac[n]!);
    const rog2 = f(image.noise * image.noise);
    const gain = f(image.gain);
    for (let k = 0; k < image.sci.length; k++) {
      const raw = image.sci[k]!;
      const raw0 = positive(raw);
      const d = f(raw - sky[n]!);
      const signal0 = positive(d);
      const val = f(d / efac[n]!);
      if (n === 0 || val < ave[k]!) {
        ave[k] = val;
        const s = f(scale * signal0);
        avevar[k] = f(f(f(rog2 + f(raw0 / gain)) + f(s * s)) / exp2);
      }
    }
  });
}

function medianGuess(images: readonly CrrejImage[], efac: number[], sky: number[], ave: Float32Array): void {
  const values = new Float32Array(images.length);
  const half = images.length >> 1;
  for (let k = 0; k < ave.length; k++) {
    for (let n = 0; n < images.length; n++) values[n] = f(f(images[n]!.sci[k]! - sky[n]!) / efac[n]!);
    sortFew(values);
    ave[k] = images.length % 2 === 0 ? f(values[half - 1]! + values[half]!) / 2 : values[half]!;
  }
}

/** Insertion sort of a few values, in a typed array's order (NaN last) without the allocation of its sort(). */
function sortFew(values: Float32Array): void {
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && (values[j]! > v || (Number.isNaN(values[j]!) && !Number.isNaN(v)))) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}

/** One image set's noise model in one iteration: its thresholds are computed where needed, not stored. */
interface ImageNoise {
  sci: Float32Array;
  sky: number;
  efac: number;
  sig2: number;
  rog2: number;
  exp2: number;
  gain: number;
  scale: number;
  /** The first iteration of the minimum guess: the threshold is sig2 × the guess's variance. */
  fromVariance: boolean;
}

/** The image's value at `k`, sky-subtracted and exposure-scaled (calstis2's pic). */
const picAt = (o: ImageNoise, k: number) => f(f(o.sci[k]! - o.sky) / o.efac);

/** The rejection threshold at `k` (spill = false) or the spill threshold (without SCALENSE). */
function thresholdAt(o: ImageNoise, ave: Float32Array, avevar: Float32Array, k: number, spill: boolean): number {
  if (o.fromVariance) return f(o.sig2 * avevar[k]!);
  const dum = f(f(ave[k]! * o.efac) + o.sky);
  const val = positive(dum);
  const poisson = f(o.rog2 + f(val / o.gain));
  if (spill) return f(f(o.sig2 * poisson) / o.exp2);
  const pixsky = positive(f(dum - o.sky));
  const s = f(o.scale * pixsky);
  return f(f(o.sig2 * f(poisson + f(s * s))) / o.exp2);
}

function iterate(
  nx: number,
  ny: number,
  images: readonly CrrejImage[],
  efac: number[],
  sky: number[],
  scale: number,
  p: StisCrrejParameters,
  ave: Float32Array,
  avevar: Float32Array,
): { nrej: number; dq: Uint16Array } {
  const npix = nx * ny;
  const dq = new Uint16Array(npix).fill(CRFLAG);
  const sum = new Float32Array(npix);
  const sumvar = new Float32Array(npix);
  const efacsum = new Float32Array(npix);
  const mask = new Int16Array(npix);
  const rej2 = f(p.rej * p.rej);
  const psig2 = p.psigma <= 0 ? -1 : f(p.psigma * p.psigma);
  const width = Math.trunc(p.rej + 1e-5);
  const badbits = p.badbits & 0xffff;
  const niter = p.sigmas.length;
  let nrej = 0;
  for (let iter = 0; iter < niter; iter++) {
    const last = iter === niter - 1;
    const sig2 = f(p.sigmas[iter]! * p.sigmas[iter]!);
    sum.fill(0);
    efacsum.fill(0);
    nrej = 0;
    for (let n = 0; n < images.length; n++) {
      const image = images[n]!;
      const noise: ImageNoise = {
        sci: image.sci,
        sky: sky[n]!,
        efac: efac[n]!,
        sig2,
        rog2: f(image.noise * image.noise),
        exp2: f(efac[n]! * efac[n]!),
        gain: f(image.gain),
        scale,
        fromVariance: p.initial.startsWith("min") && iter === 0,
      };
      excludeBad(mask, image.dq, badbits);
      markHits(nx, ny, width, rej2, psig2, noise, ave, avevar, mask);
      accumulate(noise, mask, sum, efacsum, last ? sumvar : undefined);
      if (last) nrej += flagOutput(image.dq, dq, mask, p.mask);
    }
    average(sum, efacsum, ave, last);
  }
  for (let k = 0; k < npix; k++) avevar[k] = efacsum[k]! > 0 ? Math.sqrt(sumvar[k]!) / efacsum[k]! : 0;
  return { nrej, dq };
}

// The loops below are functions of their own: V8 optimizes a small hot function sooner than a loop in a long one.

function excludeBad(mask: Int16Array, dq: Uint16Array, badbits: number): void {
  for (let k = 0; k < mask.length; k++) mask[k] = (dq[k]! & badbits) !== OK ? EXCLUDE : OK;
}

/** The new guess: the exposure-weighted mean of the unmasked values (0 where none is left, in the last round). */
function average(sum: Float32Array, efacsum: Float32Array, ave: Float32Array, last: boolean): void {
  for (let k = 0; k < ave.length; k++) {
    if (efacsum[k]! > 0) ave[k] = sum[k]! / efacsum[k]!;
    else if (last) ave[k] = 0;
  }
}

/** The unmasked pixels of one image into the sums (and, in the last iteration, the variance). */
function accumulate(
  o: ImageNoise,
  mask: Int16Array,
  sum: Float32Array,
  efacsum: Float32Array,
  sumvar: Float32Array | undefined,
): void {
  for (let k = 0; k < mask.length; k++) {
    if (mask[k] !== OK) continue;
    const pic = picAt(o, k);
    sum[k] = sum[k]! + f(pic * o.efac);
    efacsum[k] = efacsum[k]! + o.efac;
    if (sumvar) {
      const dum = f(f(pic * o.efac) + o.sky);
      const val = positive(dum);
      const s = f(o.scale * val);
      sumvar[k] = sumvar[k]! + f(f(o.rog2 + f(val / o.gain)) + f(s * s));
    }
  }
}

/** Pixels above threshold become HIT (unless excluded), their neighbours within CRRADIUS above CRTHRESH SPILL. */
function markHits(
  nx: number,
  ny: number,
  width: number,
  rej2: number,
  psig2: number,
  o: ImageNoise,
  ave: Float32Array,
  avevar: Float32Array,
  mask: Int16Array,
): void {
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const d = f(picAt(o, k) - ave[k]!);
      if (!(f(d * d) > thresholdAt(o, ave, avevar, k, false)) || mask[k] === EXCLUDE) continue;
      mask[k] = HIT;
      for (let jj = j - width; jj <= j + width; jj++) {
        if (jj >= ny || jj < 0) continue;
        const j2 = (jj - j) * (jj - j);
        for (let ii = i - width; ii <= i + width; ii++) {
          if ((ii - i) * (ii - i) + j2 > rej2) continue;
          if (ii >= nx || ii < 0) continue;
          const kk = jj * nx + ii;
          const dd = f(picAt(o, kk) - ave[kk]!);
          if (f(dd * dd) <= f(psig2 * thresholdAt(o, ave, avevar, kk, true))) continue;
          if (mask[kk] !== HIT) mask[kk] = SPILL;
        }
      }
    }
  }
}

/** The product's DQ (OR of the inputs', the CR flag only where every input was masked) and the inputs' CR flags. */
function flagOutput(input: Uint16Array, out: Uint16Array, mask: Int16Array, crmask: boolean): number {
  let nrej = 0;
  for (let k = 0; k < out.length; k++) {
    const bits = input[k]! & ~CRFLAG & 0xffff;
    let sval = out[k]! | bits;
    const masked = mask[k] === HIT || mask[k] === SPILL;
    if (masked) nrej++;
    else sval &= ~CRFLAG & 0xffff;
    out[k] = sval;
    if (crmask) input[k] = masked ? bits | CRFLAG : bits;
  }
  return nrej;
}
