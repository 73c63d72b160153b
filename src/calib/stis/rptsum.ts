/**
 * calstis8 for images that are not echelle spectra (cs8 calstis8.c SumOrder): the repeated image sets with
 * IMSET_OK summed into one, SCI added, ERR as the square root of the summed variances, DQ ORed; EXPTIME is
 * the sum of theirs and EXPEND the last one read (a skipped image set's included, as calstis8 reads it first).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { createImageSet, type ImageSet } from "../common/imset.js";

const f = Math.fround;

export interface RepeatImset {
  set: ImageSet;
  exptime: number;
  expend: number;
  ok: boolean;
}

export interface RepeatSum {
  set: ImageSet;
  /** Index of the first image set summed (its headers become the output's). */
  first: number;
  /** NCOMBINE: how many were summed. */
  nrptexp: number;
  exptime: number;
  expend: number;
}

export function sumRepeats(imsets: readonly RepeatImset[]): RepeatSum | undefined {
  const first = imsets.findIndex((i) => i.ok);
  if (first < 0) return undefined;
  const a = imsets[first]!.set;
  const out = createImageSet(a.nx, a.ny, { geometry: a.geometry, chip: a.chip });
  out.sci.set(a.sci);
  out.dq.set(a.dq);
  for (let k = 0; k < a.err.length; k++) out.err[k] = f(a.err[k]! * a.err[k]!);
  let [nrptexp, exptime, expend] = [1, imsets[first]!.exptime, imsets[first]!.expend];
  for (const imset of imsets.slice(first + 1)) {
    expend = imset.expend;
    if (!imset.ok) continue;
    const b = imset.set;
    if (b.nx !== a.nx || b.ny !== a.ny) {
      throw new CalibrationError("SIZE_MISMATCH", `RPTCORR: image sets of ${a.nx}x${a.ny} and ${b.nx}x${b.ny}`);
    }
    for (let k = 0; k < out.sci.length; k++) {
      out.sci[k] = out.sci[k]! + b.sci[k]!;
      out.err[k] = out.err[k]! + f(b.err[k]! * b.err[k]!);
      out.dq[k] = out.dq[k]! | b.dq[k]!;
    }
    exptime += imset.exptime;
    nrptexp++;
  }
  for (let k = 0; k < out.err.length; k++) out.err[k] = Math.sqrt(out.err[k]!);
  return { set: out, first, nrptexp, exptime, expend };
}
