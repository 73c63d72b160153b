/**
 * WFC3 PHOTCORR (calibration.md §4 WF32D, §5): PHOTMODE "WFC3 UVIS<chip> <FILTER> MJD#<expstart>" or
 * "WFC3 IR <FILTER> MJD#<expstart>" (CLEAR omitted; hstcal wf32d/photmode.c, which WF3IR also calls
 * before photcalc.c, so IR photometry is time-dependent too), the IMPHTTAB values and
 * PHOTFNU = 3.33564e4·PHOTFLAM·PHOTPLAM². UVIS also gets PHTFLAM1/PHTFLAM2 and their ratio for FLUXCORR. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { formatFixed } from "../common/c-format.js";
import { EXTRAPOLATION_FLAG, type Imphttab, lookupPhotometry } from "../common/imphttab.js";

export function wf3Photmode(detector: "UVIS" | "IR", chip: number, filter: string, expstart?: number): string {
  const parts = ["WFC3", detector === "IR" ? "IR" : `UVIS${chip}`];
  const f = filter.trim().toUpperCase();
  if (f && !f.startsWith("CLEAR")) parts.push(f);
  if (expstart !== undefined) parts.push(`MJD#${formatFixed(expstart, 4)}`);
  return parts.join(" ");
}

export interface Wf3Photometry {
  state: "PERFORM" | "IGNORED";
  keywords: Record<string, number>;
  warnings: string[];
}

export function wf3PhotometryKeywords(photmode: string, table: Imphttab): Wf3Photometry {
  const lookup = lookupPhotometry(table, photmode);
  const v = (k: string) => lookup.values[k] ?? 0;
  const photflam = v("PHOTFLAM");
  const photplam = v("PHOTPLAM");
  const keywords: Record<string, number> = {
    PHOTFLAM: Math.fround(photflam),
    PHOTZPT: Math.fround(lookup.photzpt),
    PHOTPLAM: Math.fround(photplam),
    PHOTBW: Math.fround(v("PHOTBW")),
    PHOTFNU: Math.fround(3.33564e4 * photflam * photplam * photplam),
  };
  if (lookup.values.PHTFLAM1 !== undefined) {
    keywords.PHTFLAM1 = Math.fround(v("PHTFLAM1"));
    keywords.PHTFLAM2 = Math.fround(v("PHTFLAM2"));
  }
  const warnings = [...lookup.warnings];
  if (photflam === EXTRAPOLATION_FLAG) {
    warnings.push("IMPHTTAB extrapolation not supported, PHOTCORR skipped.");
    return { state: "IGNORED", keywords, warnings };
  }
  return { state: "PERFORM", keywords, warnings };
}
