/**
 * The input calstis6 gets in cs0.e's run of the long-slit case, made natively: the crj of `caldp calstis` on the
 * raw with the spectroscopic steps off (equal to cs0.e's crj), copied with cs0.e's SHIFTA1/SHIFTA2 in its imset
 * headers and the switches as cs0.e hands them over (WAVECORR COMPLETE, X1DCORR PERFORM). The x1d columns are compared
 * with the record's prints by column-print.ts.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { rewriteHeaders } from "../../src/fits/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

export interface Shifts {
  SHIFTA1: number;
  SHIFTA2: number;
}

/** `caldp calstis` of the raw in `dir` with WAVECORR, X2DCORR and X1DCORR off, in `dir`/basic2d: its crj. */
export async function nativeLongSlitCrj(dir: string, raw: string, oref: string): Promise<string> {
  const basic = join(dir, "basic2d");
  mkdirSync(basic);
  copyFileSync(join(dir, raw), join(basic, raw));
  rewriteHeaders(join(basic, raw), (header, hdu) => {
    if (hdu.index === 0) for (const s of ["WAVECORR", "X2DCORR", "X1DCORR"]) header.set(s, "OMIT");
  });
  const run = await runCliAsync("caldp", ["calstis", raw], { cwd: basic, env: { oref } });
  assert.equal(run.status, 0, run.stderr);
  return join(basic, "o8ss01010_crj.fits");
}

/** A copy of `crj` in `folder` as calstis6 gets it after calstis12, with `off` switched OMIT. */
export function x1dInput(crj: string, folder: string, shifts: Shifts, off: readonly string[] = []): string {
  mkdirSync(folder);
  const copy = join(folder, "o8ss01010_crj.fits");
  copyFileSync(crj, copy);
  rewriteHeaders(copy, (header, hdu) => {
    if (hdu.index === 0) {
      for (const s of ["X2DCORR", "X1DCORR"]) header.set(s, "PERFORM");
      for (const s of off) header.set(s, "OMIT");
      header.set("WAVECORR", "COMPLETE");
      header.addCommentary("HISTORY", "WAVECORR complete ...");
      header.addCommentary("HISTORY", "  wavecal = o8ss01010_w2d_tmp.fits");
    } else header.set("SHIFTA1", shifts.SHIFTA1).set("SHIFTA2", shifts.SHIFTA2);
  });
  return copy;
}
