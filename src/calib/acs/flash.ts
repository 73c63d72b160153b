/**
 * FLSHCORR (calibration.md §2.11): the post-flash reference (e/s) × FLASHDUR is subtracted line by
 * line; MEANFLSH is the good-pixel weighted mean of the scaled flash, accumulated in float.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acs2d/doflash.c.
 */
import { subtractImage } from "../common/arithmetic.js";
import type { ImageSet, Section } from "../common/imset.js";
import { type ReferenceImage, referencePlacement } from "../common/reference-image.js";

export interface FlashParameters {
  flashdur: number;
  /** FLASHSTA, e.g. SUCCESSFUL or ABORTED. */
  flashsta: string;
  sdqflags: number;
}

export interface FlashResult {
  /** PERFORM when subtracted; IGNORED (→ SKIPPED) when FLASHDUR ≤ 0. */
  state: "PERFORM" | "IGNORED";
  /** SCI keyword MEANFLSH (float32), when subtracted. */
  meanflsh?: number;
  /** HISTORY lines the step adds itself (before the switch's own lines). */
  history: string[];
  warnings: string[];
}

const f = Math.fround;

export function subtractFlash(science: ImageSet, flash: ReferenceImage, parameters: FlashParameters): FlashResult {
  const flashdur = f(parameters.flashdur);
  if (flashdur <= 0) {
    const message = "Post-flash exposure was 0 seconds. FLSHCORR not performed.";
    return { state: "IGNORED", history: [message], warnings: [message] };
  }
  const history: string[] = [];
  const warnings: string[] = [];
  if (parameters.flashsta.trim().toUpperCase() === "ABORTED") {
    const message = "Post-flash STATUS was ABORTED. Post-flash may be compromised.";
    history.push(message);
    warnings.push(message);
  }
  const place = referencePlacement(science, flash, "FLSHFILE");
  const meanflsh = lineWeightedMean(place, science.nx, science.ny, flashdur, parameters.sdqflags);
  subtractImage(science, place, "FLSHFILE", flashdur);
  return { state: "PERFORM", meanflsh, history, warnings };
}

/**
 * Σ(line mean × line weight) / Σ(line weight) of scale × SCI (rounded to float) over the nx × ny pixels
 * of a section, in float as hstcal's AvgSciValLine loop.
 */
function lineWeightedMean(section: Section, nx: number, ny: number, scale: number, sdqflags: number): number {
  const { sci, dq } = section.set;
  const mask = sdqflags & 0xffff;
  let mean = 0;
  let weight = 0;
  // The line sum in an array slot: a loop-carried double would be boxed by V8's on-stack replacement.
  const sum = new Float64Array(1);
  for (let j = 0; j < ny; j++) {
    sum[0] = 0;
    let good = 0;
    const row = (j + section.y0) * section.set.nx + section.x0;
    for (let i = row; i < row + nx; i++) {
      if ((dq[i]! & mask) === 0) {
        sum[0] += f(sci[i]! * scale);
        good++;
      }
    }
    const lineMean = good > 0 ? f(sum[0]! / good) : 0;
    const lineWeight = good > 0 ? f(f(good) / f(nx)) : 0;
    mean = f(mean + f(lineMean * lineWeight));
    weight = f(weight + lineWeight);
  }
  return ny > 0 ? f(mean / weight) : 0;
}
