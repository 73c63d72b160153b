/**
 * WF3REJ's iterations for one UVIS chip (calibration.md §2.12 step 3, WFC3), in DN. As ACSREJ, row by row
 * (row 0 first) each exposed image's pixels are tested against the average `ave`, hits mark their neighbours
 * within CRRADIUS as SPILL, and each row's new average is written in place right after the row. Unlike
 * ACSREJ the thresholds come from the noise model (uvis-reject-noise.ts) applied to the current average,
 * and the output ERR is √(Σ read variance + DN/gain) / Σ EXPTIME over the kept inputs.
 * hstcal's scrolling buffers are kept for parity: the SPILL threshold of a neighbour in a row below the
 * current one is not a variance but that row's value as it was loaded (SCI − sky) / EXPTIME, or its raw
 * SCI for rows 1..CRRADIUS, which are loaded before the scaling at the start of every iteration. A pixel
 * marked SPILL from an earlier row has lost its own DQ bits in the mask, so they are missing from the
 * output DQ's OR (also hstcal's behaviour).
 * Each image's rates, mask and SPILL thresholds are kept for the 2·CRRADIUS + 1 rows a hit can reach (a ring of
 * rows, row y at slot y mod that count), each row loaded when it comes within reach, as a whole-image copy
 * made at the start of the iteration would hold it, at a few rows' memory instead of 10 bytes a pixel.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_loop.c.
 */
import { CR, EXCLUDE, flagLine, HIT, SPILL } from "../common/cr-flags.js";
import { clipAtZero, type UvisNoise } from "./uvis-reject-noise.js";
import { guessThresholds, noiseThresholds, shadingFactors, type ThresholdState } from "./uvis-reject-thresholds.js";

export interface UvisLoopImage {
  sci: Float32Array;
  /** DQ as read; with CRMASK the CR flags are written back into it. */
  dq: Uint16Array;
  /** EXPTIME (1 for every image when all are 0); an image with efac ≤ 0 takes no part. */
  efac: number;
  sky: number;
}

export interface UvisLoopParameters {
  sigmas: readonly number[];
  crradius: number;
  crthresh: number;
  /** Percent. */
  scalense: number;
  badinpdq: number;
  /** INITGUES minimum: the first iteration's thresholds are σ² × the guess's variance. */
  minimumGuess: boolean;
  noise: UvisNoise;
  /** SHADFILE values (s) under every science pixel, when SHADCORR is applied. */
  shading?: Float32Array;
  /** CR flags into the inputs' DQ, except the last nx % 8 columns (hstcal packs 8 flags a byte). */
  crmask: boolean;
}

export interface UvisLoopResult {
  /** Average rate (DN/s), its error, and the output DQ. */
  ave: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  /** Pixels flagged HIT or SPILL in the last iteration, summed over images. */
  nrej: number;
}

const MASKDQ = HIT | SPILL | EXCLUDE;

const f = Math.fround;

/** `ave` and `variance` are the initial guess (uvis-reject-guess.ts); both are replaced in place. */
export function uvisRejectionIterations(
  nx: number,
  ny: number,
  images: readonly UvisLoopImage[],
  ave: Float32Array,
  variance: Float32Array,
  p: UvisLoopParameters,
): UvisLoopResult {
  const npix = nx * ny;
  const width = Math.ceil(p.crradius);
  const s: State = {
    nx,
    ny,
    width,
    ringRows: Math.min(2 * width + 1, ny),
    rej2: f(p.crradius * p.crradius),
    psig2: p.crthresh <= 0 ? -1 : f(p.crthresh * p.crthresh),
    scale: f(p.scalense / 100),
    sig2: 0,
    dqpat: p.badinpdq & 0xffff,
    noise: p.noise,
    ave,
    dq: new Uint16Array(npix).fill(CR),
    dq2: new Uint16Array(nx),
    snapshot: new Uint16Array(nx),
    thresh: new Float32Array(nx),
    shadcorr: new Float32Array(nx).fill(1),
  };
  const active = images.map((_, n) => n).filter((n) => images[n]!.efac > 0);
  const ringSize = (n: number) => (images[n]!.efac > 0 ? s.ringRows * nx : 0);
  const rates = images.map((_, n) => new Float32Array(ringSize(n)));
  const masks = images.map((_, n) => new Uint16Array(ringSize(n)));
  const spill = images.map((_, n) => new Float32Array(ringSize(n)));
  const sum = new Float32Array(nx);
  const sumvar = new Float32Array(nx);
  const efacsum = new Float32Array(nx);
  const flagged = p.crmask ? nx - (nx % 8) : 0;
  let nrej = 0;
  for (let iteration = 0; iteration < p.sigmas.length; iteration++) {
    const last = iteration === p.sigmas.length - 1;
    const fromGuess = p.minimumGuess && iteration === 0;
    s.sig2 = f(p.sigmas[iteration]! * p.sigmas[iteration]!);
    for (const n of active) {
      for (let y = 0; y < Math.min(width + 1, ny); y++) loadRow(s, y, images[n]!, masks[n]!, rates[n]!, spill[n]!);
    }
    nrej = 0;
    for (let j = 0; j < ny; j++) {
      const row = j * nx;
      const slot = (j % s.ringRows) * nx;
      sum.fill(0);
      sumvar.fill(0);
      efacsum.fill(0);
      s.dq2.fill(0);
      for (const n of active) {
        const image = images[n]!;
        const mask = masks[n]!;
        const pic = rates[n]!;
        // Row j + width comes within reach of this row's hits (rows up to j + width − 1 already are).
        if (j > 0 && j + width < ny) loadRow(s, j + width, image, mask, pic, spill[n]!);
        s.snapshot.set(mask.subarray(slot, slot + nx));
        if (p.shading) shadingFactors(p.shading, row, f(image.efac), s.shadcorr);
        if (fromGuess) guessThresholds(s, row, variance, spill[n]!, slot);
        else noiseThresholds(s, row, image, spill[n]!, slot);
        testRow(s, row, j, pic, spill[n]!, mask);
        accumulateRow(slot, nx, pic, mask, f(image.efac), sum, efacsum);
        if (last) {
          accumulateVariance(s, slot, image, pic, mask, sumvar);
          nrej += flagLine(s, 0, row, image.dq, mask, slot, flagged);
        }
      }
      for (let i = 0; i < nx; i++) {
        const k = row + i;
        const exposure = efacsum[i]!;
        if (exposure > 0) {
          const shad = p.shading ? f(1 + f(p.shading[k]! / exposure)) : 1;
          ave[k] = f(f(sum[i]! / exposure) / shad);
          if (last) variance[k] = f(Math.sqrt(sumvar[i]!) / exposure);
        } else if (last) {
          ave[k] = 0;
          variance[k] = 0;
        }
      }
    }
  }
  if (flagged > 0) {
    // Images that took no part have no rejected pixel: their flags are cleared.
    for (const image of images) {
      if (image.efac > 0) continue;
      for (let row = 0; row < npix; row += nx) for (let i = 0; i < flagged; i++) image.dq[row + i]! &= ~CR;
    }
  }
  return { ave, err: variance, dq: s.dq, nrej };
}

/** What the per-row steps share: parameters, outputs and row buffers. */
interface State extends ThresholdState {
  ny: number;
  width: number;
  /** Rows of the rates', masks' and SPILL thresholds' rings. */
  ringRows: number;
  rej2: number;
  psig2: number;
  dqpat: number;
  /** Output DQ, and the running OR of the inputs' DQ over the current row (hstcal's dq2). */
  dq: Uint16Array;
  dq2: Uint16Array;
  /** The image's mask of the row before this image's test of the row. */
  snapshot: Uint16Array;
}

/**
 * Row y of an image into its slot of the rings: its mask from the input DQ, its rates (SCI − sky) / EXPTIME,
 * and what hstcal's SPILL-threshold buffer holds for a row not yet tested: raw SCI up to row CRRADIUS, rates below.
 */
function loadRow(
  s: State,
  y: number,
  image: UvisLoopImage,
  mask: Uint16Array,
  rates: Float32Array,
  spill: Float32Array,
): void {
  const { nx } = s;
  const row = y * nx;
  const slot = (y % s.ringRows) * nx;
  mask.set(image.dq.subarray(row, row + nx), slot);
  const { sci } = image;
  const sky = f(image.sky);
  const efac = f(image.efac);
  for (let i = 0; i < nx; i++) rates[slot + i] = f(f(sci[row + i]! - sky) / efac);
  if (y <= s.width) spill.set(sci.subarray(row, row + nx), slot);
  else spill.set(rates.subarray(slot, slot + nx), slot);
}

/** Excludes the row's flagged pixels, then marks the ones that stand out from `ave` as HIT and their neighbours SPILL. */
function testRow(s: State, row: number, line: number, pic: Float32Array, spill: Float32Array, mask: Uint16Array): void {
  const { nx, dqpat, snapshot, thresh, ave, width } = s;
  const slot = (line % s.ringRows) * nx;
  for (let i = 0; i < nx; i++) {
    const v = snapshot[i]!;
    if ((v & dqpat) !== 0 && v !== SPILL) mask[slot + i] = EXCLUDE;
  }
  for (let i = 0; i < nx; i++) {
    const d = f(pic[slot + i]! - ave[row + i]!);
    if (!(f(d * d) > thresh[i]!) || mask[slot + i] === EXCLUDE) continue;
    mask[slot + i] = HIT;
    if (width > 0) markSpill(s, line, i, pic, spill, mask);
  }
}

/** Adds the row's pixels (at `slot` of the rings) that are neither excluded nor rejected to the sums. */
function accumulateRow(
  slot: number,
  nx: number,
  pic: Float32Array,
  mask: Uint16Array,
  efacn: number,
  sum: Float32Array,
  efacsum: Float32Array,
): void {
  for (let i = 0; i < nx; i++) {
    if ((mask[slot + i]! & MASKDQ) !== 0) continue;
    sum[i] = f(sum[i]! + f(pic[slot + i]! * efacn));
    efacsum[i] = f(efacsum[i]! + efacn);
  }
}

/** Marks the neighbours of a hit within CRRADIUS that stand out above CRTHRESH² × their SPILL threshold. */
function markSpill(s: State, line: number, i: number, pic: Float32Array, spill: Float32Array, mask: Uint16Array): void {
  const { nx, ny, width, ringRows, rej2, psig2, ave } = s;
  for (let jj = 0; jj <= 2 * width; jj++) {
    const y = line - width + jj;
    if (y < 0 || y >= ny) continue;
    const j2 = (width - jj) * (width - jj);
    const slot = (y % ringRows) * nx;
    for (let x = i - width; x <= i + width; x++) {
      if ((x - i) * (x - i) + j2 > rej2) continue;
      if (x < 0 || x >= nx) continue;
      const r = slot + x;
      const d = f(pic[r]! - ave[y * nx + x]!);
      if (f(d * d) <= f(psig2 * spill[r]!)) continue;
      if (mask[r] !== HIT) mask[r] = SPILL;
    }
  }
}

/** Last iteration: Σ read variance + DN/gain of the kept pixels (the row at `slot` of the rings). */
function accumulateVariance(
  s: State,
  slot: number,
  image: UvisLoopImage,
  pic: Float32Array,
  mask: Uint16Array,
  sumvar: Float32Array,
): void {
  const { nx, noise } = s;
  const efacn = f(image.efac);
  const sky = f(image.sky);
  for (let i = 0; i < nx; i++) {
    if ((mask[slot + i]! & MASKDQ) !== 0) continue;
    const side = i < noise.ampx ? 0 : 1;
    const val = clipAtZero(f(f(pic[slot + i]! * efacn) + sky));
    sumvar[i] = f(sumvar[i]! + f(noise.readVariance[side] + f(val / noise.gain[side])));
  }
}
