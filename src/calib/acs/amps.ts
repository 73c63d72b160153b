/**
 * Which amplifier read each pixel (calibration.md §2.4; hstcal detnsegn.c get_nsegn and the AMPX/AMPY
 * handling shared by toelectrons.c and donoise.c). Algorithms follow hstcal (BSD-3-Clause, AURA).
 *
 * CALACS works with four amp *slots* named A..D: rows below `ampy` use C (columns < `ampx`) and D, the
 * other rows use A and B. WFC chip 2 fills the slots with its amps C/D, chip 1 with A/B; a single-amp HRC
 * readout puts its amp into slot B (ampx = ampy = 0 make the whole image slot B).
 */
import { CalibrationError } from "../common/errors.js";
import type { AcsCcdParameters } from "./ccd-parameters.js";

export type AcsDetector = "WFC" | "HRC" | "SBC";

export const SLOT_A = 0;
export const SLOT_B = 1;
export const SLOT_C = 2;
export const SLOT_D = 3;
export type AmpSlot = 0 | 1 | 2 | 3;

type Four = [number, number, number, number];

export interface AmpLayout {
  /** First column / row of the second amp in this image's pixels, after the LTV shift and clamping. */
  ampx: number;
  ampy: number;
  nx: number;
  ny: number;
  /** Gain (e/DN) and read noise (e) per slot A, B, C, D. */
  gain: Four;
  readnoise: Four;
}

/** Per-slot gain and read noise from the per-amp CCDTAB values (hstcal get_nsegn). */
export function slotValues(
  detector: AcsDetector,
  chip: number,
  params: Pick<AcsCcdParameters, "ampx" | "ampy" | "atodgain" | "readnoise">,
): { gain: Four; readnoise: Four } {
  const g = params.atodgain;
  const r = params.readnoise;
  const gain: Four = [1, 1, 1, 1];
  const readnoise: Four = [0, 0, 0, 0];
  if (detector === "SBC") return { gain, readnoise };
  const fill = (left: number, right: number) => {
    const gains: Four = [g[left], g[right], g[left], g[right]];
    const noises: Four = [r[left], r[right], r[left], r[right]];
    return { gain: gains, readnoise: noises };
  };
  if (detector === "WFC" && chip === 2) return fill(2, 3);
  if (detector === "WFC" && chip === 1) return fill(0, 1);
  if (params.ampx === 0 && params.ampy === 0) {
    const used = g.findIndex((value) => value > 0);
    if (used >= 0) {
      gain[SLOT_B] = g[used];
      readnoise[SLOT_B] = r[used];
    }
    return { gain, readnoise };
  }
  if (g[0] === 0 && g[3] === 0) return fill(2, 1); // HRC "BC": slots become C B C B
  if (g[1] === 0 && g[2] === 0) return fill(0, 3); // HRC "AD": slots become A D A D
  return { gain: [...g] as Four, readnoise: [...r] as Four };
}

/** AMPX/AMPY moved by a positive LTV (overscan before the illuminated area) and clamped to the image. */
function shiftAndClamp(amp: number, ltv: number, size: number): number {
  const offset = ltv > 0 ? Math.trunc(ltv) : 0;
  let shifted = amp === 0 ? 0 : Math.trunc(amp + offset);
  if (shifted >= size - ltv || shifted > size) shifted = size;
  return shifted;
}

export function ampLayout(
  detector: AcsDetector,
  chip: number,
  params: Pick<AcsCcdParameters, "ampx" | "ampy" | "atodgain" | "readnoise">,
  nx: number,
  ny: number,
  ltv: readonly [number, number],
): AmpLayout {
  return {
    ampx: shiftAndClamp(params.ampx, ltv[0], nx),
    ampy: shiftAndClamp(params.ampy, ltv[1], ny),
    nx,
    ny,
    ...slotValues(detector, chip, params),
  };
}

export function ampSlotAt(layout: AmpLayout, i: number, j: number): AmpSlot {
  if (j < layout.ampy) return i < layout.ampx ? SLOT_C : SLOT_D;
  return i < layout.ampx ? SLOT_A : SLOT_B;
}

/**
 * The check hstcal makes before each region: the left slot (C or A) must be non-zero when ampx > 0,
 * the right slot (D or B) only when ampx == 0 — so a zero right-hand value with ampx > 0 goes unnoticed.
 */
export function checkSlotValues(layout: AmpLayout, values: Four, message: string): void {
  const bands: [boolean, AmpSlot, AmpSlot][] = [
    [layout.ampy > 0, SLOT_C, SLOT_D],
    [layout.ampy < layout.ny, SLOT_A, SLOT_B],
  ];
  for (const [present, left, right] of bands) {
    if (!present) continue;
    if ((layout.ampx > 0 && values[left] === 0) || (layout.ampx === 0 && values[right] === 0)) {
      throw new CalibrationError("INVALID_VALUE", message);
    }
  }
}

/** Calls `visit(rowStart, columnStart, columnEnd, slot)` for each run of pixels read by one slot, row by row. */
export function forEachAmpRun(
  layout: AmpLayout,
  visit: (row: number, start: number, end: number, slot: AmpSlot) => void,
): void {
  for (let j = 0; j < layout.ny; j++) {
    const lower = j < layout.ampy;
    if (layout.ampx > 0) visit(j, 0, layout.ampx, lower ? SLOT_C : SLOT_A);
    if (layout.ampx < layout.nx) visit(j, layout.ampx, layout.nx, lower ? SLOT_D : SLOT_B);
  }
}
