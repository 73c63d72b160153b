/**
 * calstis2's parameters from the CRREJTAB (cs2 o_cal2_in.c): the row whose CRSPLIT is the number of image
 * sets (clipped to the table's largest) and whose MEANEXP is the smallest not below the mean exposure time
 * (compared in double, later rows win ties); SKYSUB is "none" for spectroscopic data. The columns are
 * those of ACSREJ's tables (common/crrejtab.ts). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { type CrrejColumns, MAX_ITERATIONS, parseSigmas } from "../common/crrejtab.js";
import { CalibrationError } from "../common/errors.js";

export interface StisCrrejParameters {
  initial: string;
  sky: string;
  sigmasText: string;
  sigmas: number[];
  /** CRRADIUS, CRTHRESH, SCALENSE (float32). */
  rej: number;
  psigma: number;
  scalenoise: number;
  badbits: number;
  mask: boolean;
  /** Mean exposure time (float32, as the MEANEXP keyword holds it). */
  meanexp: number;
}

const f = Math.fround;

export function stisCrrejParameters(
  rows: readonly CrrejColumns[],
  o: { nimages: number; exptot: number; obstype: string; where: string },
): StisCrrejParameters {
  const expIn = o.exptot / o.nimages;
  const largest = Math.max(...rows.map((r) => r.CRSPLIT));
  const crsplit = Math.min(o.nimages, largest);
  let chosen: CrrejColumns | undefined;
  let smallest = 0;
  for (const row of rows) {
    const diff = row.MEANEXP - expIn;
    if (row.CRSPLIT !== crsplit || !(diff >= 0)) continue;
    if (!chosen || diff <= smallest) {
      chosen = row;
      smallest = diff;
    }
  }
  if (!chosen) {
    throw new CalibrationError(
      "TABLE_ROW_MISSING",
      `${o.where}: no row with CRSPLIT ${crsplit} and MEANEXP >= ${expIn}`,
      { step: "CRCORR" },
    );
  }
  const sigmas = parseSigmas(chosen.CRSIGMAS);
  if (sigmas === -1 || sigmas.length === 0 || sigmas.length > MAX_ITERATIONS) {
    throw new CalibrationError(
      "INVALID_VALUE",
      `${o.where}: CRSIGMAS '${chosen.CRSIGMAS}' is not 1 to ${MAX_ITERATIONS} sigmas`,
      {
        step: "CRCORR",
      },
    );
  }
  return {
    initial: chosen.INITGUES.trim(),
    sky: o.obstype === "SPECTROSCOPIC" ? "none" : chosen.SKYSUB.trim(),
    sigmasText: chosen.CRSIGMAS,
    sigmas,
    rej: f(chosen.CRRADIUS),
    psigma: f(chosen.CRTHRESH),
    scalenoise: f(chosen.SCALENSE),
    badbits: (chosen.BADINPDQ << 16) >> 16,
    mask: chosen.CRMASK === true || (typeof chosen.CRMASK === "number" && chosen.CRMASK !== 0),
    meanexp: f(expIn),
  };
}
