import type { Header } from "../fits/index.js";
import { defaultLonpole } from "./celestial.js";
import type { Wcs } from "./model.js";
import { writeSip } from "./sip-keywords.js";

const LINEAR = /^(CRPIX|CRVAL|CTYPE|CDELT|CUNIT|CROTA)[12]$|^(CD|PC)[12]_[12]$|^(LONPOLE|LATPOLE)$/;

/**
 * Writes a WCS's keywords as CD (the HST convention): CTYPE with -SIP when there is a polynomial, CRPIX,
 * CRVAL, CD, LONPOLE when not the default, LATPOLE when known, and the SIP polynomial; any PC, CDELT, CROTA
 * and earlier SIP keywords are removed. The lookup tables live in extensions and are written with them
 * (src/wcs/lookup-extensions.ts), not here.
 */
export function writeWcs(header: Header, wcs: Wcs): void {
  header.removeWhere((card) => LINEAR.test(card.keyword));
  const sip = wcs.sip ? "-SIP" : "";
  const axis = (ctype: string) => ctype.replace(/-SIP$/, "");
  header.set("CTYPE1", `${axis(wcs.ctype[0])}${sip}`, { comment: "Axis type" });
  header.set("CTYPE2", `${axis(wcs.ctype[1])}${sip}`, { comment: "Axis type" });
  const f = { float: true };
  header.set("CRPIX1", wcs.crpix[0], { ...f, comment: "Pixel coordinate of reference point" });
  header.set("CRPIX2", wcs.crpix[1], { ...f, comment: "Pixel coordinate of reference point" });
  header.set("CRVAL1", wcs.crval[0], { ...f, comment: "[deg] Coordinate value at reference point" });
  header.set("CRVAL2", wcs.crval[1], { ...f, comment: "[deg] Coordinate value at reference point" });
  header.set("CD1_1", wcs.cd[0][0], { ...f, comment: "partial of first axis coordinate w.r.t. x" });
  header.set("CD1_2", wcs.cd[0][1], { ...f, comment: "partial of first axis coordinate w.r.t. y" });
  header.set("CD2_1", wcs.cd[1][0], { ...f, comment: "partial of second axis coordinate w.r.t. x" });
  header.set("CD2_2", wcs.cd[1][1], { ...f, comment: "partial of second axis coordinate w.r.t. y" });
  if (wcs.lonpole !== defaultLonpole(wcs.crval[1]))
    header.set("LONPOLE", wcs.lonpole, { ...f, comment: "[deg] Native longitude of celestial pole" });
  if (wcs.latpole !== undefined)
    header.set("LATPOLE", wcs.latpole, { ...f, comment: "[deg] Native latitude of celestial pole" });
  writeSip(header, wcs.sip);
}
