/**
 * ACSREJ iterations for one chip (calibration.md §2.12 step 3, §9.5): per iteration and per row
 * (row 0 first), each exposed image's pixels are tested against the comparison image `ave`; hits
 * mark their neighbours within CRRADIUS as SPILL when those exceed CRTHRESH² × the spill threshold.
 * The row's new average is written into `ave` in place right after the row, so later rows' spill
 * tests see it while the thresholds still use the previous iteration's values. The last iteration
 * also builds the output ERR and DQ and the per-image CR flags.
 * Each image's count rates and mask are kept for the 2·CRRADIUS + 1 rows a hit can reach (a ring of rows,
 * row y at slot y mod that count), each row loaded when it comes within reach: the masks start every
 * iteration from the input DQ as a whole-image copy would, at a few rows' memory instead of 6 bytes a pixel.
 * Plain typed arrays in and out, no shared state: the two chips can run in separate worker threads.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acsrej_loop.c.
 */
import { CR, EXCLUDE, flagLine, HIT, SPILL } from "./cr-flags.js";

export interface LoopImage {
  /** SCI and ERR in electrons, DQ as read. */
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  /** EXPTIME (1 for every image when all are 0); an image with efac ≤ 0 takes no part. */
  efac: number;
  sky: number;
}

export interface LoopParameters {
  sigmas: readonly number[];
  crradius: number;
  crthresh: number;
  /** Percent. */
  scalense: number;
  badinpdq: number;
  /** IMAGETYP BIAS or DARK: DQ bit 4 neither excludes a pixel nor removes it from the sum. */
  biasOrDark: boolean;
  /** SHADFILE values (s) under every science pixel, when SHADCORR is applied. */
  shading?: Float32Array;
  /**
   * CRMASK: the images' DQ get 8192 set where the last iteration rejected the pixel and cleared elsewhere,
   * in place. hstcal packs the flags 8 pixels to a byte and unpacks whole bytes only, so the last nx % 8
   * columns keep their DQ.
   */
  crmask?: boolean;
}

export interface LoopResult {
  /** Output ERR (e) and DQ. */
  err: Float32Array;
  dq: Uint16Array;
  /** Pixels flagged HIT or SPILL in the last iteration, summed over images. */
  nrej: number;
}

const f = Math.fround;

/** Runs the iterations; `ave` (e/s, the initial guess on entry) holds the final average on return. */
export function rejectionIterations(
  nx: number,
  ny: number,
  images: readonly LoopImage[],
  ave: Float32Array,
  p: LoopParameters,
): LoopResult {
  const npix = nx * ny;
  const scale = f(p.scalense / 100);
  const width = Math.ceil(p.crradius);
  const rej2 = f(p.crradius * p.crradius);
  const psig2 = p.crthresh <= 0 ? -1 : f(p.crthresh * p.crthresh);
  let dqpat = p.badinpdq & 0xffff;
  let maskdq = HIT | SPILL | EXCLUDE;
  if (p.biasOrDark) {
    maskdq = HIT | SPILL;
    dqpat &= ~EXCLUDE;
  }
  let exptot = 0;
  for (const image of images) exptot = f(exptot + image.efac);
  const active = images.map((_, n) => n).filter((n) => images[n]!.efac > 0);
  const ringRows = Math.min(2 * width + 1, ny);
  const pic = images.map((image) => new Float32Array(image.efac > 0 ? ringRows * nx : 0));
  const masks = images.map((image) => new Uint16Array(image.efac > 0 ? ringRows * nx : 0));
  const flagged = p.crmask ? nx - (nx % 8) : 0;
  const line: LineState = {
    nx,
    ny,
    width,
    ringRows,
    rej2,
    psig2: f(psig2),
    dqpat,
    maskdq,
    scale,
    sig2: 0,
    shading: p.shading,
    flagged,
    exptot,
    ave,
    err: new Float32Array(npix),
    dq: new Uint16Array(npix).fill(CR),
    sum: new Float32Array(nx),
    efacsum: new Float32Array(nx),
    err2: new Float32Array(nx),
    snapshot: new Uint16Array(nx),
    dq2: new Uint16Array(nx),
    shadcorr: new Float32Array(nx),
  };
  let nrej = 0;
  for (let iteration = 0; iteration < p.sigmas.length; iteration++) {
    const last = iteration === p.sigmas.length - 1;
    line.sig2 = f(p.sigmas[iteration]! * p.sigmas[iteration]!);
    for (const n of active)
      for (let y = 0; y < Math.min(width + 1, ny); y++) loadRow(line, y, images[n]!, masks[n]!, pic[n]!);
    for (let j = 0; j < ny; j++) {
      line.sum.fill(0);
      line.efacsum.fill(0);
      line.err2.fill(0);
      line.dq2.fill(0);
      const slot = (j % ringRows) * nx;
      for (const n of active) {
        const image = images[n]!;
        // Row j + width comes within reach of this row's hits (rows up to j + width − 1 already are).
        if (j > 0 && j + width < ny) loadRow(line, j + width, image, masks[n]!, pic[n]!);
        excludeFlagged(line, slot, masks[n]!);
        if (line.shading) shadingFactors(line.shading, j * nx, f(image.efac), line.shadcorr);
        testLine(line, j, image, masks[n]!, pic[n]!);
        accumulateLine(line, j * nx, slot, image, masks[n]!, pic[n]!);
        // A row's mask took the input DQ when it was loaded, before its own line can set CR flags.
        if (last) nrej += flagLine(line, 0, j * nx, image.dq, masks[n]!, slot, line.flagged);
      }
      averageLine(line, j * nx, last);
    }
  }
  const { err, dq } = line;
  if (flagged > 0) {
    // Images that took no part have no rejected pixel: their flags are cleared.
    for (const image of images) {
      if (image.efac > 0) continue;
      for (let row = 0; row < npix; row += nx) for (let i = 0; i < flagged; i++) image.dq[row + i]! &= ~CR;
    }
  }
  return { err, dq, nrej };
}

/** What the per-line steps of one iteration share: parameters, the outputs and the line accumulators. */
interface LineState {
  nx: number;
  ny: number;
  width: number;
  /** Rows of the masks' and rates' rings. */
  ringRows: number;
  rej2: number;
  psig2: number;
  dqpat: number;
  maskdq: number;
  scale: number;
  /** σ² of the current iteration. */
  sig2: number;
  shading?: Float32Array;
  /** Columns whose CR flag is written back (0 without CRMASK). */
  flagged: number;
  exptot: number;
  ave: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  sum: Float32Array;
  efacsum: Float32Array;
  err2: Float32Array;
  /** The image's mask of the line as it was before this iteration touched the line. */
  snapshot: Uint16Array;
  dq2: Uint16Array;
  shadcorr: Float32Array;
}

/** Row y of an image into its slot of the rings: its mask from the input DQ, its count rates (SCI − sky) / EXPTIME. */
function loadRow(s: LineState, y: number, image: LoopImage, mask: Uint16Array, rates: Float32Array): void {
  const { nx } = s;
  const row = y * nx;
  const slot = (y % s.ringRows) * nx;
  mask.set(image.dq.subarray(row, row + nx), slot);
  const { sci } = image;
  const sky = f(image.sky);
  const efac = f(image.efac);
  for (let i = 0; i < nx; i++) rates[slot + i] = f(sci[row + i]! - sky) / efac;
}

/** Pixels with a bad-input DQ bit (a SPILL mark from an earlier line excepted) are excluded. */
function excludeFlagged(s: LineState, slot: number, mask: Uint16Array): void {
  const { nx, dqpat, snapshot } = s;
  snapshot.set(mask.subarray(slot, slot + nx));
  for (let i = 0; i < nx; i++) {
    const v = snapshot[i]!;
    if ((v & dqpat) !== 0 && v !== SPILL) mask[slot + i] = EXCLUDE;
  }
}

/** Marks the line's pixels that stand out from `ave` as HIT, and their neighbours as SPILL. */
function testLine(s: LineState, line: number, image: LoopImage, mask: Uint16Array, rates: Float32Array): void {
  const { nx, ny, width, ringRows, rej2, psig2, sig2, scale, ave, shading, shadcorr } = s;
  const errors = image.err;
  const efacn = f(image.efac);
  const exp2n = f(efacn * efacn);
  const row = line * nx;
  const slot = (line % ringRows) * nx;
  for (let i = 0; i < nx; i++) {
    const k = row + i;
    if (mask[slot + i] === EXCLUDE) continue;
    const a = ave[k]!;
    const d = f(rates[slot + i]! - a);
    const e = errors[k]!;
    const e2 = f(e * e);
    let signal = f(a * efacn);
    if (shading) signal = f(signal / shadcorr[i]!);
    const t = f(scale * (signal > 0 ? signal : 0));
    const threshold = f(f(sig2 * f(e2 + f(t * t))) / exp2n);
    if (!(f(d * d) > threshold)) continue;
    mask[slot + i] = HIT;
    if (width > 0) markSpill(nx, ny, ringRows, line, i, width, rej2, psig2, sig2, exp2n, rates, errors, ave, mask);
  }
}

/** Adds the line's pixels that are neither excluded nor rejected to the sums. */
function accumulateLine(
  s: LineState,
  row: number,
  slot: number,
  image: LoopImage,
  mask: Uint16Array,
  rates: Float32Array,
): void {
  const { nx, maskdq, sum, efacsum, err2 } = s;
  const errors = image.err;
  const efacn = f(image.efac);
  for (let i = 0; i < nx; i++) {
    if ((mask[slot + i]! & maskdq) !== 0) continue;
    sum[i] = f(sum[i]! + f(rates[slot + i]! * efacn));
    efacsum[i] = f(efacsum[i]! + efacn);
    const e = errors[row + i]!;
    err2[i] = f(err2[i]! + f(e * e));
  }
}

/** The line's new average (and, in the last iteration, its ERR). */
function averageLine(s: LineState, row: number, last: boolean): void {
  const { nx, sum, efacsum, err2, ave, err, exptot, shading } = s;
  for (let i = 0; i < nx; i++) {
    const k = row + i;
    const exposure = efacsum[i]!;
    if (exposure > 0) {
      const rate = f(sum[i]! / exposure);
      ave[k] = shading ? f(rate / f(1 + f(shading[k]! / exposure))) : rate;
      if (last) err[k] = f(f(exptot / exposure) * Math.sqrt(err2[i]!));
    } else if (last) {
      ave[k] = 0;
      err[k] = 0;
    }
  }
}

/** 1 + shad / EXPTIME per pixel of a row (hstcal getShadcorr). */
function shadingFactors(shading: Float32Array, row: number, efacn: number, out: Float32Array): void {
  const k = f(1 / efacn);
  for (let i = 0; i < out.length; i++) out[i] = f(f(shading[row + i]! * k) + 1);
}

/** Marks the neighbours of a hit within the radius that stand out above CRTHRESH² × σ² ERR² / t². */
function markSpill(
  nx: number,
  ny: number,
  ringRows: number,
  line: number,
  i: number,
  width: number,
  rej2: number,
  psig2: number,
  sig2: number,
  exp2n: number,
  rates: Float32Array,
  errors: Float32Array,
  ave: Float32Array,
  mask: Uint16Array,
): void {
  for (let jj = 0; jj <= 2 * width; jj++) {
    const y = line - width + jj;
    if (y < 0 || y >= ny) continue;
    const j2 = (width - jj) * (width - jj);
    const slot = (y % ringRows) * nx;
    for (let x = i - width; x <= i + width; x++) {
      if ((x - i) * (x - i) + j2 > rej2) continue;
      if (x < 0 || x >= nx) continue;
      const k = y * nx + x;
      const e = errors[k]!;
      const spillThreshold = f(f(sig2 * f(e * e)) / exp2n);
      const d = f(rates[slot + x]! - ave[k]!);
      if (f(d * d) <= f(psig2 * spillThreshold)) continue;
      if (mask[slot + x] !== HIT) mask[slot + x] = SPILL;
    }
  }
}
