/**
 * The FILETYPE each UVIS reference must start with (hstcal CheckImgType/CheckTabType in wf3ccd/getflags.c and
 * wf32d/get2dflags.c; case-sensitive, as strncmp): calwf3.e refuses a file of another type before any pixel
 * work ("Calibration file(s) missing or invalid"), so the native engine does too. SNKCFILE, SATUFILE,
 * CRREJTAB and IMPHTTAB are not checked by calwf3.e; ATODTAB is checked where it is read (uvis-atod.ts).
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { primaryText, type ReferenceNames } from "./references.js";

const UVIS_FILETYPES: readonly [keyword: string, filetype: string][] = [
  ["CCDTAB", "CCD PARAMETERS"],
  ["OSCNTAB", "OVERSCAN"],
  ["BPIXTAB", "BAD PIXELS"],
  ["BIASFILE", "BIAS"],
  ["FLSHFILE", "POST FLASH"],
  ["DARKFILE", "DARK"],
  ["PFLTFILE", "PIXEL-TO-PIXEL FLAT"],
  ["DFLTFILE", "DELTA FLAT"],
  ["LFLTFILE", "LARGE SCALE FLAT"],
  ["SHADFILE", "SHUTTER SHADING"],
];

/** Every resolved reference (those the PERFORM switches need) of the wrong FILETYPE, in one error. */
export function checkUvisFiletypes(references: ReferenceNames): void {
  const bad: string[] = [];
  for (const [keyword, filetype] of UVIS_FILETYPES) {
    const ref = references[keyword];
    if (!ref) continue;
    const found = primaryText(ref, "FILETYPE");
    if (!found.startsWith(filetype))
      bad.push(`${ref.path}: FILETYPE='${found}' is invalid for ${keyword} ('${filetype}')`);
  }
  if (bad.length > 0) throw new CalibrationError("CAL_FILE_MISSING", bad.join("; "));
}
