/**
 * UVIS FLSHCORR in DN (calibration.md §4; hstcal wf3ccd/doflash.c): FLSHFILE (e/s, untrimmed like the
 * bias) × FLASHDUR / ATODGN is subtracted before the trim. A full frame scales the left part of each
 * line (raw columns below AMPX) with the chip's first amp and the rest with its second; a subarray is
 * read by one amp and uses that amp's gain. The FLSHFILE is a full 4-amp frame: a subarray beyond the
 * left amp's raw columns skips its 60 serial virtual overscan columns, and one straddling them has them
 * cut out of its line. MEANFLSH is the good-pixel weighted mean of the scaled lines.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { chooseChip, placeReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import { ampsOfChip } from "./uvis-amps.js";

export interface UvisFlashOptions {
  flashdur: number;
  /** FLASHSTA, e.g. SUCCESSFUL or ABORTED. */
  flashsta: string;
  sdqflags: number;
}

export interface UvisFlashResult {
  /** PERFORM when subtracted, IGNORED (→ SKIPPED) when FLASHDUR ≤ 0. */
  state: "PERFORM" | "IGNORED";
  meanflsh: number;
  /** Messages hstcal also adds to the primary HISTORY. */
  history: string[];
}

/** Last raw column of the left amp in hstcal's full-frame FLSHFILE (25 prescan + 2048), and the middle overscan. */
const LEFT_AMP_END = 2072;
const MIDDLE_OVERSCAN = 60;

const f = Math.fround;

export function subtractUvisFlash(
  set: ImageSet,
  flash: { imsets: readonly ImageSet[] },
  params: Wf3CcdParameters,
  options: UvisFlashOptions,
): UvisFlashResult {
  if (!(f(options.flashdur) > 0)) {
    return { state: "IGNORED", meanflsh: 0, history: ["Post-flash exposure was 0 seconds. FLSHCORR not performed."] };
  }
  const history: string[] = [];
  if (options.flashsta.trim().toUpperCase() === "ABORTED") {
    history.push("Post-flash STATUS was ABORTED. Post-flash may be compromised.");
  }
  const reference = chooseChip(flash.imsets, set.chip, "FLSHFILE");
  const place = placeReference(set, reference, "FLSHFILE");
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", "FLSHFILE is not binned like the science image");
  }
  const subarray = !(place.x0 === 0 && place.y0 === 0 && reference.nx === set.nx && reference.ny === set.ny);
  const amps = ampsOfChip(params.ccdamp, params.ccdchip);
  const gainOf = (amp: number) => params.atodgain[amp];
  // Per column of the science line: the scale factor and the reference column.
  const scale = new Float32Array(set.nx);
  const column = new Int32Array(set.nx);
  let x0 = place.x0;
  let skipAt = set.nx;
  if (subarray) {
    if (x0 > LEFT_AMP_END) x0 += MIDDLE_OVERSCAN;
    else if (x0 + set.nx > LEFT_AMP_END) skipAt = LEFT_AMP_END + 1 - x0;
  }
  const ampx = Math.min(params.ampx, set.nx);
  for (let i = 0; i < set.nx; i++) {
    const amp = subarray || amps.length < 2 ? amps[0].index : amps[i < ampx ? 0 : 1].index;
    scale[i] = f(f(options.flashdur) / gainOf(amp));
    column[i] = x0 + i + (i >= skipAt ? MIDDLE_OVERSCAN : 0);
  }
  if (column[set.nx - 1] >= reference.nx || place.y0 + set.ny > reference.ny) {
    throw new CalibrationError("SIZE_MISMATCH", "FLSHFILE does not cover the science image");
  }
  let mean = 0;
  let weight = 0;
  const mask = options.sdqflags & 0xffff;
  for (let j = 0; j < set.ny; j++) {
    const rrow = (j + place.y0) * reference.nx;
    let sum = 0;
    let good = 0;
    for (let i = 0; i < set.nx; i++) {
      const r = rrow + column[i];
      const value = f(reference.sci[r] * scale[i]);
      const error = f(reference.err[r] * scale[i]);
      const k = j * set.nx + i;
      if ((reference.dq[r] & mask) === 0) {
        sum += value;
        good++;
      }
      set.sci[k] = f(set.sci[k] - value);
      set.err[k] = Math.sqrt(f(f(set.err[k] * set.err[k]) + f(error * error)));
      set.dq[k] |= reference.dq[r];
    }
    const lineMean = good > 0 ? f(sum / good) : 0;
    const lineWeight = good > 0 ? f(f(good) / f(set.nx)) : 0;
    mean = f(mean + f(lineMean * lineWeight));
    weight = f(weight + lineWeight);
  }
  return { state: "PERFORM", meanflsh: weight > 0 ? f(mean / weight) : 0, history };
}
