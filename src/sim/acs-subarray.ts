/**
 * ACS/WFC subarrays (`caldp sim --subarray`): the corner of a chip next to one amp, as the 2K/1K/512 apertures take
 * it since 2016 (a science square plus the amp's 24 physical prescan columns on its side, no virtual overscan):
 * WFC1A/WFC1B on WFC1 (CCDCHIP 1, read out at its top), WFC2C/WFC2D on WFC2. The references have the subarray's
 * size and LTV, as a subarray section of the full-frame ones would, but the SATUFILE, which covers the whole chip
 * as the archive's does (references-ccd.ts). calacs.e places such a subarray in the amp
 * geometry by its corner (its first column and row next to the amp), which is where the simulator's CTE trails
 * use the PCTETAB's columns.
 */
import type { AmpName, ChipLayout, DetectorModel } from "./detectors.js";

const SIZES = { "2K": 2048, "1K": 1024, "512": 512 } as const;
const AMPS = { WFC1A: "A", WFC1B: "B", WFC2C: "C", WFC2D: "D" } as const;
export const ACS_SUBARRAYS = Object.keys(AMPS).flatMap((a) => Object.keys(SIZES).map((s) => `${a}-${s}`));
export type AcsSubarrayName = `${keyof typeof AMPS}-${keyof typeof SIZES}`;

const PRESCAN = 24;
const CHIP = { nx: 4096, ny: 2048 };

export function isAcsSubarray(name: string): name is AcsSubarrayName {
  return ACS_SUBARRAYS.includes(name);
}

function parse(name: AcsSubarrayName): { amp: AmpName; size: number } {
  const [aperture, size] = name.split("-") as [keyof typeof AMPS, keyof typeof SIZES];
  return { amp: AMPS[aperture], size: SIZES[size] };
}

/** The full-frame WFC model cut to the subarray: one chip, one amp, its origin on the chip. */
export function acsSubarrayModel(full: DetectorModel, name: AcsSubarrayName): DetectorModel {
  const { amp, size } = parse(name);
  const ccdchip = amp === "A" || amp === "B" ? 1 : 2;
  const fullAmp = full.chips.find((c) => c.ccdchip === ccdchip)?.amps.find((a) => a.amp === amp);
  if (full.instrument !== "ACS" || full.detector !== "WFC" || !fullAmp) {
    throw new Error(`subarray ${name} is an ACS/WFC aperture`);
  }
  const left = amp === "A" || amp === "C";
  const rawNx = PRESCAN + size;
  const chip: ChipLayout = {
    extver: 1,
    ccdchip,
    rawNx,
    rawNy: size,
    sciRawY0: 0,
    sciNx: size,
    sciNy: size,
    amps: [{ ...fullAmp, rawX0: 0, rawX1: rawNx, sciRawX0: left ? PRESCAN : 0, sciX0: 0, sciWidth: size }],
    origin: [left ? 0 : CHIP.nx - size, ccdchip === 2 ? 0 : CHIP.ny - size],
  };
  return { ...full, ccdamp: amp, chips: [chip] };
}

/** The subarray's centre on the detector (CENTERA1/2: 1-based raw full-frame pixels, prescan included). */
export function acsSubarrayCentre(name: AcsSubarrayName): [number, number] {
  const { amp, size } = parse(name);
  const left = amp === "A" || amp === "C";
  const x = left ? (PRESCAN + size) / 2 : 2 * PRESCAN + CHIP.nx - (PRESCAN + size) / 2;
  const y = amp === "A" || amp === "B" ? 20 + CHIP.ny - size / 2 : size / 2;
  return [x + 1, y + 1];
}
