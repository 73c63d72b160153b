/**
 * STIS CCD BLEVCORR (calstis1 doblev.c, blevfit.c, findblev.c, blevdrift.c): each line's bias is the median
 * of its serial overscan, a straight line is fitted to those along the lines; the virtual overscan (high
 * values replaced by a local median first) gives a slope along the columns (the drift). Both are subtracted
 * from the trimmed image. Too small an image gets the CCDTAB bias instead, untrimmed.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { createImageSet, type ImageSet } from "../common/imset.js";
import { medianOfDoubles } from "../common/median.js";
import { findOverscan } from "./overscan.js";

export interface BlevResult {
  /** The trimmed image set (or the input, bias-subtracted in place, when there is no overscan). */
  set: ImageSet;
  meanblev: number;
  /** False: the CCDTAB bias was subtracted (no overscan); the image was not trimmed. */
  fromOverscan: boolean;
  /** Whether the virtual overscan gave a drift slope. */
  driftcorr: boolean;
  warnings: string[];
}

export interface BlevOptions {
  ccdamp: string;
  bin: [number, number];
  sdqflags: number;
  ccdbias: number;
  blevClip: number;
}

/** A least-squares line y = intercept + slope × (x − middle), as blevfit.c accumulates it. */
class LineFit {
  private s = [0, 0, 0, 0, 0];
  constructor(readonly middle: number) {}
  add(x: number, y: number): void {
    const xj = x - this.middle;
    this.s[0]++;
    this.s[1] += xj;
    this.s[2] += y;
    this.s[3] += xj * y;
    this.s[4] += xj * xj;
  }
  fit(): { slope: number; intercept: number } | undefined {
    const [n, sx, sy, sxy, sxx] = this.s as [number, number, number, number, number];
    if (n < 1) return undefined;
    const d = sxx - (sx * sx) / n;
    if (d === 0) return undefined;
    const xmean = sx / n;
    const ymean = sy / n;
    const slope = (sxy - xmean * ymean * n) / d;
    return { slope, intercept: ymean - slope * xmean };
  }
}

export function blevcorr(raw: ImageSet, o: BlevOptions): BlevResult {
  const { nx, ny } = raw;
  const warnings: string[] = [];
  const layout = findOverscan(o.ccdamp, nx, ny, o.bin);
  if (!layout) {
    warnings.push("Image size is too small to do BLEVCORR; bias from CCDTAB will be subtracted.");
    for (let k = 0; k < raw.sci.length; k++) raw.sci[k] = raw.sci[k] - o.ccdbias;
    return { set: raw, meanblev: o.ccdbias, fromOverscan: false, driftcorr: false, warnings };
  }
  const { trim, biassect, vx, vy } = layout;
  const onx = nx - trim.x1 - trim.x2;
  const ony = ny - trim.y1 - trim.y2;
  const out = createImageSet(onx, ony, {
    geometry: { ltv: [raw.geometry.ltv[0] - trim.x1, raw.geometry.ltv[1] - trim.y1], ltm: raw.geometry.ltm },
    chip: raw.chip,
  });
  for (let j = 0; j < ony; j++) {
    const from = (j + trim.y1) * nx + trim.x1;
    out.sci.set(raw.sci.subarray(from, from + onx), j * onx);
    out.err.set(raw.err.subarray(from, from + onx), j * onx);
    out.dq.set(raw.dq.subarray(from, from + onx), j * onx);
  }
  const line = lineBias(raw, o, ony, trim.y1, biassect, warnings);
  const drift = driftSlope(raw, o, vx, vy, trim.x1, biassect, warnings);
  const driftAt = (i: number) => (i - drift.zeroColumn) * drift.slope;
  const averageDrift = driftAt(onx >> 1);
  let sumbias = 0;
  for (let j = 0; j < ony; j++) {
    const biaslevel = (j - line.middle) * line.slope + line.intercept;
    sumbias += biaslevel + averageDrift;
    const row = j * onx;
    for (let i = 0; i < onx; i++) out.sci[row + i] = out.sci[row + i] - biaslevel - driftAt(i);
  }
  return {
    set: out,
    meanblev: Math.fround(sumbias / ony),
    fromOverscan: true,
    driftcorr: drift.fitted,
    warnings,
  };
}

/** The line fitted to each line's median serial overscan (FitToOverscan); the CCDTAB bias if none. */
function lineBias(
  raw: ImageSet,
  o: BlevOptions,
  ny: number,
  y0: number,
  biassect: [number, number],
  warnings: string[],
): { middle: number; slope: number; intercept: number } {
  const fit = new LineFit(ny >> 1);
  let tooFew = 0;
  const values: number[] = [];
  for (let j = 0; j < ny; j++) {
    values.length = 0;
    const row = (j + y0) * raw.nx;
    for (let i = biassect[0]; i <= biassect[1]; i++) {
      if ((o.sdqflags & raw.dq[row + i]!) === 0) values.push(raw.sci[row + i]!);
    }
    if (values.length < 1) tooFew++;
    else fit.add(j, medianOfDoubles(values));
  }
  if (tooFew > 0)
    warnings.push(`(blevcorr) ${tooFew} image line${tooFew === 1 ? " has" : "s have"} too few overscan pixels.`);
  const result = fit.fit();
  if (result) return { middle: fit.middle, ...result };
  warnings.push("No bias level data, or singular fit; bias from CCDTAB will be subtracted.");
  return { middle: fit.middle, slope: 0, intercept: o.ccdbias };
}

/** The slope along the lines from the virtual overscan (BlevDrift); 0 without one. */
function driftSlope(
  raw: ImageSet,
  o: BlevOptions,
  vx: [number, number],
  vy: [number, number],
  trimx1: number,
  biassect: [number, number],
  warnings: string[],
): { slope: number; zeroColumn: number; fitted: boolean } {
  const zeroColumn = (biassect[0] + biassect[1]) / 2 - trimx1;
  if (vx[1] <= vx[0] || vy[1] <= vy[0]) {
    warnings.push("(blevcorr) No virtual overscan region; no correction for slope will be applied.");
    return { slope: 0, zeroColumn, fitted: false };
  }
  rejectHighValues(raw, vx, vy, o.blevClip);
  const fit = new LineFit((vx[0] + vx[1]) >> 1);
  const column: number[] = [];
  for (let i = vx[0]; i <= vx[1]; i++) {
    column.length = 0;
    for (let j = vy[0]; j <= vy[1]; j++) {
      const k = j * raw.nx + i;
      if ((o.sdqflags & raw.dq[k]!) === 0) column.push(raw.sci[k]!);
    }
    if (column.length > 0) fit.add(i, medianOfDoubles(column));
  }
  const result = fit.fit();
  if (!result) {
    warnings.push("(blevcorr) Singular fit to virtual overscan; no correction for slope will be applied.");
    return { slope: 0, zeroColumn, fitted: false };
  }
  return { slope: result.slope, zeroColumn, fitted: true };
}

/** Virtual-overscan pixels above median + clip × sigma become the median of 21 pixels of their line. */
function rejectHighValues(raw: ImageSet, vx: [number, number], vy: [number, number], clip: number): void {
  const { sci, nx } = raw;
  const all: number[] = [];
  for (let j = vy[0]; j <= vy[1]; j++) for (let i = vx[0]; i <= vx[1]; i++) all.push(sci[j * nx + i]!);
  const median = medianOfDoubles(all);
  const deviations = all.map((v) => Math.abs(v - median));
  const mad = medianOfDoubles(deviations);
  let sumsq = 0;
  let n = 0;
  for (const d of deviations) {
    if (d <= 4.5 * mad) {
      sumsq += d * d;
      n += 1;
    }
  }
  const limit = median + clip * Math.sqrt(sumsq / n);
  const window: number[] = [];
  for (let j = vy[0]; j <= vy[1]; j++) {
    for (let i = vx[0]; i <= vx[1]; i++) {
      if (sci[j * nx + i]! <= limit) continue;
      let i0 = Math.max(i - 10, vx[0]);
      let i1 = i0 + 20;
      if (i1 > vx[1]) {
        i1 = vx[1];
        i0 = i1 - 20;
      }
      window.length = 0;
      for (let ii = i0; ii <= i1; ii++) window.push(sci[j * nx + ii]!);
      sci[j * nx + i] = medianOfDoubles(window);
    }
  }
}
