/**
 * calcos' mergeKeywords: once both FUV segments are calibrated, the segment-specific keywords of each
 * (NPHA_A, EXPTIMEA, GLOBRT_A, DEADRT_A, …) are copied into the other segment's product of the same kind, so
 * that `_corrtag_a` and `_corrtag_b` (and the `_flt`, `_counts` pairs) both describe the two segments. The files
 * are rewritten atomically, data untouched.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, type Header, rewriteHeaders } from "../../fits/index.js";

/** calcos' segment_specific_keywords, X standing for the segment's letter (the only capital). */
const SEGMENT_SPECIFIC = ["stimX_lx", "stimX_ly", "stimX_rx", "stimX_ry", "stimX0lx", "stimX0ly", "stimX0rx"]
  .concat(["stimX0ry", "stimXslx", "stimXsly", "stimXsrx", "stimXsry", "npha_X", "phalowrX", "phaupprX"])
  .concat(["tbrst_X", "nbrst_X", "tbadt_X", "nbadt_X", "nout_X", "nbadevtX", "exptimeX", "neventsX", "globrt_X"])
  .concat(["deadrt_X", "deadmt_X", "livetm_X", "sp_loc_X", "sp_off_X", "sp_nom_X", "sp_slp_X", "sp_hgt_X"])
  .concat(["sp_err_X", "b_bkg1_X", "b_bkg2_X", "b_hgt1_X", "b_hgt2_X", "shift1X", "shift2X", "dpixel1X"])
  .concat(["chi_sq_X", "ndf_X"]);

function firstExtensionHeader(path: string): Header {
  const file = FitsFile.open(path);
  try {
    return file.hdus[1].header.clone();
  } finally {
    file.close();
  }
}

export function copyKeywords(from: Header, to: Header, letter: "A" | "B"): void {
  for (const pattern of SEGMENT_SPECIFIC) {
    const key = pattern.replace("X", letter).toUpperCase();
    const card = from.cards.find((c) => c.keyword === key);
    if (card) to.set(key, card.value as string | number | boolean, { comment: card.comment });
  }
}

/** For each product kind, when both segments' files exist in `dir`. */
export function mergeSegmentKeywords(dir: string, root: string): void {
  for (const kind of ["corrtag", "flt", "counts"]) {
    const a = join(dir, `${root}_${kind}_a.fits`);
    const b = join(dir, `${root}_${kind}_b.fits`);
    if (!existsSync(a) || !existsSync(b)) return;
    const headerA = firstExtensionHeader(a);
    const headerB = firstExtensionHeader(b);
    rewriteHeaders(a, (header, hdu) => hdu.index === 1 && copyKeywords(headerB, header, "B"));
    rewriteHeaders(b, (header, hdu) => hdu.index === 1 && copyKeywords(headerA, header, "A"));
  }
}
