/**
 * DQICORR for UVIS (calibration.md §4; hstcal dodqi.c): raw values above 65534 get ATODSAT (2048); without
 * a SATUFILE, values above SATURATE (or 65534) get SATPIXEL everywhere (with one, uvis-fullwell.ts); BPIXTAB rows (science coordinates)
 * are placed in the raw image through LTV (binned images through an unbinned scratch, bpix-binned.ts),
 * and for a 4-amp readout rows right of AMPX also skip the serial virtual overscan (TRIMX3 + TRIMX4). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { applyBpixRow, type BpixRow, type BpixSelection, bpixRowApplies } from "../common/bpixtab.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { applyBpixRowsBinned } from "./bpix-binned.js";
import { WF3_DQ } from "./dq.js";

export interface UvisDqiOptions {
  /** CCDTAB SATURATE (DN), the scalar full well. */
  saturate: number;
  bpixtab?: readonly BpixRow[];
  selection: BpixSelection;
  /** Four-amp readout: AMPX and the middle overscan width TRIMX3 + TRIMX4 (0 when absent). */
  ampx: number;
  middleOverscan: number;
  binx: number;
  biny?: number;
  /** BPIXTAB SIZAXIS1/2: the unbinned scratch array a binned image's rows are drawn into. */
  scratchSize?: [number, number];
  /** False when a SATUFILE flags the full well later: only 65534 (ATODSAT) is tested here. */
  scalarSaturation?: boolean;
}

export function uvisDqi(set: ImageSet, o: UvisDqiOptions): { saturated: number; rows: number } {
  let saturated = 0;
  const level = Math.fround(o.saturate);
  for (let k = 0; k < set.sci.length; k++) {
    const v = set.sci[k];
    if (v > 65534) set.dq[k] |= WF3_DQ.ATODSAT;
    if (o.scalarSaturation !== false && (v > level || v > 65534)) {
      set.dq[k] |= WF3_DQ.SATPIXEL;
      saturated++;
    }
  }
  const binned = o.binx !== 1 || (o.biny ?? 1) !== 1;
  const selected: BpixRow[] = [];
  for (const row of o.bpixtab ?? []) {
    if (!bpixRowApplies(row, o.selection)) continue;
    // hstcal ToWF3RawCoords: bin-2 raws have a narrower middle trim, made up by 2 more columns.
    const right = o.middleOverscan > 0 && row.PIX1 - 1 >= o.ampx * o.binx;
    const shift = right ? o.middleOverscan * o.binx + (o.binx === 2 ? 2 : 0) : 0;
    selected.push(shift ? { ...row, PIX1: row.PIX1 + shift } : row);
  }
  if (!binned) for (const row of selected) applyBpixRow(set, row);
  else if (selected.length > 0) {
    if (!o.scratchSize) throw new CalibrationError("HEADER_PROBLEM", "BPIXTAB needs SIZAXIS1/SIZAXIS2 for binned data");
    applyBpixRowsBinned(set, selected, o.scratchSize);
  }
  return { saturated, rows: selected.length };
}
