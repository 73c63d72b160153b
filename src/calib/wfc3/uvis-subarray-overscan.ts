/**
 * The overscan layout of a UVIS subarray (calibration.md §3 OSCNTAB (WFC3); hstcal wf3ccd/findover.c):
 * subarrays have no virtual overscan (no parallel rows, no serial virtual columns in the middle), and
 * keep only the physical overscan columns of the full-chip row they overlap. LTV1 places the subarray:
 * a positive LTV1 means it starts inside the leading (prescan) columns. A subarray touching neither end
 * of the chip has no overscan at all, and BLEVCORR then subtracts the CCDTAB bias.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { Wf3Overscan } from "./overscan-regions.js";

const NONE: [number, number] = [-1, -1];

/**
 * `full`: the matched OSCNTAB row as a full chip (0-based bias sections), `rowNx` its NX; `nx` the raw
 * subarray width and `ltv1` its LTV1.
 */
export function subarrayOverscan(full: Wf3Overscan, rowNx: number, nx: number, ltv1: number): Wf3Overscan {
  const base: Wf3Overscan = {
    ...full,
    trimy: [0, 0],
    trimx3: 0,
    trimx4: 0,
    biassect: [NONE, NONE, NONE, NONE],
    vleft: { x: [-1, -1], y: [-1, -1] },
    vright: { x: [-1, -1], y: [-1, -1] },
  };
  const offsetx = Math.trunc(ltv1);
  // Raw column (of the full chip) where the subarray starts, and the science width of the full chip.
  const cx0 = full.trimx[0] - offsetx;
  const cx1 = rowNx - full.trimx[1] - full.trimx[0];
  const tx1 = Math.trunc(nx - ltv1);
  const [a0, a1] = full.biassect[0];
  if (ltv1 > 0) {
    const trim0 = Math.min(offsetx, full.trimx[0]);
    const section: [number, number] = [Math.max(a0 - cx0, 0), a1 - cx0];
    return {
      ...base,
      trimx: [trim0, Math.max(nx - trim0 - cx1, 0)],
      biassect: [section[1] > 0 ? section : NONE, NONE, NONE, NONE],
    };
  }
  if (tx1 > cx1 && tx1 <= rowNx) {
    // The subarray reaches the trailing physical overscan; hstcal takes the row's BIASSECTA columns there.
    let section: [number, number] = [a0 - cx0, a1 - cx0];
    if (section[0] >= nx) section = NONE;
    else if (section[1] >= nx) section = [section[0], nx - 1];
    return { ...base, trimx: [0, tx1 - cx1], biassect: [NONE, section[1] > 0 ? section : NONE, NONE, NONE] };
  }
  return { ...base, trimx: [0, 0], noOverscan: true };
}
