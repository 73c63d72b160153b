/**
 * The DARKTIME ACSCCD writes to the primary header (calibration.md §2.6; hstcal dodarktime.c): the
 * CCDTAB overhead is added after SM4 (full frame) or after Cycle 24 for the supported subarrays.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { AcsCcdParameters } from "./ccd-parameters.js";

/** MJD of SM4 and of the start of Cycle 24. */
export const SM4_MJD = 54962;
export const CYCLE24_MJD = 57662;

export const DARK_OVERHEAD_SUBARRAYS: readonly string[] = [
  "WFC1A-2K",
  "WFC1B-2K",
  "WFC2C-2K",
  "WFC2D-2K",
  "WFC1A-1K",
  "WFC1B-1K",
  "WFC2C-1K",
  "WFC2D-1K",
  "WFC1A-512",
  "WFC1B-512",
  "WFC2C-512",
  "WFC2D-512",
  "WFC1-IRAMPQ",
  "WFC1-MRAMPQ",
  "WFC2-ORAMPQ",
  "WFC1-POL0UV",
  "WFC1-POL0V",
  "WFC1-POL60UV",
  "WFC1-POL60V",
  "WFC1-POL120UV",
  "WFC1-POL120V",
  "WFC1-SMFL",
];

export interface DarktimeInputs {
  /** Primary DARKTIME, FLASHDUR, FLASHSTA, EXPSTART, SUBARRAY, APERTURE. */
  darktime: number;
  flashdur: number;
  flashsta: string;
  expstart: number;
  subarray: boolean;
  aperture: string;
}

/** The new DARKTIME (a C float: header value and overhead are floats, their sum is rounded to float). */
export function computeDarktime(inputs: DarktimeInputs, params: Pick<AcsCcdParameters, "ovrhfls" | "ovrhufls">) {
  const fromHeader = Math.fround(inputs.darktime);
  const flashed = Math.fround(inputs.flashdur) > 0 && inputs.flashsta.trim() === "SUCCESSFUL";
  const offset = Math.fround(flashed ? params.ovrhfls : params.ovrhufls);
  const applies = inputs.subarray
    ? inputs.expstart >= CYCLE24_MJD && DARK_OVERHEAD_SUBARRAYS.includes(inputs.aperture.trim())
    : inputs.expstart >= SM4_MJD;
  return applies ? Math.fround(fromHeader + offset) : fromHeader;
}
