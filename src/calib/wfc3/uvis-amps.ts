/**
 * Which amplifiers read a UVIS chip and where (calibration.md §1, §4): CCDAMP letters A, B belong to
 * UVIS1 (CCDCHIP 1), C, D to UVIS2; the first listed amp of a chip reads the left part, up to column AMPX
 * of the trimmed image (plus the prescan and the serial virtual overscan in the raw image).
 * Algorithms follow hstcal (BSD-3-Clause, AURA), parseWFCamps and doblev.c.
 */
import type { Wf3CcdParameters } from "./ccdtab.js";

export interface UvisAmp {
  /** 0..3 for A..D. */
  index: number;
  /** 0: left part of the chip, 1: right part. */
  side: 0 | 1;
}

/** The amps of CCDAMP that read this chip, left first. */
export function ampsOfChip(ccdamp: string, chip: number): UvisAmp[] {
  const own = chip === 2 ? "CD" : "AB";
  const letters = [...ccdamp.trim()].filter((c) => own.includes(c));
  const first = letters[0]?.charCodeAt(0) ?? 0;
  return letters.map((c) => ({ index: "ABCD".indexOf(c), side: (c.charCodeAt(0) - first === 0 ? 0 : 1) as 0 | 1 }));
}

/** The amp index (0..3) reading column i of a trimmed image (i < AMPX → left amp). */
export function ampIndexAt(amps: readonly UvisAmp[], ampx: number, i: number): number {
  if (amps.length === 1) return amps[0].index;
  return (i < ampx ? amps[0] : amps[1]).index;
}

/** Per-column amp index of a trimmed image of width nx (columns shifted by the LTV offset of a subarray). */
export function ampColumns(
  params: Pick<Wf3CcdParameters, "ccdamp" | "ccdchip" | "ampx">,
  nx: number,
  offset = 0,
): Uint8Array {
  const amps = ampsOfChip(params.ccdamp, params.ccdchip);
  return Uint8Array.from({ length: nx }, (_, i) => ampIndexAt(amps, params.ampx, i + offset));
}

/** ATODGAIN of the amp reading each column of a trimmed image of width nx (see ampColumns). */
export function columnGains(
  params: Pick<Wf3CcdParameters, "ccdamp" | "ccdchip" | "ampx" | "atodgain">,
  nx: number,
  offset = 0,
): Float64Array {
  const amps = ampColumns(params, nx, offset);
  return Float64Array.from(amps, (amp) => params.atodgain[amp]);
}

/** Each pixel times (or divided by) its column's gain, rounded to float, in place: DN ↔ electrons. */
export function scaleByColumnGain(pixels: Float32Array, gains: Float64Array, toElectrons: boolean): void {
  const nx = gains.length;
  if (nx === 0) return;
  for (let row = 0; row < pixels.length; row += nx) {
    const end = Math.min(nx, pixels.length - row);
    if (toElectrons) for (let i = 0; i < end; i++) pixels[row + i] = pixels[row + i] * gains[i];
    else for (let i = 0; i < end; i++) pixels[row + i] = pixels[row + i] / gains[i];
  }
}
