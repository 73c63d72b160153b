/**
 * DOPPCORR of an FUV segment (calcos' doDoppcorr, fuvDopplerRegions, psaWcaBoundary, dopplerParam): the events
 * in the active area below the row between the PSA and WCA spectra (XTRACTAB B_SPEC + SLOPE × 8192 of the
 * segment) get XDOPP = XCORR − the orbital shift with the segment's DISPTAB relation; the others keep XCORR.
 * The shift's amplitude in pixels (dispersion at column 8192) gives the range of shifts for the DQ image.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { applyDoppler, dopplerRange, type OrbitalDoppler, SPEED_OF_LIGHT, slopeAt } from "../../calib/cos/doppcorr.js";
import { roundHalfEven, type ShiftSlice } from "../../calib/cos/dqicorr.js";
import { type CorrtagEvents, FUV_X, FUV_Y } from "../../calib/cos/events.js";
import type { Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { spectroTables } from "./doppcorr.js";
import type { SpectroTables } from "./spectro-tables.js";

const MIDDLE = FUV_X / 2;
const APERTURES = ["PSA", "WCA", "BOA", "FCA"];

function required(hdr: Header, keyword: string): number {
  if (!hdr.has(keyword)) throw new CalibrationError("HEADER_PROBLEM", `DOPPCORR needs ${keyword} in the EVENTS header`);
  return hdr.getNumber(keyword);
}

export interface FuvDoppler {
  /** The row between the PSA and the WCA. */
  boundary: number;
  range(exptime: number): { min: number; max: number };
}

export function fuvDoppcorr(
  events: CorrtagEvents,
  active: Uint8Array,
  primary: Header,
  hdr: Header,
  segment: string,
  tables: SpectroTables,
): FuvDoppler {
  const base = { OPT_ELEM: primary.getString("OPT_ELEM").trim(), CENWAVE: primary.getInt("CENWAVE"), SEGMENT: segment };
  const fpoffset = primary.getInt("FPOFFSET", 0);
  const aperture = primary.getString("APERTURE", "PSA").trim().toUpperCase();
  const boundaryAperture = aperture === "BOA" ? "BOA" : "PSA";
  const psa = tables.bSpec({ ...base, APERTURE: boundaryAperture }, MIDDLE);
  const wca = tables.bSpec({ ...base, APERTURE: "WCA" }, MIDDLE);
  const boundary = roundHalfEven((psa + wca) / 2);
  const dispersion = tables.dispersion({
    ...base,
    APERTURE: APERTURES.includes(aperture) ? aperture : "PSA",
    FPOFFSET: fpoffset,
  });
  const orbit: OrbitalDoppler = {
    doppmagv: required(hdr, "DOPPMAGV"),
    doppzero: required(hdr, "DOPPZERO"),
    orbitper: required(hdr, "ORBITPER"),
    expstart: required(hdr, "EXPSTART"),
  };
  applyDoppler(events, [{ lower: Number.NEGATIVE_INFINITY, upper: boundary, dispersion }], orbit);
  const { xcorr, xdopp } = events;
  for (let k = 0; k < xdopp.length; k++) if (!active[k]) xdopp[k] = xcorr[k];
  const middleDispersion = tables.dispersion({ ...base, APERTURE: aperture, FPOFFSET: fpoffset });
  const slope = slopeAt(middleDispersion, MIDDLE);
  const cenwave = primary.getInt("CENWAVE");
  const amplitude = slope <= 0 ? 0 : (orbit.doppmagv / SPEED_OF_LIGHT) * (cenwave / slope);
  return { boundary, range: (exptime) => dopplerRange(amplitude, orbit, exptime) };
}

/** DOPPCORR when PERFORM (calcos turns it OMIT when DOPPMAGV is 0): XDOPP, then XFULL from it (no WAVECORR). */
export function fuvDoppler(
  primary: Header,
  hdr: Header,
  events: CorrtagEvents,
  active: Uint8Array,
  segment: string,
  env: Env,
  trailer: string[],
): FuvDoppler | undefined {
  if (primary.getString("DOPPCORR", "OMIT").trim().toUpperCase() !== "PERFORM") return undefined;
  if (hdr.getNumber("DOPPMAGV", -1) === 0) {
    primary.set("DOPPCORR", "OMIT");
    trailer.push("DOPPCORR  OMIT (DOPPMAGV = 0)");
    return undefined;
  }
  const doppler = fuvDoppcorr(events, active, primary, hdr, segment, spectroTables(primary, env, "DOPPCORR"));
  events.xfull.set(events.xdopp);
  return doppler;
}

/** updateDQArray's two FUV slices when the Doppler range is applied: rows below the PSA/WCA boundary and above. */
export const psaWcaSlices = (boundary: number): ShiftSlice[] => [
  { lower: 0, upper: boundary, min1: 0, max1: 0, min2: 0, max2: 0 },
  { lower: boundary, upper: FUV_Y, min1: 0, max1: 0, min2: 0, max2: 0 },
];
