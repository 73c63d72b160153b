/**
 * ACS/WFC subarrays read through amp C (`caldp sim --subarray`): the corner of WFC2 next to the amp, as the
 * 2K/1K/512 apertures take it since 2016 (science square plus the amp's 24 physical prescan columns, no virtual
 * overscan). The references have the subarray's size and LTV, as a subarray section of the full-frame ones would.
 * calacs.e places such a subarray in the amp geometry by its corner (column 0 and row 0 next to the amp), which
 * is where the simulator's CTE trails use the PCTETAB's columns.
 */
import type { ChipLayout, DetectorModel } from "./detectors.js";

export const ACS_SUBARRAYS = { "WFC2C-2K": 2048, "WFC2C-1K": 1024, "WFC2C-512": 512 } as const;
export type AcsSubarrayName = keyof typeof ACS_SUBARRAYS;

const PRESCAN = 24;

export function isAcsSubarray(name: string): name is AcsSubarrayName {
  return Object.hasOwn(ACS_SUBARRAYS, name);
}

/** The full-frame WFC model cut to the subarray: one chip (WFC2, CCDCHIP 2), one amp (C). */
export function acsSubarrayModel(full: DetectorModel, name: AcsSubarrayName): DetectorModel {
  const size = ACS_SUBARRAYS[name];
  const chip2 = full.chips.find((c) => c.ccdchip === 2);
  const ampC = chip2?.amps.find((a) => a.amp === "C");
  if (full.instrument !== "ACS" || full.detector !== "WFC" || !ampC) {
    throw new Error(`subarray ${name} is an ACS/WFC aperture`);
  }
  const rawNx = PRESCAN + size;
  const chip: ChipLayout = {
    extver: 1,
    ccdchip: 2,
    rawNx,
    rawNy: size,
    sciRawY0: 0,
    sciNx: size,
    sciNy: size,
    amps: [{ ...ampC, rawX0: 0, rawX1: rawNx, sciRawX0: PRESCAN, sciX0: 0, sciWidth: size }],
  };
  return { ...full, ccdamp: "C", chips: [chip] };
}

/** The subarray's centre on the detector (CENTERA1/2: 1-based raw full-frame pixels, prescan included). */
export function acsSubarrayCentre(name: AcsSubarrayName): [number, number] {
  const size = ACS_SUBARRAYS[name];
  return [(PRESCAN + size) / 2 + 1, size / 2 + 1];
}
