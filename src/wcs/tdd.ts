import type { Header } from "../fits/index.js";
import type { IdcModel } from "./idc.js";

/**
 * ACS/WFC's time-dependent distortion (stwcs's TDDCorr): the skew of the IDCTAB's linear terms grows with
 * time. The IDCTAB's primary header holds one of three calibrations (2015: TDD_CTB/CXB/CYB per chip; 2014:
 * TDD_CYB/CXB with optional offsets; older: TDD_A/TDD_B polynomials, or the pre-SM4 default when absent).
 */
export type Skew =
  | { kind: "2015"; date: number; ctb?: number; cxb?: number; cyb?: number }
  | { kind: "2014"; date: number; cyBeta?: number; cyAlpha?: number; cxBeta?: number; cxAlpha?: number }
  | { kind: "alpha-beta"; date: number; a: number[]; b: number[]; isDefault: boolean };

const optional = (h: Header, keyword: string) => {
  const v = h.get(keyword);
  return typeof v === "number" && v !== 0 ? v : undefined;
};

const numberOr = (h: Header, keyword: string) => {
  const v = h.get(keyword);
  return typeof v === "number" ? v : undefined;
};

export function readSkew(idcPrimary: Header, chip: number): Skew {
  const date = idcPrimary.getNumber("TDD_DATE", 2004.5);
  if (idcPrimary.has("TDD_CTB1")) {
    const v = (k: string) =>
      typeof idcPrimary.get(`${k}${chip}`) === "number" ? (idcPrimary.get(`${k}${chip}`) as number) : undefined;
    return { kind: "2015", date, ctb: v("TDD_CTB"), cxb: v("TDD_CXB"), cyb: v("TDD_CYB") };
  }
  if (idcPrimary.has("TDD_CYB1")) {
    return {
      kind: "2014",
      date,
      cyBeta: numberOr(idcPrimary, `TDD_CYB${chip}`),
      cyAlpha: optional(idcPrimary, `TDD_CYA${chip}`),
      cxBeta: numberOr(idcPrimary, `TDD_CXB${chip}`),
      cxAlpha: optional(idcPrimary, `TDD_CXA${chip}`),
    };
  }
  if (!idcPrimary.has("TDDORDER"))
    return { kind: "alpha-beta", date: 2004.5, a: [0.095, 0.09 / 2.5], b: [-0.029, -0.03 / 2.5], isDefault: true };
  const n = idcPrimary.getInt("TDDORDER");
  const terms = (p: string) => Array.from({ length: n + 1 }, (_, i) => idcPrimary.getNumber(`${p}${i}`, 0));
  return { kind: "alpha-beta", date, a: terms("TDD_A"), b: terms("TDD_B"), isDefault: false };
}

/** stwcs's decimal year of DATE-OBS: day of the year / 365.25 + year. */
export function decimalYear(dateObs: string): number {
  const [y, m, d] = dateObs.split("-").map(Number);
  const dayOfYear = (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
  return dayOfYear / 365.25 + y;
}

/** The alpha/beta skew of the older calibrations at `year`. */
export function alphaBeta(skew: Skew & { kind: "alpha-beta" }, year: number): [number, number] {
  let alpha = 0;
  let beta = 0;
  skew.a.forEach((c, i) => {
    alpha += c * (year - skew.date) ** i;
  });
  skew.b.forEach((c, i) => {
    beta += c * (year - skew.date) ** i;
  });
  return [alpha, beta];
}

/** [[cos, sin], [-sin, cos]] of an angle in degrees (stsci.tools' buildRotMatrix). */
export function rotation(degrees: number): [[number, number], [number, number]] {
  const t = (degrees * Math.PI) / 180;
  return [
    [Math.cos(t), Math.sin(t)],
    [-Math.sin(t), Math.cos(t)],
  ];
}

const THETA_V2V3 = 2.234529;
const TDD_XYREF: Record<number, [number, number]> = { 1: [2048, 3072], 2: [2048, 1024] };

/**
 * The V2/V3 shift (arcseconds) of a chip's reference point under the pre-SM4 default skew (stwcs's
 * zero_point_corr); stwcs applies it only when the IDCTAB has no TDD keywords at all.
 */
export function zeroPointShift(alpha: number, beta: number, chip: number): [number, number] {
  const m = rotation(THETA_V2V3);
  const [x0, y0] = (TDD_XYREF[chip] ?? TDD_XYREF[1]).map((v) => v - 2048);
  const t = [beta * x0 + alpha * y0, alpha * x0 - beta * y0];
  return [((m[0][0] * t[0] + m[0][1] * t[1]) / 2048) * 0.05, ((m[1][0] * t[0] + m[1][1] * t[1]) / 2048) * 0.05];
}

/** Applies the skew to the model's coefficients in place (stwcs's apply_tdd2idc2015 / 2 / apply_tdd2idc). */
export function applyTdd(model: IdcModel, skew: Skew, year: number): void {
  const dt = year - skew.date;
  if (skew.kind === "2015") {
    if (skew.cxb !== undefined) model.cx[1][1] += skew.cxb * dt;
    if (skew.ctb !== undefined) model.cy[1][1] += skew.ctb * dt;
    if (skew.cyb !== undefined) model.cy[1][0] += skew.cyb * dt;
    return;
  }
  if (skew.kind === "2014") {
    if (skew.cyBeta !== undefined) {
      model.cy[1][1] = skew.cyAlpha === undefined ? model.cy[1][1] + skew.cyBeta * dt : skew.cyAlpha + skew.cyBeta * dt;
    }
    if (skew.cxAlpha !== undefined && skew.cxBeta !== undefined) model.cx[1][1] = skew.cxAlpha + skew.cxBeta * dt;
    return;
  }
  const [alpha, beta] = alphaBeta(skew, year);
  const tdd = [
    [1 + beta / 2048, alpha / 2048],
    [alpha / 2048, 1 - beta / 2048],
  ];
  const p = rotation(THETA_V2V3);
  const n = rotation(-THETA_V2V3);
  const m = mul(p, mul(tdd, n));
  for (let i = 0; i < model.cx.length; i++) {
    for (let j = 0; j < model.cx[i].length; j++) {
      const [x, y] = [model.cx[i][j], model.cy[i][j]];
      model.cx[i][j] = m[0][0] * x + m[0][1] * y;
      model.cy[i][j] = m[1][0] * x + m[1][1] * y;
    }
  }
}

function mul(a: number[][], b: number[][]): number[][] {
  return [
    [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]],
    [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]],
  ];
}
