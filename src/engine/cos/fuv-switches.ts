/**
 * What an FUV TIME-TAG exposure may ask of the native calcos so far, and its file names: a switch of a step not
 * native for FUV yet (WAVECORR without TAGFLASH, TRCECORR, ALGNCORR, X1DCORR other than BOXCAR) set PERFORM is
 * refused with one error naming the file and the switch, never skipped silently.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { Subarray } from "../../calib/cos/dqicorr.js";
import { FUV_X, FUV_Y } from "../../calib/cos/events.js";
import type { Header } from "../../fits/index.js";
import { type CosSwitches, checkX1dSwitches, NATIVE_STEPS } from "./switches.js";

export type FuvSegment = "FUVA" | "FUVB";

const NOT_NATIVE_FOR_FUV = ["WAVECORR", "TRCECORR", "ALGNCORR"];

/** The switches of the steps native for FUV, as the NUV program keeps them (readCosSwitches refuses BADTCORR). */
export const fuvSwitches = (primary: Header): CosSwitches =>
  Object.fromEntries(NATIVE_STEPS.map((k) => [k, value(primary, k)])) as CosSwitches;

export const rawtagName = (root: string, segment: FuvSegment) =>
  `${root}_rawtag_${segment.slice(-1).toLowerCase()}.fits`;

const value = (primary: Header, key: string) =>
  String(primary.get(key) ?? "OMIT")
    .trim()
    .toUpperCase();

/** References calcos would use that the native steps do not read yet: refused rather than silently left out. */
const NOT_NATIVE_REFERENCES: [string, string][] = [
  ["PHACORR", "PHAFILE"],
  ["DQICORR", "SPOTTAB"],
];

export function checkFuvSwitches(primary: Header, file: string): void {
  if (value(primary, "DGEOCORR") === "PERFORM" && value(primary, "GEOCORR") === "OMIT") {
    throw new CalibrationError(
      "HEADER_PROBLEM",
      `${file}: DGEOCORR = PERFORM but GEOCORR = OMIT, which calcos does not permit (set GEOCORR to PERFORM)`,
      { step: "DGEOCORR" },
    );
  }
  for (const [step, keyword] of NOT_NATIVE_REFERENCES) {
    const reference = String(primary.get(keyword) ?? "N/A").trim();
    if (value(primary, step) === "PERFORM" && !["", "N/A"].includes(reference.toUpperCase())) {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `${file}: ${step} with ${keyword} = '${reference}' is not native for FUV yet (use CALDP_ENGINE=hstcal)`,
        { step },
      );
    }
  }
  if (value(primary, "X1DCORR") === "PERFORM") checkX1dSwitches(primary, file);
  const tagflash = value(primary, "TAGFLASH") !== "OMIT" && value(primary, "TAGFLASH") !== "NONE";
  for (const key of NOT_NATIVE_FOR_FUV) {
    if (
      key === "WAVECORR" &&
      tagflash &&
      value(primary, key) === "PERFORM" &&
      value(primary, "GEOCORR") === "PERFORM"
    ) {
      // the distortion's out-of-bounds border is not yet moved by the wavecal shifts as calcos moves it
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `${file}: WAVECORR = PERFORM (TAGFLASH) with GEOCORR = PERFORM is not native for FUV yet (use CALDP_ENGINE=hstcal)`,
        { step: key },
      );
    }
    if (key === "WAVECORR" && tagflash) continue;
    if (key === "WAVECORR" && value(primary, key) === "PERFORM") {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `${file}: WAVECORR = PERFORM without TAGFLASH (shifts from separate wavecal exposures) is not native for FUV yet (set it to OMIT or use CALDP_ENGINE=hstcal)`,
        { step: key },
      );
    }
    if (value(primary, key) === "PERFORM") {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `${file}: ${key} = PERFORM is not native for FUV yet (set it to OMIT or use CALDP_ENGINE=hstcal)`,
        { step: key },
      );
    }
  }
}

/**
 * The segment's subarrays (CORNERnX … SIZEnY, n = 0–3 for FUVA, 4–7 for FUVB) that are neither empty nor the
 * whole segment (calcos' fuvFlagOutOfBounds drops those).
 */
export function segmentSubarrays(hdr: Header, segment: FuvSegment): Subarray[] {
  const first = segment === "FUVA" ? 0 : 4;
  const out: Subarray[] = [];
  for (let i = first; i < first + 4; i++) {
    const s = {
      x0: hdr.getInt(`CORNER${i}X`, 0),
      y0: hdr.getInt(`CORNER${i}Y`, 0),
      xsize: hdr.getInt(`SIZE${i}X`, 0),
      ysize: hdr.getInt(`SIZE${i}Y`, 0),
    };
    if (s.xsize <= 0 || s.ysize <= 0 || (s.xsize === FUV_X && s.ysize === FUV_Y)) continue;
    out.push(s);
  }
  return out;
}
