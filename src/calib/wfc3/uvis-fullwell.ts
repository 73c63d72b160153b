/**
 * UVIS full-well saturation from a SATUFILE (calibration.md §4; hstcal wf3ccd/dofwsat.c, dodqi.c,
 * computelimits.c). With a SATUFILE (and BIASCORR = PERFORM), DQICORR flags only the overscan pixels
 * above SATURATE (or 65534), and after BLEVCORR and BIASCORR every science pixel above SATUFILE / mean
 * gain (the map is in electrons, the image still in DN) gets SATPIXEL. The map is an untrimmed full frame:
 * a subarray beyond the left amp's raw columns skips its 60 serial virtual overscan columns, one
 * straddling them has them cut out. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { CalibrationError } from "../common/errors.js";
import { chooseChip, placeReference, sameSizeAsReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import { WF3_DQ } from "./dq.js";
import type { Wf3Overscan } from "./oscntab.js";
import { ampsOfChip } from "./uvis-amps.js";

/** Science box of each amp of a chip in raw pixels: [begx, endx) × [begy, endy) (hstcal ComputeLimits). */
export function uvisAmpBoxes(
  p: Pick<Wf3CcdParameters, "ccdamp" | "ccdchip" | "ampx" | "ampy">,
  o: Wf3Overscan,
  nx: number,
  ny: number,
): { begx: number; endx: number; begy: number; endy: number }[] {
  return ampsOfChip(p.ccdamp, p.ccdchip).map((amp) => ({
    begx: o.trimx[0] + (p.ampx + o.trimx3 + o.trimx4) * amp.side,
    endx: Math.min(amp.side === 0 && p.ampx !== 0 ? p.ampx + o.trimx[0] : nx - o.trimx[1], nx),
    begy: o.trimy[0],
    endy: Math.min(p.ampy !== 0 ? p.ampy + o.trimy[0] : ny - o.trimy[1], ny),
  }));
}

const ATOD_SATURATE = 65534;

/**
 * DQICORR's share when a SATUFILE will flag the science pixels: the scalar test on the overscan only.
 * A full frame flags its parallel virtual rows and its prescan, middle and trailing columns; a subarray
 * the physical overscan columns it has, where hstcal's loop stops one column short (kept).
 */
export function flagOverscanSaturation(
  set: ImageSet,
  p: Pick<Wf3CcdParameters, "ccdamp" | "ccdchip" | "ampx" | "ampy" | "saturate">,
  o: Wf3Overscan,
  subarray: boolean,
): void {
  if (o.noOverscan) return;
  const level = Math.fround(p.saturate);
  const flag = (k: number) => {
    if (set.sci[k] > level || set.sci[k] > ATOD_SATURATE) set.dq[k] |= WF3_DQ.SATPIXEL;
  };
  if (subarray) {
    const [from, to] =
      o.trimx[0] > 0 ? [0, o.trimx[0] - 1] : o.trimx[1] > 0 ? [set.nx - o.trimx[1], set.nx - 1] : [0, 0];
    for (let j = 0; j < set.ny; j++) for (let i = from; i < to; i++) flag(j * set.nx + i);
    return;
  }
  const boxes = uvisAmpBoxes(p, o, set.nx, set.ny);
  const first = boxes[0];
  const last = boxes[boxes.length - 1];
  const rows: [number, number] = first.begy === 0 ? [first.endy, set.ny] : [0, first.begy];
  const inScience = (i: number) => boxes.some((b) => i >= b.begx && i < b.endx);
  for (let j = 0; j < set.ny; j++) {
    const wholeRow = j >= rows[0] && j < rows[1];
    for (let i = 0; i < set.nx; i++) {
      if (wholeRow || i < first.begx || i >= last.endx || !inScience(i)) flag(j * set.nx + i);
    }
  }
}

/** Last raw column of the left amp in the full-frame SATUFILE (25 prescan + 2048), and the middle overscan. */
const LEFT_AMP_END = 2072;
const MIDDLE_OVERSCAN = 60;

/** SATPIXEL where SCI (DN) > SATUFILE (e) / mean gain; returns the number of pixels flagged. */
export function flagFullWellFromMap(
  set: ImageSet,
  satufile: readonly ImageSet[],
  p: Pick<Wf3CcdParameters, "ccdamp" | "ccdchip" | "ampx" | "ampy" | "meanGain">,
  o: Wf3Overscan,
): number {
  const reference = chooseChip(satufile, set.chip, "SATUFILE");
  const gain = Math.fround(p.meanGain);
  let flagged = 0;
  const test = (k: number, r: number) => {
    if (set.sci[k] > Math.fround(reference.sci[r] / gain)) {
      set.dq[k] |= WF3_DQ.SATPIXEL;
      flagged++;
    }
  };
  if (sameSizeAsReference(set, reference)) {
    for (const b of uvisAmpBoxes(p, o, set.nx, set.ny)) {
      for (let j = b.begy; j < b.endy; j++)
        for (let i = b.begx; i < b.endx; i++) test(j * set.nx + i, j * reference.nx + i);
    }
    return flagged;
  }
  const place = placeReference(set, reference, "SATUFILE");
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", "SATUFILE is not binned like the science image");
  }
  let x0 = place.x0;
  let skipAt = -1;
  if (x0 > LEFT_AMP_END) x0 += MIDDLE_OVERSCAN;
  else if (x0 + set.nx > LEFT_AMP_END) skipAt = LEFT_AMP_END + 1 - x0;
  for (let j = 0; j < set.ny; j++) {
    const rrow = (j + place.y0) * reference.nx;
    for (let i = 0, c = x0; i < set.nx; i++, c++) {
      if (i === skipAt) c += MIDDLE_OVERSCAN;
      if (c >= reference.nx) throw new CalibrationError("SIZE_MISMATCH", "SATUFILE does not cover the science image");
      test(j * set.nx + i, rrow + c);
    }
  }
  return flagged;
}
