/**
 * UVIS BLEVCORR in DN (calibration.md §4; hstcal wf3ccd/doblev.c, findblev.c, blevfit.c, blevdrift.c): per
 * amp, row medians of the serial virtual overscan (C for the left amp, D for the right; the physical
 * A/B sections when there is none) are cleaned (3.5σ with σ over n, limited to √mean, then 2·RN) and
 * fitted against row number; the parallel virtual overscan gives a drift along the row, cleaned the same
 * way. Each amp's science region loses the fitted level and drift. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { type BiasSections, isGoodOverscanPixel, rowBiasLevel } from "../common/blev-rows.js";
import type { ImageSet } from "../common/imset.js";
import { FLT_MIN, fitLine, LineFitSums } from "../common/line-fit.js";
import { medianOfDoubles } from "../common/median.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import type { Wf3Overscan } from "./oscntab.js";
import { ampsOfChip } from "./uvis-amps.js";

/** hstcal's WFC3 cleanBiasFit / cleanDriftFit: returns the number of values rejected. */
export function cleanLevels(values: Float64Array, mask: Uint8Array, readnoise: number): number {
  let sum = 0;
  let n = 0;
  for (let j = 0; j < values.length; j++) {
    if (mask[j] === 1) {
      sum += values[j];
      n++;
    }
  }
  if (n === 0) return 0;
  let mean = sum / n;
  let variance = 0;
  for (let j = 0; j < values.length; j++) if (mask[j] === 1) variance += (values[j] - mean) ** 2;
  let sdev = Math.sqrt(variance / n);
  if (sdev > Math.sqrt(mean)) sdev = Math.sqrt(mean);
  let rejected = 0;
  const first = Math.fround(3.5) * sdev + mean;
  for (let j = 0; j < values.length; j++) {
    if (values[j] > first) {
      mask[j] = 0;
      rejected++;
    }
  }
  sum = 0;
  n = 0;
  for (let j = 0; j < values.length; j++) {
    if (mask[j] !== 0) {
      sum += values[j];
      n++;
    }
  }
  if (n === 0) return rejected;
  mean = sum / n;
  const second = Math.fround(2 * Math.fround(readnoise)) + mean;
  for (let j = 0; j < values.length; j++) {
    if (values[j] > second && mask[j] !== 0) {
      mask[j] = 0;
      rejected++;
    }
  }
  return rejected;
}

export interface RowFit {
  middle: number;
  slope: number;
  intercept: number;
  fromOverscan: boolean;
}

/** Row levels of input rows trimy1 + j (j < nrows), fitted against j − ⌊nrows/2⌋; the default if no fit. */
export function fitRowLevels(
  set: ImageSet,
  nrows: number,
  trimy1: number,
  sections: BiasSections,
  defaultBias: number,
  sdqflags: number,
  readnoise: number,
): RowFit {
  const middle = Math.trunc(nrows / 2);
  const values = new Float64Array(nrows);
  const mask = new Uint8Array(nrows);
  for (let j = 0; j < nrows; j++) {
    const level = rowBiasLevel(set, j + trimy1, sections, sdqflags);
    if (level !== undefined) {
      values[j] = level;
      mask[j] = 1;
    }
  }
  cleanLevels(values, mask, readnoise);
  const sums = new LineFitSums();
  for (let j = 0; j < nrows; j++) if (mask[j] === 1) sums.add(j - middle, values[j]);
  const line = fitLine(sums, (d) => d < FLT_MIN && d > -FLT_MIN);
  return line
    ? { middle, slope: line.slope, intercept: line.intercept, fromOverscan: true }
    : { middle, slope: 0, intercept: defaultBias, fromOverscan: false };
}

export interface DriftLine {
  slope: number;
  zeroColumn: number;
}

/** Column medians of the virtual box (rows vy0 ≤ j < vy1, as hstcal's VMedianY), cleaned and fitted. */
export function fitColumnDrift(
  set: ImageSet,
  vx: [number, number],
  vy: [number, number],
  sections: BiasSections,
  sdqflags: number,
  readnoise: number,
): DriftLine {
  const zeroColumn = (sections[0] + sections[1]) / 2;
  if (vx[1] <= vx[0] || vy[1] <= vy[0]) return { slope: 0, zeroColumn };
  const middle = Math.trunc((vx[0] + vx[1]) / 2);
  const values = new Float64Array(vx[1] + 1);
  const mask = new Uint8Array(vx[1] + 1);
  for (let i = vx[0]; i <= vx[1]; i++) {
    const column: number[] = [];
    for (let j = vy[0]; j < vy[1]; j++) {
      const k = j * set.nx + i;
      if (isGoodOverscanPixel(set.dq[k], sdqflags)) column.push(set.sci[k]);
    }
    if (column.length > 0) {
      values[i] = medianOfDoubles(column);
      mask[i] = 1;
    }
  }
  cleanLevels(values, mask, readnoise);
  const sums = new LineFitSums();
  for (let i = vx[0]; i <= vx[1]; i++) if (mask[i] === 1) sums.add(i - middle, values[i]);
  const line = fitLine(sums, (d) => d === 0);
  return { slope: line?.slope ?? 0, zeroColumn };
}

export interface UvisBlevResult {
  /** Mean level subtracted per amp (A..D, 0 for amps not on this chip), DN. */
  levels: [number, number, number, number];
  meanblev: number;
  fromOverscan: boolean;
  driftCorrected: boolean;
  /** A subarray without overscan: the CCDTAB bias was subtracted everywhere (no MEANBLEV is written). */
  noOverscan: boolean;
}

function sectionsFor(o: Wf3Overscan, side: 0 | 1, numamps: number): BiasSections {
  const found = pickSections(o, side, numamps);
  // An absent section is [-1, -1] here; rowBiasLevel wants 0 to skip one.
  return (found[1] < 0 ? [0, 0, found[2], found[3]] : found).map((v) => Math.max(v, 0)) as BiasSections;
}

function pickSections(o: Wf3Overscan, side: 0 | 1, numamps: number): BiasSections {
  const [a, b, c, d] = o.biassect;
  if (c[1] > 0 && d[1] > 0) {
    const own = side === 0 ? c : d;
    const other = side === 0 ? d : c;
    return numamps === 1 ? [own[0], own[1], other[0], other[1]] : [own[0], own[1], 0, 0];
  }
  if (c[1] <= 0 && d[1] <= 0) {
    const use = a[1] <= 0 ? b : a;
    return [use[0], use[1], 0, 0];
  }
  const use = c[1] <= 0 ? d : c;
  return [use[0], use[1], 0, 0];
}

/** The amp whose CCDTAB bias is the default: the first of CCDAMP, moved to C/D for chip 2 of a multi-amp readout. */
function biasIndex(p: Pick<Wf3CcdParameters, "ccdamp" | "ccdchip">): number {
  const amp = p.ccdamp.trim();
  const first = Math.max("ABCD".indexOf(amp[0] ?? "A"), 0);
  return (amp.length > 1 && p.ccdchip === 2 ? first + 2 : first) % 4;
}

/** Subtracts the bias level in place (untrimmed image); `ccdbias` is the default when no fit is possible. */
export function subtractUvisBiasLevel(
  set: ImageSet,
  p: Wf3CcdParameters,
  o: Wf3Overscan,
  sdqflags: number,
): UvisBlevResult {
  const amps = ampsOfChip(p.ccdamp, p.ccdchip);
  const ccdbias = p.ccdbias[biasIndex(p)];
  const levels: [number, number, number, number] = [0, 0, 0, 0];
  if (o.noOverscan) {
    for (let k = 0; k < set.sci.length; k++) set.sci[k] = set.sci[k] - ccdbias;
    levels[biasIndex(p)] = ccdbias;
    return { levels, meanblev: ccdbias, fromOverscan: false, driftCorrected: false, noOverscan: true };
  }
  const doDrift = !(o.vleft.y[0] < 0 && o.vleft.y[1] < 0);
  let sum = 0;
  let fromOverscan = true;
  let driftCorrected = false;
  for (const amp of amps) {
    const sections = sectionsFor(o, amp.side, amps.length);
    const begx = o.trimx[0] + (p.ampx + o.trimx3 + o.trimx4) * amp.side;
    const endx = Math.min(
      amp.side === 0 && p.ampx !== 0 && amps.length > 1 ? p.ampx + o.trimx[0] : set.nx - o.trimx[1],
      set.nx,
    );
    const begy = o.trimy[0];
    const endy = Math.min(set.ny - o.trimy[1], set.ny);
    const sizex = endx - begx;
    const sizey = endy - begy;
    const g = p.atodgain[amp.index];
    const rn = g !== 0 ? Math.fround(p.readnoise[amp.index] / g) : p.readnoise[amp.index];
    let drift: DriftLine = { slope: 0, zeroColumn: 0 };
    if (doDrift) {
      const box = amp.side === 0 ? o.vleft : o.vright;
      drift = fitColumnDrift(set, box.x, box.y, sections, sdqflags, rn);
      if (drift.slope !== 0) driftCorrected = true;
    }
    const averageDrift = (sizex / 2 - drift.zeroColumn) * drift.slope;
    const fit = fitRowLevels(set, sizey, o.trimy[0], sections, ccdbias, sdqflags, rn);
    if (!fit.fromOverscan) fromOverscan = false;
    let sumbias = 0;
    for (let j = begy; j < endy; j++) {
      // hstcal evaluates the fit at the input row although it was fitted against the output row.
      const level = (j - fit.middle) * fit.slope + fit.intercept;
      sumbias += level + averageDrift;
      const row = j * set.nx;
      for (let i = begx; i < endx; i++) {
        const d = (i - drift.zeroColumn) * drift.slope;
        set.sci[row + i] = set.sci[row + i] - level - d;
      }
    }
    levels[amp.index] = sumbias / sizey;
    sum += sumbias / sizey;
  }
  return {
    levels,
    meanblev: Math.fround(amps.length ? sum / amps.length : 0),
    fromOverscan,
    driftCorrected,
    noOverscan: false,
  };
}
