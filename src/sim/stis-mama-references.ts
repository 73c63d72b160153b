/**
 * The STIS MAMA linearity table (MLINTAB) in its real format: one row per MAMA detector with the global and
 * local count-rate limits (counts/s), the dead-time constant TAU (s) and the flagging radius EXPAND (high-res
 * pixels), as calstis1's getlintab.c reads them.
 */

import type { StisLinearityRow } from "../calib/stis/mama.js";
import { FitsWriter, Header } from "../fits/index.js";

/** Limits of the order of the STIS instrument handbook's (global ~ 2e5 c/s, local ~ 100 c/s/pixel). */
export const STIS_MAMA_LINEARITY: readonly StisLinearityRow[] = [
  { DETECTOR: "NUV-MAMA", GLOBAL_LIMIT: 300000, LOCAL_LIMIT: 200, TAU: 2.8e-7, EXPAND: 2.5 },
  { DETECTOR: "FUV-MAMA", GLOBAL_LIMIT: 200000, LOCAL_LIMIT: 40, TAU: 1.9e-6, EXPAND: 2.5 },
];

/** Writes an MLINTAB at `path` (rows default to STIS_MAMA_LINEARITY). */
export function writeStisMlintab(path: string, rows: readonly StisLinearityRow[] = STIS_MAMA_LINEARITY): void {
  const primary = new Header()
    .set("TELESCOP", "HST")
    .set("INSTRUME", "STIS")
    .set("DETECTOR", "ANY")
    .set("FILETYPE", "MAMA LINEARITY TABLE")
    .set("USEAFTER", "Jan 01 1997 00:00:00")
    .set("PEDIGREE", "MODEL", { comment: "synthetic: the simulator's detector model" })
    .set("DESCRIP", "synthetic MAMA count-rate limits", { comment: "description of the reference file" });
  primary.addCommentary("HISTORY", "Synthetic reference file written by caldp sim; not an STScI calibration product.");
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(
      new Header().set("EXTNAME", "MLINTAB"),
      [
        { name: "DETECTOR", format: "12A", data: rows.map((r) => r.DETECTOR) },
        { name: "GLOBAL_LIMIT", format: "1D", data: Float64Array.from(rows, (r) => r.GLOBAL_LIMIT) },
        { name: "LOCAL_LIMIT", format: "1D", data: Float64Array.from(rows, (r) => r.LOCAL_LIMIT) },
        { name: "TAU", format: "1D", data: Float64Array.from(rows, (r) => r.TAU) },
        { name: "EXPAND", format: "1E", data: Float32Array.from(rows, (r) => r.EXPAND) },
      ],
      rows.length,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
