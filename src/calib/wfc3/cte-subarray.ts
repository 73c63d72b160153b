/**
 * WF3CTE of a UVIS subarray taken with physical overscan (hstcal wf3cte.c with subtools.c Sub2Full/Full2Sub),
 * pure: the subarray, less its BIACFILE section, is pasted into an empty (zero) full chip at its corner (60
 * columns further right when it starts in amp B or D, past the virtual overscan), the other chip left empty; a
 * mask marks the pasted pixels. In RAZ layout each amp's level is the resistant mean of its masked prescan
 * columns 5–24 (findPreScanBias), subtracted and converted to electrons only under the mask. The correction
 * then runs on the whole RAZ image as for a full frame, and the subarray is cut back out of the corrected chip.
 */

import { CalibrationError } from "../common/errors.js";
import { placeReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import type { UvisCtePrepared } from "./cte-image.js";
import { chipsToRaz, RAZ_ROWS, UVIS_AMP_COLUMNS, UVIS_AMP_SCIENCE_ROWS, UVIS_CHIP_COLUMNS } from "./cte-raz.js";
import { resistantMean } from "./resistant-mean.js";

/** The raw full chip's corner calwf3 pastes into (CreateEmptyChip: LTV1 25, LTV2 0 on UVIS2, 19 on UVIS1). */
const FULL_LTV1 = 25;
const FULL_LTV2 = { 2: 0, 1: 19 } as Record<number, number>;
const LEFT_AMP_END = 2072;
const VIRTUAL_COLUMNS = 60;
const PRESCAN_FIRST = 5;
const PRESCAN_END = 25;
const MAX_PRESCAN_PIXELS = 55377;

export interface UvisSubarrayPlace {
  /** 0: the subarray is on UVIS2 (SCI,1 of a full frame: C, D); 1: on UVIS1 (A, B). */
  chipIndex: 0 | 1;
  x0: number;
  y0: number;
  nx: number;
  ny: number;
}

/** Where Sub2Full puts the subarray in the full raw chip. */
export function placeUvisSubarray(set: ImageSet, at: string): UvisSubarrayPlace {
  const [ltv1, ltv2] = set.geometry.ltv;
  if (set.geometry.ltm[0] !== 1 || set.geometry.ltm[1] !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", `${at}: binned subarray (LTM ${set.geometry.ltm}): PCTECORR`);
  }
  const fullLtv2 = FULL_LTV2[set.chip];
  if (fullLtv2 === undefined) throw new CalibrationError("HEADER_PROBLEM", `${at}: CCDCHIP = ${set.chip}, 1 or 2`);
  let x0 = Math.round(-ltv1) + FULL_LTV1;
  const y0 = Math.round(-ltv2) + fullLtv2;
  if (x0 >= LEFT_AMP_END) x0 += VIRTUAL_COLUMNS;
  if (x0 < 0 || y0 < 0 || x0 + set.nx > UVIS_CHIP_COLUMNS || y0 + set.ny > RAZ_ROWS) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${at}: subarray at (${x0}, ${y0}) outside the chip (LTV ${ltv1}, ${ltv2})`,
    );
  }
  return { chipIndex: set.chip === 2 ? 0 : 1, x0, y0, nx: set.nx, ny: set.ny };
}

/** The BIACFILE section under the subarray (cte_dobias.c: 60 columns further right in amp B or D). */
export function biacSection(set: ImageSet, biac: ImageSet, what: string): Float32Array {
  const place = placeReference(set, biac, what);
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", `${what} and the raw are not binned to the same pixel size`);
  }
  let x0 = place.x0;
  const sameSize = x0 === 0 && place.y0 === 0 && biac.nx === set.nx;
  if (!sameSize && x0 >= LEFT_AMP_END) x0 += VIRTUAL_COLUMNS;
  // Across the middle (cte_dobias.c's straddle, sub1dreform): the subarray has no virtual overscan, so from
  // column 2073 - x0 on (one past the amps' edge, as calwf3 counts) it takes the BIACFILE 60 columns further.
  const straddles = !sameSize && x0 < LEFT_AMP_END && x0 + set.nx >= LEFT_AMP_END;
  const skipFrom = straddles ? LEFT_AMP_END + 1 - x0 : set.nx;
  const span = straddles ? set.nx + VIRTUAL_COLUMNS : set.nx;
  if (x0 + span > biac.nx) throw new CalibrationError("SIZE_MISMATCH", `${what} does not cover the subarray`);
  const out = new Float32Array(set.nx * set.ny);
  for (let y = 0; y < set.ny; y++) {
    const from = (y + place.y0) * biac.nx + x0;
    out.set(biac.sci.subarray(from, from + skipFrom), y * set.nx);
    if (straddles) {
      const after = from + skipFrom + VIRTUAL_COLUMNS;
      out.set(biac.sci.subarray(after, after + set.nx - skipFrom), y * set.nx + skipFrom);
    }
  }
  return out;
}

/** An empty full chip with `pixels` (row-major, the place's size) pasted at the place. */
export function pasteIntoChip(pixels: Float32Array, p: UvisSubarrayPlace): Float32Array {
  const chip = new Float32Array(UVIS_CHIP_COLUMNS * RAZ_ROWS);
  for (let y = 0; y < p.ny; y++)
    chip.set(pixels.subarray(y * p.nx, (y + 1) * p.nx), (y + p.y0) * UVIS_CHIP_COLUMNS + p.x0);
  return chip;
}

/** The place's pixels cut from a full chip. */
export function cutFromChip(chip: Float32Array, p: UvisSubarrayPlace): Float32Array {
  const out = new Float32Array(p.nx * p.ny);
  for (let y = 0; y < p.ny; y++) {
    const from = (y + p.y0) * UVIS_CHIP_COLUMNS + p.x0;
    out.set(chip.subarray(from, from + p.nx), y * p.nx);
  }
  return out;
}

/** The two chips (C/D first) with the subarray's chip holding `pixels`, the other empty. */
function chips(pixels: Float32Array, p: UvisSubarrayPlace): [Float32Array, Float32Array] {
  const pasted = pasteIntoChip(pixels, p);
  const empty = new Float32Array(pasted.length);
  return p.chipIndex === 0 ? [pasted, empty] : [empty, pasted];
}

/**
 * The RAZ images of the subarray (raw DN, and electrons less each amp's prescan level), with the levels, as
 * prepareUvisCte gives them for a full frame. `electrons` may be shared memory for the workers.
 */
export function prepareUvisSubarrayCte(
  raw: Float32Array,
  biac: Float32Array,
  p: UvisSubarrayPlace,
  gain: number,
  electrons: Float32Array,
): UvisCtePrepared & { mask: Float32Array } {
  const razRaw = chipsToRaz(...chips(raw, p));
  const mask = chipsToRaz(...chips(new Float32Array(raw.length).fill(1), p));
  const difference = Float32Array.from(raw, (v, k) => v - biac[k]);
  chipsToRaz(...chips(difference, p), electrons);
  const levels: number[] = [];
  for (let quad = 0; quad < 4; quad++) {
    const values = new Float32Array(MAX_PRESCAN_PIXELS);
    let n = 0;
    for (let i = PRESCAN_FIRST; i < PRESCAN_END; i++) {
      const base = (i + quad * UVIS_AMP_COLUMNS) * RAZ_ROWS;
      for (let j = 0; j < UVIS_AMP_SCIENCE_ROWS && n < MAX_PRESCAN_PIXELS; j++) {
        if (mask[base + j]) values[n++] = electrons[base + j];
      }
    }
    levels.push(n > 0 ? resistantMean(values.subarray(0, n), 7.5).mean : 0);
  }
  const g = Math.fround(gain);
  for (let quad = 0; quad < 4; quad++) {
    const start = quad * UVIS_AMP_COLUMNS * RAZ_ROWS;
    for (let k = start; k < start + UVIS_AMP_COLUMNS * RAZ_ROWS; k++) {
      if (mask[k]) electrons[k] = Math.fround(electrons[k] - levels[quad]) * g;
    }
  }
  return { raw: razRaw, electrons, levels, mask };
}
