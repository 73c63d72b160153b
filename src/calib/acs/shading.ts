/**
 * SHADCORR (calibration.md §2.11): with t = EXPTIME / NCOMBINE the image is divided by
 * 1 + SHADFILE / t (the shading reference, in seconds, expanded if binned). Algorithms follow hstcal
 * (BSD-3-Clause, AURA), acs2d/doshad.c.
 */
import { addConstant, divideImage, multiplyConstant } from "../common/arithmetic.js";
import { type ImageSet, wholeSection } from "../common/imset.js";
import { expandedReferenceSection, type ReferenceImage } from "./reference-image.js";

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
  const divisor = expandedReferenceSection(science, shading, "SHADFILE");
  const scale = Math.fround(1 / exposure);
  if (scale !== 1) multiplyConstant(divisor, scale);
  addConstant(divisor, 1);
  divideImage(science, wholeSection(divisor), "SHADFILE");
  return { state: "PERFORM", warnings: [] };
}
