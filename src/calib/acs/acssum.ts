/**
 * ACSSUM (calibration.md §2.13): the chips of repeated MAMA exposures summed — SCI added, ERR added in
 * quadrature (as variances, in float), DQ ORed — and the product's keywords. Algorithms follow hstcal
 * (BSD-3-Clause, AURA), acssum/acssum.c.
 */
import { CalibrationError } from "../common/errors.js";
import { emptyUpdates, type HeaderUpdates } from "../common/header-updates.js";
import { createImageSet, type ImageSet } from "../common/imset.js";
import { imageStatistics } from "../common/statistics.js";

const f = Math.fround;

/** The sum of one chip over all exposures (the first image set gives the geometry). */
export function sumRepeats(chips: readonly ImageSet[]): ImageSet {
  const first = chips[0];
  if (!first || chips.length < 2) throw new CalibrationError("INVALID_VALUE", "ACSSUM needs at least two inputs");
  const sum = createImageSet(first.nx, first.ny, {
    sci: Float32Array.from(first.sci),
    dq: Uint16Array.from(first.dq),
    geometry: { ltv: [...first.geometry.ltv], ltm: [...first.geometry.ltm] },
    chip: first.chip,
  });
  const variance = sum.err;
  for (let k = 0; k < variance.length; k++) variance[k] = f(first.err[k]! * first.err[k]!);
  for (const chip of chips.slice(1)) {
    if (chip.nx !== first.nx || chip.ny !== first.ny) {
      throw new CalibrationError("SIZE_MISMATCH", "ACSSUM inputs differ in size");
    }
    for (let k = 0; k < variance.length; k++) {
      sum.sci[k] = sum.sci[k]! + chip.sci[k]!;
      const e = chip.err[k]!;
      variance[k] = variance[k]! + f(e * e);
      sum.dq[k] = sum.dq[k]! | chip.dq[k]!;
    }
  }
  for (let k = 0; k < variance.length; k++) variance[k] = Math.sqrt(variance[k]!);
  return sum;
}

export interface SumHeaderInput {
  /** Primary EXPTIME and EXPEND of each input, in order. */
  exptimes: readonly number[];
  expends: readonly number[];
  /** Primary NRPTEXP of the first input. */
  nrptexp: number;
  /** Number of imsets per file (NEXTEND / 3). */
  nimsets: number;
  productRoot?: string;
  asnMtyp?: string;
}

/** Primary keywords of the summed product, and each extension's EXPNAME. */
export function sumKeywords(h: SumHeaderInput): HeaderUpdates {
  const updates = emptyUpdates();
  const n = h.exptimes.length;
  if (h.nrptexp !== n) updates.warnings.push(`${n} exposures will be summed, however, NRPTEXP was ${h.nrptexp}.`);
  Object.assign(updates.primary, {
    RPTCORR: "COMPLETE",
    NEXTEND: 3 * h.nimsets,
    NCOMBINE: n,
    EXPTIME: h.exptimes.reduce((a, t) => a + t, 0),
    EXPEND: h.expends[n - 1]!,
  });
  updates.history.push("RPTCORR complete", "Statistics computed after rptcorr.");
  if (h.asnMtyp !== undefined) updates.primary["ASN_MTYP"] = h.asnMtyp;
  if (h.productRoot !== undefined) {
    updates.primary["ROOTNAME"] = h.productRoot.toUpperCase();
    // hstcal acssum.c names the product in every extension's EXPNAME, as written (lower case).
    for (const ext of [updates.sci, updates.err, updates.dq]) ext["EXPNAME"] = h.productRoot;
  }
  return updates;
}

/** SCI/ERR statistics keywords of a summed chip (SDQFLAGS from the primary header, default 65535). */
export function sumStatistics(sum: ImageSet, sdqflags = 65535): Pick<HeaderUpdates, "sci" | "err"> {
  const stats = imageStatistics(sum, sdqflags);
  return { sci: { ...stats.sci }, err: { ...stats.err } };
}
