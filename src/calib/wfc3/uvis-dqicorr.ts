/**
 * DQICORR for UVIS (calibration.md §4; hstcal dodqi.c): raw values above 65534 get ATODSAT (2048); without
 * a SATUFILE, values above SATURATE (or 65534) get SATPIXEL everywhere (with one, uvis-fullwell.ts); BPIXTAB rows (science coordinates)
 * are placed in the raw image through LTV, and for a 4-amp readout rows right of AMPX also skip the
 * serial virtual overscan (TRIMX3 + TRIMX4). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { applyBpixRow, type BpixRow, type BpixSelection, bpixRowApplies } from "../acs/dqicorr.js";
import type { ImageSet } from "../common/imset.js";
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
  let rows = 0;
  for (const row of o.bpixtab ?? []) {
    if (!bpixRowApplies(row, o.selection)) continue;
    const shift = o.middleOverscan > 0 && row.PIX1 - 1 >= o.ampx * o.binx ? o.middleOverscan * o.binx : 0;
    applyBpixRow(set, shift ? { ...row, PIX1: row.PIX1 + shift } : row);
    rows++;
  }
  return { saturated, rows };
}
