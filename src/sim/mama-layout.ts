import type { ChipLayout } from "./detectors.js";

/** A MAMA's single 1024 × 1024 "chip" (ACS/SBC, STIS FUV-/NUV-MAMA low-res): no overscan, bias, gain or read noise. */
export function mamaChipLayout(): ChipLayout {
  return {
    extver: 1,
    ccdchip: 1,
    rawNx: 1024,
    rawNy: 1024,
    sciRawY0: 0,
    sciNx: 1024,
    sciNy: 1024,
    amps: [{ amp: "A", rawX0: 0, rawX1: 1024, sciRawX0: 0, sciX0: 0, sciWidth: 1024, bias: 0, gain: 1, readNoise: 0 }],
  };
}
