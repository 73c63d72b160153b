/**
 * Primary-header records of WF3CCD (calibration.md §0.1, §4; also the reference notes WF3IR names; hstcal doccd.c, wf3ccd.c, wf3hist.c): the
 * switches it completed, HISTORY with the reference files used, the CCDTAB gains and read noises
 * (ATODGNA..D, READNSEA..D) and the bias level per amp (BIASLEVA..D, only non-zero ones and only when the
 * raw header has the keywords).
 */
import { historySections } from "../../calib/common/step-trailer.js";
import type { Wf3CcdParameters } from "../../calib/wfc3/ccdtab.js";
import type { ReferenceNote } from "../../calib/wfc3/uvis-history.js";
import type { Wf3CcdResult } from "../../calib/wfc3/wf3ccd.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { addHistory, applyKeywords, setKeyword } from "../headers.js";
import { cachedReference, type ReferenceName, type ReferenceNames } from "../program-files.js";

/** The name, PEDIGREE and DESCRIP of a reference file (its primary header only). */
export function referenceNote(ref: ReferenceName, rowDescrip?: string): ReferenceNote {
  const note = cachedReference(`note:${ref.path}`, () => {
    const file = FitsFile.open(ref.path);
    try {
      const h = file.hdus[0].header;
      return { pedigree: String(h.get("PEDIGREE") ?? "").trim(), descrip: String(h.get("DESCRIP") ?? "").trim() };
    } finally {
      file.close();
    }
  });
  return { name: ref.name, ...note, rowDescrip };
}

export function ccdtabNote(references: ReferenceNames, params: Wf3CcdParameters): ReferenceNote | undefined {
  return references.CCDTAB ? referenceNote(references.CCDTAB, params.descrip) : undefined;
}

/** The notes of the reference files a step names in HISTORY (the CCDTAB with its row's DESCRIP). */
export function referenceNotes(references: ReferenceNames, params: Wf3CcdParameters): Record<string, ReferenceNote> {
  const notes: Record<string, ReferenceNote> = {};
  for (const [keyword, ref] of Object.entries(references)) {
    if (ref) notes[keyword] = referenceNote(ref, keyword === "CCDTAB" ? params.descrip : undefined);
  }
  return notes;
}

const AMPS = ["A", "B", "C", "D"];

/**
 * Writes WF3CCD's primary keywords and HISTORY (the first chip's: its switches and lines); returns the
 * trailer's lines: a section per step, and what the steps flagged.
 */
export function recordWf3Ccd(primary: Header, params: Wf3CcdParameters[], results: Wf3CcdResult[]): string[] {
  const first = results[0];
  if (first) applyKeywords(primary, first.primary);
  const last = params[params.length - 1];
  if (last) {
    AMPS.forEach((a, k) => {
      setKeyword(primary, `ATODGN${a}`, last.atodgain[k]);
      setKeyword(primary, `READNSE${a}`, last.readnoise[k]);
    });
  }
  if (primary.has("BIASLEVA")) {
    AMPS.forEach((a, k) => {
      for (const r of results)
        if (r.blev && r.blev.levels[k] !== 0) setKeyword(primary, `BIASLEV${a}`, Math.fround(r.blev.levels[k]));
    });
  }
  if (!first || first.history.length === 0) return [];
  addHistory(primary, first.history);
  const trailer = historySections(first.history, first.steps);
  const saturated = results.map((r) => r.atodSaturated).filter((n) => n !== undefined);
  if (saturated.length > 0)
    trailer.push(`ATODCORR: pixels past the A-to-D table flagged (256): ${saturated.join(", ")}`);
  const counts = results.map((r, k) => (r.sink && "flagged" in r.sink ? `imset ${k + 1}: ${r.sink.flagged}` : ""));
  const flagged = counts.filter((c) => c !== "");
  return flagged.length > 0 ? [...trailer, `Sink pixels newly flagged (1024): ${flagged.join(", ")}`] : trailer;
}
