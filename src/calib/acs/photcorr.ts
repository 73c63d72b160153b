/**
 * PHOTCORR (calibration.md §2.11): PHOTFLAM, PHOTZPT, PHOTPLAM, PHOTBW from IMPHTTAB for the PHOTMODE.
 * A value outside the table (PHOTFLAM = -9999) skips the step; the keywords are written anyway.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acs2d/dophot.c.
 */
import { EXTRAPOLATION_FLAG, type Imphttab, lookupPhotometry } from "../common/imphttab.js";

export interface PhotometryResult {
  state: "PERFORM" | "IGNORED";
  /** SCI keywords, rounded to float32 as hstcal's PutKeyFlt stores them. */
  sci: { PHOTFLAM: number; PHOTZPT: number; PHOTPLAM: number; PHOTBW: number };
  warnings: string[];
}

export function photometryKeywords(photmode: string, table: Imphttab): PhotometryResult {
  const lookup = lookupPhotometry(table, photmode);
  const photflam = lookup.values["PHOTFLAM"] ?? 0;
  const sci = {
    PHOTFLAM: Math.fround(photflam),
    PHOTZPT: Math.fround(lookup.photzpt),
    PHOTPLAM: Math.fround(lookup.values["PHOTPLAM"] ?? 0),
    PHOTBW: Math.fround(lookup.values["PHOTBW"] ?? 0),
  };
  const warnings = [...lookup.warnings];
  if (photflam === EXTRAPOLATION_FLAG) {
    warnings.push("IMPHTTAB extrapolation not supported, PHOTCORR skipped.");
    return { state: "IGNORED", sci, warnings };
  }
  return { state: "PERFORM", sci, warnings };
}
