/**
 * calstis8 (RPTCORR) of a MAMA `_flt` with repeated image sets into the `_sfl` (cs8 calstis8.c for images):
 * the sum (rptsum.ts) with the first good image set's headers and the flt's primary header, statistics over
 * the primary header's SDQFLAGS (32767 when absent, as calstis8 reads it), RPTCORR = COMPLETE and its HISTORY.
 */
import { imageStatistics } from "../../calib/stis/basic2d.js";
import { sumRepeats } from "../../calib/stis/rptsum.js";
import { addHistory, applyKeywords, setKeyword } from "../headers.js";
import type { ImageSetFile } from "../imset-io.js";

export interface Calstis8Result {
  sfl?: ImageSetFile;
  trailer: string[];
}

export function calstis8(flt: ImageSetFile): Calstis8Result {
  const imsets = flt.imsets.map((h) => ({
    set: h.set,
    exptime: h.sci.getNumber("EXPTIME"),
    expend: h.sci.getNumber("EXPEND"),
    ok: h.sci.get("IMSET_OK") !== false,
  }));
  const trailer: string[] = [];
  const nrptexp = flt.primary.getInt("NRPTEXP", 0);
  if (nrptexp !== imsets.length) {
    trailer.push(`Warning  NEXTEND implies ${imsets.length} exposures, but NRPTEXP is ${nrptexp}.`);
  }
  const sum = sumRepeats(imsets);
  if (!sum) return { trailer: [...trailer, "Warning  No data for spectral order 1."] };
  const hdus = flt.imsets[sum.first]!;
  const primary = flt.primary.clone();
  const sci = hdus.sci.clone();
  const err = hdus.err.clone();
  const stats = imageStatistics(sum.set, flt.primary.getInt("SDQFLAGS", 32767));
  applyKeywords(sci, stats.sci);
  applyKeywords(err, stats.err);
  if (sum.nrptexp !== imsets.length) {
    trailer.push(`Warning  Order 1 has ${sum.nrptexp} imset${sum.nrptexp > 1 ? "s" : ""} instead of ${imsets.length}.`);
  }
  setKeyword(primary, "RPTCORR", "COMPLETE");
  addHistory(primary, ["RPTCORR complete", "Statistics computed after rptcorr."]);
  setKeyword(primary, "NEXTEND", 3);
  setKeyword(sci, "NCOMBINE", sum.nrptexp);
  setKeyword(sci, "EXPTIME", sum.exptime);
  setKeyword(sci, "EXPEND", sum.expend);
  const sfl = { primary, imsets: [{ ver: 1, set: sum.set, sci, err, dq: hdus.dq.clone() }] };
  return { sfl, trailer: [...trailer, "RPTCORR complete"] };
}
