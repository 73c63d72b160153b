/**
 * SINKCORR (calibration.md §2.9; hstcal dosink.c): flag sink pixels and their trails from SNKCFILE,
 * on the untrimmed image. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { binAndCorner, placeReference, sameSizeAsReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import { ACS_DQ } from "./dq.js";

/**
 * Walks every column from the sink head to the tail: upwards when the matching SNKCFILE imset is
 * EXTVER 1, downwards otherwise. Reference < 0: flag and start a trail (< -1 is the sink itself, whose
 * SCI is remembered); > 0 during a trail: flag while the reference exceeds that SCI, else the trail
 * ends; 0 ends the trail. Returns the number of flags set.
 */
export function flagSinkPixels(set: ImageSet, snkcfile: readonly ImageSet[]): number {
  const index = snkcfile.findIndex((r) => r.chip === set.chip);
  if (index < 0) throw new CalibrationError("CAL_FILE_MISSING", `SNKCFILE has no imset for CCDCHIP ${set.chip}`);
  const reference = snkcfile[index];
  const sBin = binAndCorner(set.geometry).bin;
  const rBin = binAndCorner(reference.geometry).bin;
  if (sBin[0] !== rBin[0] || sBin[1] !== rBin[1]) {
    throw new CalibrationError("INVALID_VALUE", "(sinkcorr) binned data is not supported.");
  }
  let x0 = 0;
  let y0 = 0;
  if (!sameSizeAsReference(set, reference)) ({ x0, y0 } = placeReference(set, reference, "SNKCFILE"));

  const { nx, ny, sci, dq } = set;
  const trailActive = new Uint8Array(nx);
  const sinkValue = new Float32Array(nx);
  const upwards = index === 0;
  let flagged = 0;
  for (let step = 0; step < ny; step++) {
    const j = upwards ? step : ny - 1 - step;
    for (let i = 0; i < nx; i++) {
      const ref = reference.sci[(j + y0) * reference.nx + i + x0];
      const k = j * nx + i;
      if (ref < 0) {
        trailActive[i] = 1;
        if (ref < -1) sinkValue[i] = sci[k];
        dq[k] |= ACS_DQ.SINK;
        flagged++;
      } else if (ref > 0) {
        if (!trailActive[i]) continue;
        if (ref > sinkValue[i]) {
          dq[k] |= ACS_DQ.SINK;
          flagged++;
        } else {
          trailActive[i] = 0;
        }
      } else {
        trailActive[i] = 0;
      }
    }
  }
  return flagged;
}
