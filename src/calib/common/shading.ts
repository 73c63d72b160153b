/**
 * SHADCORR (calibration.md §2.11): with t = EXPTIME / NCOMBINE the image is divided by
 * 1 + SHADFILE / t (the shading reference, in seconds, expanded if binned). Algorithms follow hstcal
 * (BSD-3-Clause, AURA), acs2d/doshad.c.
 */
import { divideImage } from "./arithmetic.js";
import type { ImageSet } from "./imset.js";
import { expandedReferencePlacement, type ReferenceImage } from "./reference-image.js";

export interface ShadingParameters {
  exptime: number;
  ncombine: number;
}

export interface ShadingResult {
  /** IGNORED (→ SKIPPED) when EXPTIME ≤ 0. */
  state: "PERFORM" | "IGNORED";
  warnings: string[];
}

export function correctShading(
  science: ImageSet,
  shading: ReferenceImage,
  parameters: ShadingParameters,
): ShadingResult {
  if (!(parameters.exptime > 0)) {
    return { state: "IGNORED", warnings: ["EXPTIME must be positive if SHADCORR = PERFORM."] };
  }
  const exposure = Math.fround(parameters.exptime / parameters.ncombine);
  const place = expandedReferencePlacement(science, shading, "SHADFILE");
  divideImage(science, place, "SHADFILE", { scale: Math.fround(1 / exposure), add: 1 });
  return { state: "PERFORM", warnings: [] };
}
