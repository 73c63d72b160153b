/**
 * FLATCORR (calibration.md §2.11): division by PFLTFILE, then DFLTFILE, then LFLTFILE (a low-order
 * flat binned more than the science is expanded by bilinear interpolation first). A zero flat pixel
 * leaves the science pixel and flags DQ 512 (§0.5). Algorithms follow hstcal (BSD-3-Clause, AURA),
 * acs2d/doflat.c and unbinline.c.
 */
import { divideImage } from "../common/arithmetic.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import {
  expandedReferencePlacement,
  isDummy,
  type ReferenceImage,
  referencePlacement,
} from "../common/reference-image.js";

export interface FlatReferences {
  pflt?: ReferenceImage;
  dflt?: ReferenceImage;
  lflt?: ReferenceImage;
}

export interface FlatResult {
  /** PERFORM if any flat was applied, DUMMY if every given flat is a dummy. */
  state: "PERFORM" | "DUMMY";
  /** The flats applied, in order (for HISTORY, every given flat is named, as hstcal does). */
  applied: ("PFLTFILE" | "DFLTFILE" | "LFLTFILE")[];
}

export function flatField(science: ImageSet, flats: FlatReferences): FlatResult {
  const given = [
    ["PFLTFILE", flats.pflt],
    ["DFLTFILE", flats.dflt],
    ["LFLTFILE", flats.lflt],
  ] as const;
  if (given.every(([, ref]) => ref === undefined)) {
    throw new CalibrationError("CAL_FILE_MISSING", "PFLTFILE, DFLTFILE, and LFLTFILE are all blank.");
  }
  const applied: FlatResult["applied"] = [];
  for (const [what, ref] of given) {
    if (ref === undefined || isDummy(ref)) continue;
    const flat =
      what === "LFLTFILE" ? expandedReferencePlacement(science, ref, what) : referencePlacement(science, ref, what);
    divideImage(science, flat, what);
    applied.push(what);
  }
  return { state: applied.length > 0 ? "PERFORM" : "DUMMY", applied };
}
