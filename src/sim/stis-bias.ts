/**
 * The STIS/CCD BIASFILE of the simulation. calstis1 subtracts the overscan level (BLEVCORR: the serial
 * overscan's line fit and the virtual overscan's drift) before the bias image, so STScI's bias images are
 * made from overscan-corrected bias frames: here, what calstis1's BLEVCORR leaves of the noiseless bias
 * structure (a bias image holding the overscan level too would take it off twice, ~0.9 DN).
 */
import { createImageSet } from "../calib/common/imset.js";
import { blevcorr } from "../calib/stis/blevcorr.js";
import type { ChipLayout } from "./detectors.js";

export function stisBiasAfterBlev(chip: ChipLayout, raw: Float32Array): Float32Array {
  const frame = createImageSet(chip.rawNx, chip.rawNy, {
    sci: Float32Array.from(raw),
    geometry: { ltv: [chip.amps[0]!.sciRawX0, chip.sciRawY0], ltm: [1, 1] },
  });
  const result = blevcorr(frame, { ccdamp: chip.amps[0]!.amp, bin: [1, 1], sdqflags: 0, ccdbias: 0, blevClip: 50 });
  if (!result.fromOverscan) throw new Error(`the STIS bias frame (${chip.rawNx}x${chip.rawNy}) has no overscan`);
  return result.set.sci;
}
