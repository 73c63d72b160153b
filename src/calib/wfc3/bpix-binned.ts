/**
 * BPIXTAB rows on a binned image (calibration.md §4 DQICORR; hstcal dodqi.c DQINormal, FirstLast): the
 * rows are drawn into an unbinned scratch array of the table's SIZAXIS1 × SIZAXIS2 (table coordinates),
 * and each image pixel ORs the scratch pixels of its bin. Image pixel i spans (i ± 0.5 − LTV′) / LTM in
 * the scratch, LTV′ = LTV + LTM − 1 (zero-indexed); the first and last image pixels fully inside the
 * scratch bound the copy. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { BpixRow } from "../common/bpixtab.js";
import { toCInt } from "../common/c-numbers.js";
import { nint } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";

const TOLERANCE = 0.001;

/** OR one row into the scratch array (table coordinates, no offset). */
function drawRow(scratch: Uint16Array, nx: number, ny: number, row: BpixRow): void {
  const xstart = toCInt(row.PIX1 - 1);
  const ystart = toCInt(row.PIX2 - 1);
  const value = row.VALUE & 0xffff;
  const along = row.AXIS === 1;
  const first = along ? xstart : ystart;
  const last = first + row.LENGTH - 1;
  const [fixed, fixedMax, runMax] = along ? [ystart, ny, nx] : [xstart, nx, ny];
  if (last < 0 || first >= runMax || fixed < 0 || fixed >= fixedMax) return;
  for (let k = Math.max(first, 0); k <= Math.min(last, runMax - 1); k++) {
    scratch[along ? fixed * nx + k : k * nx + fixed] |= value;
  }
}

interface AxisOverlap {
  bin: number;
  first: number;
  last: number;
  scratchFirst: number;
}

/** hstcal FirstLast on one axis: the image pixels fully inside the scratch and where they start in it. */
export function axisOverlap(ltm: number, ltv: number, scratchSize: number, size: number): AxisOverlap {
  const v = ltv + ltm - 1;
  const overlap: AxisOverlap = { bin: nint(1 / ltm), first: 0, last: 0, scratchFirst: 0 };
  for (let i = 0; i < size; i++) {
    const s = (i - 0.5 - v) / ltm;
    if (s + TOLERANCE >= -0.5) {
      overlap.first = i;
      overlap.scratchFirst = nint(s + 0.5);
      break;
    }
  }
  for (let i = size - 1; i > 0; i--) {
    if ((i + 0.5 - v) / ltm - TOLERANCE <= scratchSize - 1 + 0.5) {
      overlap.last = i;
      break;
    }
  }
  return overlap;
}

/** ORs the rows (already selected and shifted to raw columns) into a binned image's DQ. */
export function applyBpixRowsBinned(set: ImageSet, rows: readonly BpixRow[], scratchSize: [number, number]): void {
  const [sx, sy] = scratchSize;
  const scratch = new Uint16Array(sx * sy);
  for (const row of rows) drawRow(scratch, sx, sy, row);
  const { ltm, ltv } = set.geometry;
  const x = axisOverlap(ltm[0], ltv[0], sx, set.nx);
  const y = axisOverlap(ltm[1], ltv[1], sy, set.ny);
  for (let n = y.first, j0 = y.scratchFirst; n <= y.last; n++, j0 += y.bin) {
    for (let m = x.first, i0 = x.scratchFirst; m <= x.last; m++, i0 += x.bin) {
      let dq = set.dq[n * set.nx + m];
      for (let j = Math.max(j0, 0); j < Math.min(j0 + y.bin, sy); j++) {
        for (let i = Math.max(i0, 0); i < Math.min(i0 + x.bin, sx); i++) dq |= scratch[j * sx + i];
      }
      set.dq[n * set.nx + m] = dq;
    }
  }
}
