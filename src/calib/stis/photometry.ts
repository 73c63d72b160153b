/**
 * STIS PHOTCORR for imaging (cs1 dophot.c): PHOTMODE without its A2D element is the IMPHTTAB obsmode; PHOTFLAM
 * is multiplied by ATODGAIN when PHOTMODE had one. An obsmode the table lacks leaves the step IGNORED (no
 * error), as calstis1 does. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { type Imphttab, lookupPhotometry } from "../common/imphttab.js";

const f = Math.fround;

/** removeA2D: PHOTMODE without its A2D<gain> word, and whether there was one. */
export function withoutA2d(photmode: string): { photmode: string; found: boolean } {
  const words = photmode.split(" ");
  const k = words.findIndex((w) => w.toUpperCase().startsWith("A2D"));
  if (k < 0) return { photmode, found: false };
  return { photmode: [...words.slice(0, k), ...words.slice(k + 1)].join(" "), found: true };
}

export interface PhotResult {
  state: "PERFORM" | "IGNORED";
  /** PHOTFLAM, PHOTZPT, PHOTPLAM, PHOTBW (also written when every value is the table's -9999: IGNORED). */
  keywords?: Record<string, number>;
  warnings: string[];
}

export function stisPhotometry(table: Imphttab, photmode: string, atodgain: number): PhotResult {
  const { photmode: mode, found } = withoutA2d(photmode);
  let lookup: ReturnType<typeof lookupPhotometry>;
  try {
    lookup = lookupPhotometry(table, mode);
  } catch (e) {
    if (e instanceof CalibrationError && e.code === "TABLE_ROW_MISSING") {
      return {
        state: "IGNORED",
        warnings: [`photmode '${mode}' not found in IMPHTTAB ${table.name}: PHOTCORR ignored`],
      };
    }
    throw e;
  }
  const { PHOTFLAM: flam = 0, PHOTPLAM: plam = 0, PHOTBW: bw = 0 } = lookup.values;
  const state = flam < -9990 && plam < -9990 && bw < -9990 ? "IGNORED" : "PERFORM";
  return {
    state,
    keywords: {
      PHOTFLAM: f(found && state === "PERFORM" ? flam * f(atodgain) : flam),
      PHOTZPT: f(lookup.photzpt),
      PHOTPLAM: f(plam),
      PHOTBW: f(bw),
    },
    warnings: lookup.warnings,
  };
}
