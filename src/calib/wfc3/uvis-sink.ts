/**
 * UVIS sink pixels (calibration.md §4; hstcal wf3ccd/sink.c, doccd.c, subtools.c, razutil.c), in DN after
 * BLEVCORR and BIASCORR, on the untrimmed chip. The SNKCFILE holds, per raw pixel: an MJD (> 50000) where
 * a sink pixel turned on, -1 just below a sink, 1..999 on its trail (the lowest sink signal, DN, at which
 * that trail pixel is still damaged), 0 elsewhere. A sink that turned on before EXPSTART is flagged
 * TRAP (1024), the pixel below it too when its map value is negative, then the trail upward as long as
 * the map says 0 < value < 1000, where SCI(sink) <= value.
 *
 * "Below" and "upward" are in hstcal's RAZ orientation, where the readout amplifiers are at the bottom:
 * imset 1 as stored, imset 2 flipped top to bottom. The RAZ column reordering does not matter here (each
 * column is walked on its own), so the walk runs in the stored layout with the row direction of the imset.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { nint } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import { WF3_DQ } from "./dq.js";

/** Map values above this are turn-on dates (MJD); hstcal's refdate. */
const TURN_ON_DATE_MIN = 50000;
/** Trail values are below this (DN). */
const TRAIL_MAX = 1000;

export interface SinkPlacement {
  /** The science pixel (0, 0) falls on map pixel (x0, y0); pixels of the map outside the science read SCI = 0. */
  x0: number;
  y0: number;
  /** The readout is at the top of the stored rows (imset 2): the walk goes from high rows to low ones. */
  flipRows: boolean;
}

/** Flags the sinks of `map` (one SNKCFILE SCI plane) active at `expstart` in `set`; returns the pixels newly flagged. */
export function flagSinkPixels(set: ImageSet, map: ImageSet, expstart: number, at: SinkPlacement): number {
  const { nx: mx, ny: my } = map;
  const { x0, y0 } = at;
  if (x0 < 0 || y0 < 0 || x0 + set.nx > mx || y0 + set.ny > my) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `SNKCFILE (${mx}x${my}) does not cover the science image (${set.nx}x${set.ny} at ${x0},${y0})`,
    );
  }
  const values = map.sci;
  const step = at.flipRows ? -1 : 1;
  let flagged = 0;
  const inside = (r: number) => r >= y0 && r < y0 + set.ny;
  const flag = (r: number, i: number) => {
    if (!inside(r)) return;
    const k = (r - y0) * set.nx + i;
    if ((set.dq[k] & WF3_DQ.SPIKE) === 0) flagged++;
    set.dq[k] |= WF3_DQ.SPIKE;
  };
  // The map is searched for active sinks in memory order; each one's column is then walked. Flags are ORed
  // and counted once per pixel, so the order in which sinks are taken changes nothing.
  for (let r = 0; r < my; r++) {
    for (let c = x0; c < x0 + set.nx; c++) {
      const date = values[r * mx + c];
      if (!(date > TURN_ON_DATE_MIN && expstart > date)) continue;
      const i = c - x0;
      flag(r, i);
      const signal = inside(r) ? set.sci[(r - y0) * set.nx + i] : 0;
      const below = r - step;
      if (below >= 0 && below < my && values[below * mx + c] < 0) flag(below, i);
      for (let t = r + step; t >= 0 && t < my; t += step) {
        const v = values[t * mx + c];
        // C's (int) cast: anything in (-1, 1) ends the trail, as does a date or a value out of 0..1000.
        if (Math.trunc(v) === 0 || !(v > 0 && v < TRAIL_MAX)) break;
        if (signal <= v) flag(t, i);
      }
    }
  }
  return flagged;
}

/** LTV1 of a full raw UVIS chip (25 prescan columns): hstcal's frame for embedding a subarray. */
const FULL_CHIP_LTV1 = 25;

/**
 * Which SNKCFILE imset and placement hstcal uses: a full frame its own imset number (EXTVER), imset 2
 * flipped; a subarray (always imset 1 of its file) is embedded in a full chip at LTV1 = 25, LTV2 = 0 and
 * walked with imset 1's map and orientation whatever its CCDCHIP (doccd.c, subtools.c; kept as hstcal
 * does, as is the absence of the 60-column shift for subarrays right of the middle overscan).
 */
export function sinkPlacement(
  set: ImageSet,
  extver: number,
  subarray: boolean,
  maps: readonly ImageSet[],
): { map: ImageSet; at: SinkPlacement } {
  const imset = subarray ? 1 : extver;
  const map = maps[imset - 1];
  if (!map) throw new CalibrationError("CAL_FILE_MISSING", `SNKCFILE has no imset ${imset}`);
  if (subarray) {
    const x0 = nint(-set.geometry.ltv[0]) + FULL_CHIP_LTV1;
    const y0 = nint(-set.geometry.ltv[1]);
    return { map, at: { x0, y0, flipRows: false } };
  }
  if (map.nx !== set.nx || map.ny !== set.ny) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `SNKCFILE imset ${imset} is ${map.nx}x${map.ny}, the science chip ${set.nx}x${set.ny}`,
    );
  }
  return { map, at: { x0: 0, y0: 0, flipRows: extver === 2 } };
}
