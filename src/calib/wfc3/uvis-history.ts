/**
 * Primary-header HISTORY of the UVIS steps (calibration.md §0.1; hstcal wf3hist.c, imghistory.c,
 * tabhistory.c): after each step's switch line the reference file it used, with its PEDIGREE and
 * DESCRIP (and the table row's DESCRIP), and the step-specific notes of DQICORR and BLEVCORR.
 */
import { type ReferenceNote, referenceLines } from "../common/ccd-history.js";

export type { ReferenceNote };

/** CCDHistory: written by WF3CCD and again by WF32D. */
export function ccdTableHistory(ccdtab: ReferenceNote): string[] {
  return ["CCD parameters table: ", ...referenceLines("table", ccdtab)];
}

export interface Wf3CcdHistory {
  ccdtab: ReferenceNote;
  noiseInitialized: boolean;
  dqicorr?: { bpixtab?: ReferenceNote };
  /** ATODCORR done (or skipped for a DUMMY table) with its ATODTAB and the row's DESCRIP. */
  atodcorr?: { dummy: boolean; atodtab: ReferenceNote };
  /** BLEVCORR done: from the overscan (false for a subarray without one) and with a drift term. */
  blevcorr?: { fromOverscan: boolean; drift: boolean; oscntab: ReferenceNote };
  biascorr?: { bias: ReferenceNote };
  /** Sink-pixel flagging (with DQICORR; hstcal only says it in the trailer): the SNKCFILE, or skipped for binned data. */
  sink?: { snkcfile: ReferenceNote } | { skipped: "binned" };
  /** FLSHCORR outcome, the step's own messages and the FLSHFILE. */
  flshcorr?: { state: "COMPLETE" | "SKIPPED"; messages: string[]; flash: ReferenceNote };
}

export function wf3ccdHistory(h: Wf3CcdHistory): string[] {
  const lines = ccdTableHistory(h.ccdtab);
  if (h.noiseInitialized) lines.push("Uncertainty array initialized.");
  if (h.dqicorr) {
    lines.push("DQICORR complete ...", "  values checked for saturation");
    if (h.dqicorr.bpixtab) lines.push("  DQ array initialized ...", ...referenceLines("table", h.dqicorr.bpixtab));
  }
  if (h.atodcorr) {
    lines.push(h.atodcorr.dummy ? "ATODCORR skipped due to dummy reference file ..." : "ATODCORR complete ...");
    if (!h.atodcorr.dummy) lines.push(...referenceLines("table", h.atodcorr.atodtab));
  }
  if (h.blevcorr) {
    lines.push(
      h.blevcorr.fromOverscan
        ? "BLEVCORR complete; bias level from overscan was subtracted."
        : "BLEVCORR complete, but default bias level was subtracted.",
      h.blevcorr.drift
        ? "BLEVCORR includes correction for drift along lines."
        : "BLEVCORR does not include correction for drift along lines.",
      "  Overscan region table: ",
      ...referenceLines("table", h.blevcorr.oscntab),
    );
  }
  if (h.biascorr) lines.push("BIASCORR complete ...", ...referenceLines("image", h.biascorr.bias));
  if (h.sink && "skipped" in h.sink) lines.push("Binned data not supported for Sink Pixel detection");
  else if (h.sink) lines.push("Sink pixel flagging complete ...", ...referenceLines("image", h.sink.snkcfile));
  if (h.flshcorr) {
    const { state, messages, flash } = h.flshcorr;
    lines.push(...messages, `FLSHCORR ${state === "COMPLETE" ? "complete" : "not performed"} ...`);
    lines.push(...referenceLines("image", flash));
  }
  return lines;
}
