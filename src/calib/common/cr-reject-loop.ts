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
 * The per-row work runs in the kernels of reject-kernels.ts (WebAssembly SIMD, or TypeScript with CALDP_WASM=0).
 * Plain typed arrays in and out, no shared state: the two chips can run in separate worker threads.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acsrej_loop.c.
 */
import { CR, EXCLUDE, HIT, SPILL } from "./cr-flags.js";
import { clearCrFlags, type MemberRows, rowsOf } from "./member-rows.js";
import type { RejectMemory } from "./reject-kernels.js";
import {
  clearRow,
  flagRow,
  type ImageRings,
  loadAverageRow,
  loadMaskAndRates,
  type RejectRings,
  rejectRings,
  slotOf,
} from "./reject-rings.js";

export interface LoopImage {
  /** SCI and ERR in electrons, DQ as read (SCI and DQ empty when `rows` gives them). */
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  /** SCI and DQ by rows, CR flags written back through it. */
  rows?: MemberRows;
  /** ERR row y when `err` is not held whole. */
  errRow?: (y: number) => Float32Array;
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
  /** The kernels to use instead of the ones CALDP_WASM chooses. */
  kernels?: RejectMemory["kind"];
  /** Takes the last iteration's rows as they are final (the result's ERR and DQ are then empty). */
  output?: RowOutput;
}

/** Row y of the final average, output ERR and DQ (views, valid during the call), in row order. */
export type RowOutput = (y: number, ave: Float32Array, err: Float32Array, dq: Uint16Array) => void;

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
  const width = Math.ceil(p.crradius);
  let dqpat = p.badinpdq & 0xffff;
  let maskdq = HIT | SPILL | EXCLUDE;
  if (p.biasOrDark) {
    maskdq = HIT | SPILL;
    dqpat &= ~EXCLUDE;
  }
  let exptot = 0;
  for (const image of images) exptot = f(exptot + image.efac);
  const ringRows = Math.min(2 * width + 1, ny);
  const r = rejectRings(
    nx,
    ringRows,
    images.map((image) => image.efac > 0),
    true,
    p.kernels,
  );
  const rows = images.map((image) => rowsOf(image, nx));
  const s: LineState = {
    r,
    rows,
    ny,
    width,
    rej2: f(p.crradius * p.crradius),
    psig2: p.crthresh <= 0 ? -1 : f(p.crthresh * p.crthresh),
    dqpat,
    maskdq,
    scale: f(p.scalense / 100),
    sig2: 0,
    exptot,
    flagged: p.crmask ? nx - (nx % 8) : 0,
  };
  // with `output`, the output DQ is one row, the ERR is only the kernels' row
  const err = new Float32Array(p.output ? 0 : npix);
  const dq = new Uint16Array(p.output ? nx : npix).fill(CR);
  let nrej = 0;
  for (let iteration = 0; iteration < p.sigmas.length; iteration++) {
    const last = iteration === p.sigmas.length - 1;
    s.sig2 = f(p.sigmas[iteration]! * p.sigmas[iteration]!);
    for (let y = 0; y < Math.min(width + 1, ny); y++) {
      loadAverageRow(r, ave, y);
      for (let n = 0; n < images.length; n++) if (r.images[n]) loadRow(s, y, n, images[n]!, r.images[n]!);
    }
    for (let j = 0; j < ny; j++) {
      const row = j * nx;
      const dqAt = p.output ? 0 : row;
      if (last && p.output) dq.fill(CR);
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
        testLine(s, p.shading, j, image, rings);
        const at = 4 * slot;
        const efacn = f(image.efac);
        r.kernels.accumulateRow(
          nx,
          maskdq,
          efacn,
          rings.rates.at + at,
          rings.mask.at + 2 * slot,
          rings.err.at + at,
          r.sum.at,
          r.efacsum.at,
          r.err2.at,
        );
        // A row's mask took the input DQ when it was loaded, before its own line can set CR flags.
        if (last) nrej += flagRow(r, rings, slot, dq, dqAt, s.flagged, (dqRow) => rows[n]!.putDq(j, dqRow));
      }
      let shading = 0;
      if (p.shading) {
        r.stage.view.set(p.shading.subarray(row, row + nx));
        shading = r.stage.at;
      }
      r.kernels.averageRow(
        nx,
        last,
        true,
        exptot,
        r.sum.at,
        r.efacsum.at,
        r.err2.at,
        shading,
        r.ave.at + 4 * slot,
        r.errOut.at,
      );
      ave.set(r.ave.view.subarray(slot, slot + nx), row);
      if (last && p.output) p.output(j, ave.subarray(row, row + nx), r.errOut.view, dq);
      else if (last) err.set(r.errOut.view, row);
    }
  }
  if (s.flagged > 0) {
    // Images that took no part have no rejected pixel: their flags are cleared.
    images.forEach((image, n) => {
      if (!(image.efac > 0)) clearCrFlags(rows[n]!, nx, ny, s.flagged);
    });
  }
  return { err, dq, nrej };
}

/** What the per-line steps of one iteration share. */
interface LineState {
  r: RejectRings;
  rows: MemberRows[];
  ny: number;
  width: number;
  rej2: number;
  psig2: number;
  dqpat: number;
  maskdq: number;
  scale: number;
  /** σ² of the current iteration. */
  sig2: number;
  exptot: number;
  /** Columns whose CR flag is written back (0 without CRMASK). */
  flagged: number;
}

/**
 * Row y of an image into its slot of the rings: its mask from the input DQ, its count rates (SCI − sky) / EXPTIME,
 * its ERR and SPILL thresholds σ² ERR² / EXPTIME².
 */
function loadRow(s: LineState, y: number, n: number, image: LoopImage, rings: ImageRings): void {
  const { r } = s;
  const { nx } = r;
  const efac = f(image.efac);
  const { sci, dq } = s.rows[n]!.band(y, 1);
  loadMaskAndRates(r, rings, y, sci, dq, f(image.sky), efac);
  const slot = slotOf(r, y);
  rings.err.view.set(image.errRow ? image.errRow(y) : image.err.subarray(y * nx, (y + 1) * nx), slot);
  r.kernels.spillFromErrors(rings.err.at + 4 * slot, rings.spill.at + 4 * slot, nx, s.sig2, f(efac * efac));
}

/**
 * Excludes the line's pixels with a bad-input DQ bit (a SPILL mark from an earlier line excepted), then marks the
 * ones that stand out from the average as HIT, and their neighbours as SPILL.
 */
function testLine(
  s: LineState,
  shading: Float32Array | undefined,
  line: number,
  image: LoopImage,
  rings: ImageRings,
): void {
  const { r, width } = s;
  const { nx } = r;
  const slot = slotOf(r, line);
  r.kernels.excludeFlagged(rings.mask.at + 2 * slot, r.snapshot.at, nx, s.dqpat);
  const efacn = f(image.efac);
  if (shading) shadingFactors(shading, line * nx, efacn, r.shadcorr.view);
  r.kernels.testRowAcs(
    nx,
    s.ny,
    r.ringRows,
    line,
    width,
    s.rej2,
    s.psig2,
    s.sig2,
    s.scale,
    efacn,
    f(efacn * efacn),
    rings.rates.at,
    rings.err.at,
    rings.spill.at,
    r.ave.at,
    rings.mask.at,
    shading ? r.shadcorr.at : 0,
  );
}

/** 1 + shad / EXPTIME per pixel of a row (hstcal getShadcorr). */
function shadingFactors(shading: Float32Array, row: number, efacn: number, out: Float32Array): void {
  const k = f(1 / efacn);
  for (let i = 0; i < out.length; i++) out[i] = f(f(shading[row + i]! * k) + 1);
}
