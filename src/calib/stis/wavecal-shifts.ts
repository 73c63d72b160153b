/**
 * calstis12: the MSM offsets calstis4 found in a wavecal's imsets (SHIFTA1/SHIFTA2), carried to each science
 * imset by the time of its midpoint: the value at the nearer end outside the wavecals' span, linear
 * interpolation inside it (nearest neighbour when the wavecals are not in time order), a shift of 1000 pixels or
 * more left out as undetermined, none left → 0; written with the 13 digits hstio keeps. Rules as in hstcal's cs12 AddShifts, MatchWav and TargPos
 * (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";

/** A header's keyword values (the FITS Header has this shape; src/calib does not read files). */
export interface Keywords {
  get(keyword: string): unknown;
}

export interface WavecalImset {
  /** (EXPSTART + EXPEND) / 2, MJD. */
  midpt: number;
  shifta1: number;
  shifta2: number;
}

export type ShiftInterpolation = "nearest" | "linear";

/** calstis4 writes -9999 when it found no shift; anything this large is not a shift. */
const UNREASONABLE_SHIFT = 1000;
/** A shift this large is written as 0 (TargPos). */
const MUCH_TOO_BIG = 2048;
const UNDEFINED_SHIFT = -9999;

/** The time of an imset's middle from its SCI header; a missing EXPSTART/EXPEND is an error naming it. */
export function imsetMidpoint(header: Keywords, where: string): number {
  const value = (keyword: string) => {
    const v = header.get(keyword);
    if (typeof v !== "number") {
      throw new CalibrationError("HEADER_PROBLEM", `${where}: keyword ${keyword} is missing or not a number`, {
        step: "WAVECORR",
      });
    }
    return v;
  };
  return (value("EXPSTART") + value("EXPEND")) / 2;
}

/** A wavecal imset's midpoint and the shifts calstis4 wrote into its SCI header. */
export function wavecalImset(header: Keywords, where: string): WavecalImset {
  const shift = (keyword: string) => {
    const v = header.get(keyword);
    if (typeof v !== "number") {
      throw new CalibrationError("HEADER_PROBLEM", `${where}: keyword ${keyword} is missing (calstis4 not run?)`, {
        step: "WAVECORR",
      });
    }
    return v;
  };
  return { midpt: imsetMidpoint(header, where), shifta1: shift("SHIFTA1"), shifta2: shift("SHIFTA2") };
}

/** The shift at a science midpoint from the good (time, shift) pairs (cs12 MatchWav). */
export function matchShift(
  times: readonly number[],
  shifts: readonly number[],
  midpt: number,
  option: ShiftInterpolation,
) {
  const n = times.length;
  if (n < 1) return UNDEFINED_SHIFT;
  if (n === 1 || midpt <= times[0]) return shifts[0];
  if (midpt >= times[n - 1]) return shifts[n - 1];
  if (option === "nearest") {
    let best = 0;
    for (let i = 0; i < n; i++) if (Math.abs(times[i] - midpt) < Math.abs(times[best] - midpt)) best = i;
    return shifts[best];
  }
  for (let i = 0; i < n - 1; i++) {
    if (midpt >= times[i] && midpt <= times[i + 1]) {
      const p = (midpt - times[i]) / (times[i + 1] - times[i]);
      return (1 - p) * shifts[i] + p * shifts[i + 1];
    }
  }
  return UNDEFINED_SHIFT;
}

export interface ScienceShifts {
  /** SHIFTA1/SHIFTA2 for each science imset, in order, as written into its SCI, ERR and DQ headers. */
  shifts: { shifta1: number; shifta2: number }[];
  /** What calstis12 warns about (wavecals out of time order). */
  notices: string[];
}

/** The shifts of every science imset from the wavecal's imsets; calstis0 asks for linear interpolation. */
export function scienceShifts(
  wavecal: readonly WavecalImset[],
  scienceMidpoints: readonly number[],
  option: ShiftInterpolation = "linear",
): ScienceShifts {
  const notices: string[] = [];
  let chosen = option;
  if (chosen !== "nearest" && wavecal.some((w, i) => i > 0 && wavecal[i - 1].midpt >= w.midpt)) {
    notices.push(
      "Times of wavecal exposures are not strictly increasing; interpolation option will be reset to nearest neighbor.",
    );
    chosen = "nearest";
  }
  const good = (pick: (w: WavecalImset) => number) => {
    const kept = wavecal.filter((w) => Math.abs(pick(w)) < UNREASONABLE_SHIFT);
    return { times: kept.map((w) => w.midpt), shifts: kept.map(pick) };
  };
  const a1 = good((w) => w.shifta1);
  const a2 = good((w) => w.shifta2);
  const written = (s: number) => (Math.abs(s) < MUCH_TOO_BIG ? asHstioWrites(s) : 0);
  const shifts = scienceMidpoints.map((midpt) => ({
    shifta1: written(matchShift(a1.times, a1.shifts, midpt, chosen)),
    shifta2: written(matchShift(a2.times, a2.shifts, midpt, chosen)),
  }));
  return { shifts, notices };
}

/** hstio writes a double keyword as %#20.12E: 13 significant digits (1.6, not 1.5999999999999999). */
export const asHstioWrites = (value: number) => Number(value.toExponential(12));

/** The science and wavecal must share detector, central wavelength and grating (CalStis12). */
export function checkWavecalMatches(science: Keywords, wavecal: Keywords, where: string): void {
  for (const keyword of ["DETECTOR", "CENWAVE", "OPT_ELEM"]) {
    const s = science.get(keyword);
    const w = wavecal.get(keyword);
    if (s === undefined || w === undefined || String(s).trim() !== String(w).trim()) {
      throw new CalibrationError(
        "INVALID_VALUE",
        `${where}: science file and wavecal do not match (${keyword} ${s ?? "missing"} vs ${w ?? "missing"})`,
        { step: "WAVECORR" },
      );
    }
  }
}

/** The primary-header HISTORY calstis12 adds, with WAVECORR set to COMPLETE. */
export const cs12History = (wavecalName: string): string[] => ["WAVECORR complete ...", `  wavecal = ${wavecalName}`];
