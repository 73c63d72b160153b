/**
 * calstis12 on files: the SHIFTA1/SHIFTA2 of a wavecal (written by calstis4) into the SCI, ERR and DQ headers of
 * every imset of a science file (`_flt` or `_crj`), WAVECORR = COMPLETE and its HISTORY in the primary header.
 * The science file is rewritten under a temporary name and renamed (rewriteHeaders); the wavecal is only read.
 */
import { basename } from "node:path";
import {
  checkWavecalMatches,
  cs12History,
  imsetMidpoint,
  type ScienceShifts,
  scienceShifts,
  wavecalImset,
} from "../../calib/stis/wavecal-shifts.js";
import { FitsFile, type Header, rewriteHeaders } from "../../fits/index.js";

export interface Imsets {
  primary: Header;
  sci: { ver: number; header: Header }[];
}

function readImsets(path: string): Imsets {
  const fits = FitsFile.open(path);
  try {
    const sci = fits.hdus.filter((h) => h.name === "SCI").map((h) => ({ ver: h.ver, header: h.header }));
    return { primary: fits.hdus[0].header, sci };
  } finally {
    fits.close();
  }
}

/**
 * calstis12's shifts for the science imsets (`science`: primary and SCI headers; `where` names it) from the
 * wavecal file `wavecal` (read only), one per science imset.
 */
export function wavecalShifts(wavecal: string, science: Imsets, where: string): ScienceShifts {
  const wav = readImsets(wavecal);
  checkWavecalMatches(science.primary, wav.primary, `${where} and ${basename(wavecal)}`);
  const wavecalSets = wav.sci.map((s) => wavecalImset(s.header, `${basename(wavecal)}[SCI,${s.ver}]`));
  const midpoints = science.sci.map((s) => imsetMidpoint(s.header, `${where}[SCI,${s.ver}]`));
  return scienceShifts(wavecalSets, midpoints);
}

/** Updates `science` in place from `wavecal`; returns the shifts written, one per science imset. */
export function calstis12(wavecal: string, science: string): ScienceShifts {
  const sci = readImsets(science);
  const result = wavecalShifts(wavecal, sci, basename(science));
  const byVersion = new Map(sci.sci.map((s, i) => [s.ver, result.shifts[i]]));
  rewriteHeaders(science, (header, hdu) => {
    if (hdu.index === 0) {
      header.set("WAVECORR", "COMPLETE");
      for (const line of cs12History(basename(wavecal))) header.addCommentary("HISTORY", line);
      return;
    }
    const shift = ["SCI", "ERR", "DQ"].includes(hdu.name) ? byVersion.get(hdu.ver) : undefined;
    if (shift) header.set("SHIFTA1", shift.shifta1).set("SHIFTA2", shift.shifta2);
  });
  return result;
}
