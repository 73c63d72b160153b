/**
 * The ERR and DQ extension headers of a TIME-TAG `_counts` / `_flt` as calcos' mkHeaders and makeImageHDU make them:
 * not the EVENTS header again but EXTNAME, EXTVER, ROOTNAME and EXPNAME, the ERR also the reference aperture,
 * DISPAXIS and the good-pixel statistics (−999), then BUNIT (`count /s`, the DQ `UNITLESS`).
 */
import { Header } from "../../fits/index.js";

const IDENTITY: [string, string][] = [
  ["ROOTNAME", "rootname of the observation set"],
  ["EXPNAME", "exposure identifier"],
];
const ERR_ONLY: [string, string][] = [
  ["RA_APER", "RA of reference aperture center"],
  ["DEC_APER", "Declination of reference aperture center"],
  ["PA_APER", "Position Angle of reference aperture center (de"],
  ["DISPAXIS", "dispersion axis; 1 = axis 1, 2 = axis 2, none"],
];
const STATISTICS: [string, string, boolean][] = [
  ["NGOODPIX", "number of good pixels", false],
  ["GOODMEAN", "mean value of good pixels", true],
  ["GOODMAX", "maximum value of good pixels", true],
];

export function errDqHeader(events: Header, name: "ERR" | "DQ"): Header {
  const h = new Header()
    .set("EXTNAME", name, { comment: "extension name" })
    .set("EXTVER", 1, { comment: "extension version number" });
  for (const [key, comment] of name === "ERR" ? [...IDENTITY, ...ERR_ONLY] : IDENTITY) {
    const value = events.get(key);
    if (value !== undefined) h.set(key, value, { comment });
  }
  if (name === "ERR") {
    for (const [key, comment, float] of STATISTICS) if (events.has(key)) h.set(key, -999, { comment, float });
  }
  return h.set("BUNIT", name === "DQ" ? "UNITLESS" : "count /s");
}
