/**
 * IR DARKCORR (calibration.md §5; hstcal darkcorr.c, refdata.c getDarkImage): each read loses the dark
 * imset with the same sample time (|Δ| ≤ 0.01 s; required for a standard SAMP_SEQ, otherwise linear
 * interpolation between the bracketing dark imsets). MEANDARK per read over the dark's good pixels.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import type { MultiAccum } from "./multiaccum.js";

export interface IrDarkImset {
  samptime: number;
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
}

/** A dark imset whose pixels are read when a read needs them (issue 15: the 16 of a DARKFILE held 64 MB). */
export interface IrDarkImsetSource {
  samptime: number;
  /** Its pixels, valid until two other imsets of the dark have been loaded (their buffers are reused). */
  load: () => IrDarkImset;
}

export interface IrDark {
  nx: number;
  ny: number;
  /** LTV1/LTV2 of the dark (0 when absent): places it on the detector. */
  ltv?: [number, number];
  imsets: (IrDarkImset | IrDarkImsetSource)[];
}

const pixelsOf = (imset: IrDarkImset | IrDarkImsetSource): IrDarkImset => ("load" in imset ? imset.load() : imset);

const DARK_GOOD_MASK = 4 | 8 | 16 | 32 | 128 | 256 | 512;
const TIME_TOLERANCE = 0.01;

/** The dark for sample time t: an exact match, or (non-standard sequences) interpolated. */
export function darkForTime(dark: IrDark, t: number, standardSequence: boolean): IrDarkImset {
  const exact = dark.imsets.find((d) => Math.abs(d.samptime - t) <= TIME_TOLERANCE);
  if (exact) return pixelsOf(exact);
  if (standardSequence) {
    throw new CalibrationError("CAL_FILE_MISSING", `DARKFILE has no imset with SAMPTIME ${t} s`);
  }
  const sorted = [...dark.imsets].sort((a, b) => a.samptime - b.samptime);
  let hi = sorted.findIndex((d) => d.samptime > t);
  if (hi <= 0) hi = hi === 0 ? 1 : sorted.length - 1;
  const a = pixelsOf(sorted[hi - 1]);
  const b = pixelsOf(sorted[hi]);
  const w = (t - a.samptime) / (b.samptime - a.samptime);
  const sci = a.sci.map((v, k) => v + w * (b.sci[k] - v));
  const err = a.err.map((v, k) => Math.max(v, b.err[k]));
  const dq = a.dq.map((v, k) => v | b.dq[k]);
  return { samptime: t, sci, err, dq };
}

/** Subtracts the matched dark from every read (inside the border); returns MEANDARK per read. */
export function subtractIrDark(
  m: MultiAccum,
  dark: IrDark,
  standardSequence: boolean,
  offset: [number, number],
): number[] {
  return m.reads.map((read) => {
    const d = darkForTime(dark, read.samptime, standardSequence);
    let sum = 0;
    let good = 0;
    const { sci, err, dq } = read;
    // Row loops rather than a callback per pixel: this runs for every pixel of every read.
    for (let j = m.border.y[0]; j < m.ny - m.border.y[1]; j++) {
      const row = j * m.nx;
      const refRow = (j + offset[1]) * dark.nx + offset[0];
      for (let i = m.border.x[0]; i < m.nx - m.border.x[1]; i++) {
        const k = row + i;
        const r = refRow + i;
        sci[k] = sci[k] - d.sci[r];
        err[k] = Math.sqrt(err[k] * err[k] + d.err[r] * d.err[r]);
        dq[k] |= d.dq[r];
        if ((d.dq[r] & DARK_GOOD_MASK) === 0) {
          sum += d.sci[r];
          good++;
        }
      }
    }
    return Math.fround(good ? sum / good : 0);
  });
}
