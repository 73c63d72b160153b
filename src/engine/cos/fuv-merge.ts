/**
 * calcos' mergeKeywords: once both FUV segments are calibrated, the segment-specific keywords of each
 * (NPHA_A, EXPTIMEA, GLOBRT_A, DEADRT_A, …) are copied into the other segment's product of the same kind, so
 * that `_corrtag_a` and `_corrtag_b` (and the `_flt`, `_counts` pairs) both describe the two segments. The files
 * are rewritten atomically, data untouched.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, type Header, rewriteHeaders } from "../../fits/index.js";

/** calcos' segment_specific_keywords, X standing for the segment's letter. */
const SEGMENT_SPECIFIC = ["STIMX_LX", "STIMX_LY", "STIMX_RX", "STIMX_RY", "STIMX0LX", "STIMX0LY", "STIMX0RX"]
  .concat(["STIMX0RY", "STIMXSLX", "STIMXSLY", "STIMXSRX", "STIMXSRY", "NPHA_X", "PHALOWRX", "PHAUPPRX"])
  .concat(["TBRST_X", "NBRST_X", "TBADT_X", "NBADT_X", "NOUT_X", "NBADEVTX", "EXPTIMEX", "NEVENTSX", "GLOBRT_X"])
  .concat(["DEADRT_X", "DEADMT_X", "LIVETM_X", "SP_LOC_X", "SP_OFF_X", "SP_NOM_X", "SP_SLP_X", "SP_HGT_X"])
  .concat(["SP_ERR_X", "B_BKG1_X", "B_BKG2_X", "B_HGT1_X", "B_HGT2_X", "SHIFT1X", "SHIFT2X", "DPIXEL1X"])
  .concat(["CHI_SQ_X", "NDF_X"]);

function firstExtensionHeader(path: string): Header {
  const file = FitsFile.open(path);
  try {
    return file.hdus[1].header.clone();
  } finally {
    file.close();
  }
}

function copyKeywords(from: Header, to: Header, letter: "A" | "B"): void {
  for (const pattern of SEGMENT_SPECIFIC) {
    const key = pattern.replace("X", letter);
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
