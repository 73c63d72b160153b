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
 * made at the start of the iteration would hold it, at a few rows' memory instead of 10 bytes a pixel. The per-row
 * tests and sums run in the kernels of common/reject-kernels.ts (WebAssembly SIMD, or TypeScript with CALDP_WASM=0).
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_loop.c.
 */
import { CR, EXCLUDE, HIT, SPILL } from "../common/cr-flags.js";
import type { RowOutput } from "../common/cr-reject-loop.js";
import { clearCrFlags, type MemberRows, rowsOf } from "../common/member-rows.js";
import type { RejectMemory } from "../common/reject-kernels.js";
import {
  clearRow,
  flagRow,
  type ImageRings,
  loadAverageRow,
  loadMaskAndRates,
  type RejectRings,
  rejectRings,
  slotOf,
} from "../common/reject-rings.js";
import { clipAtZero, type UvisNoise } from "./uvis-reject-noise.js";
import { guessThresholds, shadingFactors, type ThresholdState } from "./uvis-reject-thresholds.js";

export interface UvisLoopImage {
  sci: Float32Array;
  /** DQ as read; with CRMASK the CR flags are written back into it (or through `rows`). */
  dq: Uint16Array;
  /** SCI and DQ by rows (`sci` and `dq` then empty). */
  rows?: MemberRows;
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
  /** The kernels to use instead of the ones CALDP_WASM chooses. */
  kernels?: RejectMemory["kind"];
  /** Takes the last iteration's rows (rate, error, DQ) as they are final (the result's DQ is then empty). */
  output?: RowOutput;
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
  const ringRows = Math.min(2 * width + 1, ny);
  const r = rejectRings(
    nx,
    ringRows,
    images.map((image) => image.efac > 0),
    false,
    p.kernels,
  );
  const s: State = {
    r,
    rows: images.map((image) => rowsOf(image, nx)),
    nx,
    ny,
    width,
    rej2: f(p.crradius * p.crradius),
    psig2: p.crthresh <= 0 ? -1 : f(p.crthresh * p.crthresh),
    scale: f(p.scalense / 100),
    sig2: 0,
    dqpat: p.badinpdq & 0xffff,
    noise: p.noise,
    ave,
    dq: new Uint16Array(p.output ? nx : npix).fill(CR), // one row with `output`
    dq2: r.dq2.view,
    snapshot: r.snapshot.view,
    thresh: r.thresh.view,
    shadcorr: r.shadcorr.view.fill(1),
  };
  const flagged = p.crmask ? nx - (nx % 8) : 0;
  let nrej = 0;
  for (let iteration = 0; iteration < p.sigmas.length; iteration++) {
    const last = iteration === p.sigmas.length - 1;
    const fromGuess = p.minimumGuess && iteration === 0;
    s.sig2 = f(p.sigmas[iteration]! * p.sigmas[iteration]!);
    for (let y = 0; y < Math.min(width + 1, ny); y++) {
      loadAverageRow(r, ave, y);
      for (let n = 0; n < images.length; n++) if (r.images[n]) loadRow(s, y, n, images[n]!, r.images[n]!);
    }
    nrej = 0;
    for (let j = 0; j < ny; j++) {
      const row = j * nx;
      const dqAt = p.output ? 0 : row;
      if (last && p.output) s.dq.fill(CR);
      const slot = slotOf(r, j);
      clearRow(r);
      // Row j + width comes within reach of this row's hits (rows up to j + width − 1 already are).
      const loadNext = j > 0 && j + width < ny;
      if (loadNext) loadAverageRow(r, ave, j + width);
      for (let n = 0; n < images.length; n++) {
        const rings = r.images[n];
        if (!rings) continue;
        const image = images[n]!;
        if (loadNext) loadRow(s, j + width, n, image, rings);
        r.kernels.excludeFlagged(rings.mask.at + 2 * slot, r.snapshot.at, nx, s.dqpat);
        if (p.shading) shadingFactors(p.shading, row, f(image.efac), s.shadcorr);
        if (fromGuess) guessThresholds(s, row, variance, rings.spill.view, slot);
        else noiseThresholds(s, slot, image, rings);
        const { rates, spill, mask } = rings;
        r.kernels.testRowThresholds(
          nx,
          ny,
          ringRows,
          j,
          width,
          s.rej2,
          s.psig2,
          rates.at,
          spill.at,
          r.ave.at,
          mask.at,
          r.thresh.at,
        );
        r.kernels.accumulateRow(
          nx,
          MASKDQ,
          f(image.efac),
          rates.at + 4 * slot,
          mask.at + 2 * slot,
          0,
          r.sum.at,
          r.efacsum.at,
          0,
        );
        if (last) {
          accumulateVariance(s, slot, image, rings, r.err2.view);
          nrej += flagRow(r, rings, slot, s.dq, dqAt, flagged, (dqRow) => s.rows[n]!.putDq(j, dqRow));
        }
      }
      let shading = 0;
      if (p.shading) {
        r.stage.view.set(p.shading.subarray(row, row + nx));
        shading = r.stage.at;
      }
      r.kernels.averageRow(
        nx,
        last,
        false,
        0,
        r.sum.at,
        r.efacsum.at,
        r.err2.at,
        shading,
        r.ave.at + 4 * slot,
        r.errOut.at,
      );
      ave.set(r.ave.view.subarray(slot, slot + nx), row);
      if (last && p.output) p.output(j, ave.subarray(row, row + nx), r.errOut.view, s.dq);
      else if (last) variance.set(r.errOut.view, row);
    }
  }
  if (flagged > 0) {
    // Images that took no part have no rejected pixel: their flags are cleared.
    images.forEach((image, n) => {
      if (!(image.efac > 0)) clearCrFlags(s.rows[n]!, nx, ny, flagged);
    });
  }
  return { ave, err: variance, dq: s.dq, nrej };
}

/** What the per-row steps share: parameters, outputs and row buffers. */
interface State extends ThresholdState {
  r: RejectRings;
  rows: MemberRows[];
  ny: number;
  width: number;
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
function loadRow(s: State, y: number, n: number, image: UvisLoopImage, rings: ImageRings): void {
  const { r, nx } = s;
  const { sci, dq } = s.rows[n]!.band(y, 1);
  loadMaskAndRates(r, rings, y, sci, dq, f(image.sky), f(image.efac));
  const slot = slotOf(r, y);
  if (y <= s.width) rings.spill.view.set(sci, slot);
  else rings.spill.view.set(rings.rates.view.subarray(slot, slot + nx), slot);
}

/** σ² (read variance + DN/gain [+ (scale × signal)²]) / EXPTIME² of the current average, per column and amp. */
function noiseThresholds(s: State, slot: number, image: UvisLoopImage, rings: ImageRings): void {
  const { r, nx, noise } = s;
  const efacn = f(image.efac);
  const [sky, exp2n] = [f(image.sky), f(efacn * efacn)];
  const [ave, spill] = [r.ave.at + 4 * slot, rings.spill.at + 4 * slot];
  for (const [side, from, to] of [
    [0, 0, noise.ampx],
    [1, noise.ampx, nx],
  ] as const) {
    const [variance, gain] = [noise.readVariance[side], noise.gain[side]];
    r.kernels.noiseThresholds(
      from,
      to,
      efacn,
      sky,
      s.sig2,
      s.scale,
      exp2n,
      variance,
      gain,
      ave,
      r.shadcorr.at,
      r.thresh.at,
      spill,
    );
  }
}

/** Last iteration: Σ read variance + DN/gain of the kept pixels (the row at `slot` of the rings). */
function accumulateVariance(
  s: State,
  slot: number,
  image: UvisLoopImage,
  rings: ImageRings,
  sumvar: Float32Array,
): void {
  const { nx, noise } = s;
  const pic = rings.rates.view;
  const mask = rings.mask.view;
  const efacn = f(image.efac);
  const sky = f(image.sky);
  for (let i = 0; i < nx; i++) {
    if ((mask[slot + i]! & MASKDQ) !== 0) continue;
    const side = i < noise.ampx ? 0 : 1;
    const val = clipAtZero(f(f(pic[slot + i]! * efacn) + sky));
    sumvar[i] = f(sumvar[i]! + f(noise.readVariance[side] + f(val / noise.gain[side])));
  }
}
