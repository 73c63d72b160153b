/**
 * DOPPCORR of a NUV TIME-TAG exposure (calcos' doDoppcorr, dopplerParam, psaWcaBoundary): the stripes' rows
 * and dispersion relations from XTRACTAB and DISPTAB for OPT_ELEM, CENWAVE, APERTURE and FPOFFSET, the orbit
 * from DOPPMAGV, DOPPZERO, ORBITPER and EXPSTART of the events header; XDOPP for each event, and the range
 * of shifts over the exposure (for the DQ image).
 */

import { CalibrationError } from "../../calib/common/errors.js";
import {
  applyDoppler,
  dopplerAmplitude,
  dopplerRange,
  nuvPsaBoundaries,
  type OrbitalDoppler,
} from "../../calib/cos/doppcorr.js";
import { roundHalfEven } from "../../calib/cos/dqicorr.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import type { Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { loadSpectroTables, type SpectroTables } from "./spectro-tables.js";
import { requiredReference } from "./switches.js";

const MIDDLE = 1024 / 2;

export interface NuvDoppler {
  /** The row between the PSA (NUVC) and the WCA (NUVA). */
  boundary: number;
  range(exptime: number): { min: number; max: number };
}

function required(hdr: Header, keyword: string): number {
  if (!hdr.has(keyword)) throw new CalibrationError("HEADER_PROBLEM", `DOPPCORR needs ${keyword} in the EVENTS header`);
  return hdr.getNumber(keyword);
}

/** The [lower, upper) rows of the three PSA stripes (calcos' nuvPsaBoundaries). */
export function psaRows(tables: SpectroTables, primary: Header): [number, number][] {
  const base = { OPT_ELEM: primary.getString("OPT_ELEM").trim(), CENWAVE: primary.getInt("CENWAVE") };
  const psa = (segment: string) => tables.bSpec({ ...base, SEGMENT: segment, APERTURE: "PSA" }, MIDDLE);
  const [a, b, c] = [psa("NUVA"), psa("NUVB"), psa("NUVC")];
  const wca = tables.bSpec({ ...base, SEGMENT: "NUVA", APERTURE: "WCA" }, MIDDLE);
  return nuvPsaBoundaries({ a, b, c, wca });
}

/** The XTRACTAB and DISPTAB of the exposure. */
export function spectroTables(primary: Header, env: Env, step: string): SpectroTables {
  return loadSpectroTables(
    requiredReference(primary, "XTRACTAB", env, step),
    requiredReference(primary, "DISPTAB", env, step),
    step,
  );
}

export function nuvDoppcorr(events: CorrtagEvents, primary: Header, hdr: Header, tables: SpectroTables): NuvDoppler {
  const optElem = primary.getString("OPT_ELEM").trim();
  const cenwave = primary.getInt("CENWAVE");
  const fpoffset = primary.getInt("FPOFFSET", 0);
  const aperture = primary.getString("APERTURE", "PSA").trim().toUpperCase();
  const base = { OPT_ELEM: optElem, CENWAVE: cenwave };
  const rows = psaRows(tables, primary);
  const wca = tables.bSpec({ ...base, SEGMENT: "NUVA", APERTURE: "WCA" }, MIDDLE);
  const apertureForDisp = ["PSA", "WCA", "BOA", "FCA"].includes(aperture) ? aperture : "PSA";
  const dispersion = (segment: string) =>
    tables.dispersion({ ...base, SEGMENT: segment, APERTURE: apertureForDisp, FPOFFSET: fpoffset });
  const stripes = ["NUVA", "NUVB", "NUVC"].map((segment, i) => ({
    lower: rows[i][0],
    upper: rows[i][1],
    dispersion: dispersion(segment),
  }));
  const orbit: OrbitalDoppler = {
    doppmagv: required(hdr, "DOPPMAGV"),
    doppzero: required(hdr, "DOPPZERO"),
    orbitper: required(hdr, "ORBITPER"),
    expstart: required(hdr, "EXPSTART"),
  };
  applyDoppler(events, stripes, orbit);
  const amplitude = dopplerAmplitude(
    orbit.doppmagv,
    cenwave,
    tables.dispersion({ ...base, SEGMENT: "NUVB", APERTURE: aperture, FPOFFSET: fpoffset }),
  );
  const boundaryAperture = aperture === "BOA" ? "BOA" : "PSA";
  const boundary = roundHalfEven(
    (tables.bSpec({ ...base, SEGMENT: "NUVC", APERTURE: boundaryAperture }, MIDDLE) + wca) / 2,
  );
  return { boundary, range: (exptime) => dopplerRange(amplitude, orbit, exptime) };
}
