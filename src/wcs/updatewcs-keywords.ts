import type { Header } from "../fits/index.js";
import type { IdcModel } from "./idc.js";
import type { Wcs } from "./model.js";
import type { Skew } from "./tdd.js";

export interface UpdateKeywords {
  linear: Pick<Wcs, "crpix" | "crval" | "cd">;
  /** The CD of the pipeline (OPUS) WCS the update started from. */
  pipelineCd: Wcs["cd"];
  wcsname: string;
  idctab: string;
  idc: IdcModel;
  tdd?: Skew;
  year: number;
}

const LOOKUP_KEYWORD = /^(D2IMERR|D2IMDIS|D2IM|CPERR|CPDIS|DP)[12]$|^(D2IMEXT|NPOLEXT)$/;

/** The keywords stwcs writes into a SCI header (the SIP polynomial and the lookup tables apart). */
export function updateKeywords(h: Header, k: UpdateKeywords): void {
  h.removeWhere((card) => LOOKUP_KEYWORD.test(card.keyword));
  const f = { float: true };
  h.set("CRPIX1", k.linear.crpix[0], { ...f, comment: "Pixel coordinate of reference point" });
  h.set("CRPIX2", k.linear.crpix[1], { ...f, comment: "Pixel coordinate of reference point" });
  h.set("CRVAL1", k.linear.crval[0], { ...f, comment: "[deg] Coordinate value at reference point" });
  h.set("CRVAL2", k.linear.crval[1], { ...f, comment: "[deg] Coordinate value at reference point" });
  h.set("CTYPE1", "RA---TAN-SIP", { comment: "TAN (gnomonic) projection + SIP distortions" });
  h.set("CTYPE2", "DEC--TAN-SIP", { comment: "TAN (gnomonic) projection + SIP distortions" });
  const [[cd11, cd12], [cd21, cd22]] = k.linear.cd;
  h.set("CD1_1", cd11, { ...f, comment: "partial of first axis coordinate w.r.t. x" });
  h.set("CD1_2", cd12, { ...f, comment: "partial of first axis coordinate w.r.t. y" });
  h.set("CD2_1", cd21, { ...f, comment: "partial of second axis coordinate w.r.t. x" });
  h.set("CD2_2", cd22, { ...f, comment: "partial of second axis coordinate w.r.t. y" });
  if (h.has("ORIENTAT")) {
    // stwcs writes the orientation of the pipeline WCS it started from, not of the new CD
    const [[, o12], [, o22]] = k.pipelineCd;
    h.set("ORIENTAT", (Math.atan2(o12, o22) * 180) / Math.PI);
  }
  h.set("IDCTAB", k.idctab);
  const o = "original linear term from IDCTAB";
  h.set("OCX10", k.idc.cx[1][0], { ...f, comment: o });
  h.set("OCX11", k.idc.cx[1][1], { ...f, comment: o });
  h.set("OCY10", k.idc.cy[1][0], { ...f, comment: o });
  h.set("OCY11", k.idc.cy[1][1], { ...f, comment: o });
  h.set("IDCSCALE", k.idc.pscale, { ...f, comment: "pixel scale from the IDCTAB reference file" });
  h.set("IDCTHETA", k.idc.theta, { ...f, comment: "orientation of detector's Y-axis w.r.t. V3 axis" });
  h.set("IDCXREF", k.idc.xref, { ...f, comment: "reference pixel location in X" });
  h.set("IDCYREF", k.idc.yref, { ...f, comment: "reference pixel location in Y" });
  h.set("IDCV2REF", k.idc.v2ref, { ...f, comment: "reference pixel's V2 position" });
  h.set("IDCV3REF", k.idc.v3ref, { ...f, comment: "reference pixel's V3 position" });
  if (k.tdd) tddKeywords(h, k.tdd, k.year);
  h.set("WCSNAME", k.wcsname, { comment: "Coordinate system title" });
}

function tddKeywords(h: Header, skew: Skew, year: number): void {
  const values: Record<string, number | undefined> = {};
  if (skew.kind === "2015") Object.assign(values, { TDD_CTB: skew.ctb, TDD_CXB: skew.cxb, TDD_CYB: skew.cyb });
  if (skew.kind === "2014") {
    Object.assign(values, { TDD_CYA: skew.cyAlpha, TDD_CYB: skew.cyBeta, TDD_CXA: skew.cxAlpha, TDD_CXB: skew.cxBeta });
  }
  if (skew.kind === "alpha-beta") {
    let [alpha, beta] = [0, 0];
    skew.a.forEach((c, i) => {
      alpha += c * (year - skew.date) ** i;
    });
    skew.b.forEach((c, i) => {
      beta += c * (year - skew.date) ** i;
    });
    Object.assign(values, { TDDALPHA: alpha, TDDBETA: beta });
  }
  const comments: Record<string, string> = {
    TDDALPHA: "time-dependent y-skew offset (pre-2014 IDCTAB)",
    TDDBETA: "time-dependent y-skew rate (pre-2014 IDCTAB)",
    TDD_CTA: "time-dependent x-skew rate (>2015 IDCTAB)",
    TDD_CTB: "time-dependent y-skew rate (>2015 IDCTAB)",
    TDD_CYA: "time-dependent y-skew offset (2014 IDCTAB)",
    TDD_CYB: "time-dependent y-scale rate (>2015 IDCTAB)",
    TDD_CXA: "time-dependent x-skew offset (2014 IDCTAB)",
    TDD_CXB: "time-dependent x-scale rate (>2015 IDCTAB)",
  };
  for (const [keyword, comment] of Object.entries(comments)) {
    const v = values[keyword];
    h.set(keyword, v === undefined ? null : v, { float: true, comment });
  }
}
