/**
 * Geometry and electronics of the simulated detectors (calibration.md §1, §2.4, §2.5, §4, §5).
 * Coordinates are 0-based; "raw" = the raw SCI array with overscan, "science" = the trimmed array.
 */
export type Instrument = "ACS" | "WFC3" | "STIS";
export type DetectorName = "WFC" | "HRC" | "SBC" | "UVIS" | "IR" | "CCD" | "FUV-MAMA" | "NUV-MAMA";
export type AmpName = "A" | "B" | "C" | "D";

/** The raw columns one amplifier reads, and where its illuminated columns are. */
export interface AmpLayout {
  amp: AmpName;
  /** Raw columns [rawX0, rawX1) read through this amplifier (overscan included). */
  rawX0: number;
  rawX1: number;
  /** First illuminated raw column, the matching science column, and how many there are. */
  sciRawX0: number;
  sciX0: number;
  sciWidth: number;
  /** Bias level (DN), gain (e/DN) and read noise (e). */
  bias: number;
  gain: number;
  readNoise: number;
}

export interface ChipLayout {
  extver: number;
  ccdchip: number;
  rawNx: number;
  rawNy: number;
  /** First illuminated raw row (virtual overscan rows lie outside [sciRawY0, sciRawY0 + sciNy)). */
  sciRawY0: number;
  sciNx: number;
  sciNy: number;
  amps: AmpLayout[];
  /** A subarray: where its science pixel (0, 0) lies on the full chip's science pixels (default [0, 0]). */
  origin?: [number, number];
}

export interface DetectorModel {
  instrument: Instrument;
  detector: DetectorName;
  chips: ChipLayout[];
  /** CCDAMP as written in the header. */
  ccdamp: string;
  ccdgain: number;
  /** Full well (e) and A-to-D saturation (DN). */
  fullWell: number;
  atodsat: number;
  /** Dark current (e/s) of ordinary pixels. */
  darkRate: number;
  /** Cosmic-ray events per second per megapixel. */
  crRate: number;
  /** Arcseconds per pixel. */
  pixelScale: number;
  /** Sky (e/s/pixel) of the default scene. */
  sky: number;
  /** Reference-file prefix and letter that ends CDBS-style reference names. */
  refPrefix: "jref$" | "iref$" | "oref$";
  refLetter: "j" | "i" | "o";
  /** Instrument installation: the USEAFTER of every synthetic reference. */
  useAfter: string;
}

function amp(amp: AmpName, rawX0: number, rawX1: number, sciRawX0: number, sciX0: number, sciWidth: number) {
  return { amp, rawX0, rawX1, sciRawX0, sciX0, sciWidth };
}

type Electronics = Record<AmpName, { bias: number; gain: number; readNoise: number }>;

function withElectronics(amps: ReturnType<typeof amp>[], electronics: Partial<Electronics>): AmpLayout[] {
  return amps.map((a) => {
    const e = electronics[a.amp];
    if (!e) throw new Error(`no electronics for amp ${a.amp}`);
    return { ...a, ...e };
  });
}

/** ACS/WFC full frame: 24 prescan columns each side, 20 virtual rows at the far side from the amps. */
function acsWfc(): DetectorModel {
  const electronics: Electronics = {
    A: { bias: 2143.6, gain: 2.002, readNoise: 5.57 },
    B: { bias: 2205.3, gain: 1.945, readNoise: 4.7 },
    C: { bias: 2312.9, gain: 2.028, readNoise: 4.9 },
    D: { bias: 2267.1, gain: 1.994, readNoise: 5.25 },
  };
  const chip = (extver: number, ccdchip: number, left: AmpName, right: AmpName, sciRawY0: number): ChipLayout => ({
    extver,
    ccdchip,
    rawNx: 4144,
    rawNy: 2068,
    sciRawY0,
    sciNx: 4096,
    sciNy: 2048,
    amps: withElectronics([amp(left, 0, 2072, 24, 0, 2048), amp(right, 2072, 4144, 2072, 2048, 2048)], electronics),
  });
  return {
    instrument: "ACS",
    detector: "WFC",
    chips: [chip(1, 2, "C", "D", 0), chip(2, 1, "A", "B", 20)],
    ccdamp: "ABCD",
    ccdgain: 2,
    fullWell: 84700,
    atodsat: 65535,
    darkRate: 0.0047,
    crRate: 3.4,
    pixelScale: 0.05,
    sky: 0.06,
    refPrefix: "jref$",
    refLetter: "j",
    useAfter: "2002-03-01 00:00:00",
  };
}

/** ACS/HRC read through amp C: 19 prescan columns each side, 20 virtual rows on top. */
function acsHrc(): DetectorModel {
  return {
    instrument: "ACS",
    detector: "HRC",
    chips: [
      {
        extver: 1,
        ccdchip: 1,
        rawNx: 1062,
        rawNy: 1044,
        sciRawY0: 0,
        sciNx: 1024,
        sciNy: 1024,
        amps: withElectronics([amp("C", 0, 1062, 19, 0, 1024)], { C: { bias: 2391.2, gain: 2.216, readNoise: 4.71 } }),
      },
    ],
    ccdamp: "C",
    ccdgain: 2,
    fullWell: 155000,
    atodsat: 65535,
    darkRate: 0.0058,
    crRate: 7,
    pixelScale: 0.025,
    sky: 0.02,
    refPrefix: "jref$",
    refLetter: "j",
    useAfter: "2002-03-01 00:00:00",
  };
}

/**
 * WFC3/UVIS full frame: 25 prescan columns each side, 2 × 30 serial virtual overscan columns between
 * the amplifiers, 19 virtual rows (top of chip 2, bottom of chip 1).
 */
function wfc3Uvis(): DetectorModel {
  const electronics: Electronics = {
    A: { bias: 2500.4, gain: 1.56, readNoise: 3.1 },
    B: { bias: 2527.9, gain: 1.56, readNoise: 3.05 },
    C: { bias: 2556.1, gain: 1.56, readNoise: 3.2 },
    D: { bias: 2493.7, gain: 1.56, readNoise: 3.15 },
  };
  const chip = (extver: number, ccdchip: number, left: AmpName, right: AmpName, sciRawY0: number): ChipLayout => ({
    extver,
    ccdchip,
    rawNx: 4206,
    rawNy: 2070,
    sciRawY0,
    sciNx: 4096,
    sciNy: 2051,
    amps: withElectronics([amp(left, 0, 2103, 25, 0, 2048), amp(right, 2103, 4206, 2133, 2048, 2048)], electronics),
  });
  return {
    instrument: "WFC3",
    detector: "UVIS",
    chips: [chip(1, 2, "C", "D", 0), chip(2, 1, "A", "B", 19)],
    ccdamp: "ABCD",
    ccdgain: 1.5,
    fullWell: 63000,
    atodsat: 65535,
    darkRate: 0.0015,
    crRate: 3,
    pixelScale: 0.04,
    sky: 0.05,
    refPrefix: "iref$",
    refLetter: "i",
    useAfter: "2009-05-14 00:00:00",
  };
}

/** WFC3/IR: 1024 × 1024 with a 5-pixel reference-pixel border, four quadrant amplifiers. */
function wfc3Ir(): DetectorModel {
  const electronics: Electronics = {
    A: { bias: 0, gain: 2.5, readNoise: 20.2 },
    B: { bias: 0, gain: 2.5, readNoise: 19.8 },
    C: { bias: 0, gain: 2.5, readNoise: 19.9 },
    D: { bias: 0, gain: 2.5, readNoise: 20.1 },
  };
  return {
    instrument: "WFC3",
    detector: "IR",
    chips: [
      {
        extver: 1,
        ccdchip: 1,
        rawNx: 1024,
        rawNy: 1024,
        sciRawY0: 5,
        sciNx: 1014,
        sciNy: 1014,
        // The quadrants are split in y too; irQuadrant() gives the amp of a pixel.
        amps: withElectronics([amp("A", 0, 512, 5, 0, 507), amp("D", 512, 1024, 512, 507, 507)], electronics),
      },
    ],
    ccdamp: "ABCD",
    ccdgain: 2.5,
    fullWell: 78000,
    atodsat: 65535,
    darkRate: 0.05,
    crRate: 10,
    pixelScale: 0.13,
    sky: 0.8,
    refPrefix: "iref$",
    refLetter: "i",
    useAfter: "2009-05-14 00:00:00",
  };
}

/** STIS/CCD read through amp D: 19 prescan columns each side, 20 virtual rows at the bottom (cs1 FindOverscan, amp D). */
function stisCcd(): DetectorModel {
  return {
    instrument: "STIS",
    detector: "CCD",
    chips: [
      {
        extver: 1,
        ccdchip: 1,
        rawNx: 1062,
        rawNy: 1044,
        sciRawY0: 20,
        sciNx: 1024,
        sciNy: 1024,
        amps: withElectronics([amp("D", 0, 1062, 19, 0, 1024)], { D: { bias: 1510.3, gain: 1.0, readNoise: 5.4 } }),
      },
    ],
    ccdamp: "D",
    ccdgain: 1,
    fullWell: 144000,
    atodsat: 33000,
    darkRate: 0.009,
    crRate: 6,
    pixelScale: 0.0507,
    sky: 0.03,
    refPrefix: "oref$",
    refLetter: "o",
    useAfter: "1997-02-14 00:00:00",
  };
}

const MODELS: Record<string, () => DetectorModel> = {
  "ACS/WFC": acsWfc,
  "ACS/HRC": acsHrc,
  "WFC3/UVIS": wfc3Uvis,
  "WFC3/IR": wfc3Ir,
  "STIS/CCD": stisCcd,
};

export const DEFAULT_DETECTOR: Record<Instrument, DetectorName> = { ACS: "WFC", WFC3: "UVIS", STIS: "CCD" };

export function detectorModel(instrument: Instrument, detector: DetectorName): DetectorModel {
  const make = MODELS[`${instrument}/${detector}`];
  if (!make) throw new Error(`cannot simulate ${instrument}/${detector}`);
  return make();
}

/** The amplifier reading raw column x (CCDs). */
export function ampAt(chip: ChipLayout, x: number): AmpLayout {
  for (const a of chip.amps) if (x >= a.rawX0 && x < a.rawX1) return a;
  throw new Error(`column ${x} is outside the chip`);
}

/** LTV1/LTV2 of a raw chip: raw index = science index + LTV (less the subarray's origin on the chip). */
export function rawOffsets(chip: ChipLayout): { ltv1: number; ltv2: number } {
  const [x, y] = chip.origin ?? [0, 0];
  return { ltv1: chip.amps[0].sciRawX0 - x, ltv2: chip.sciRawY0 - y };
}

/** LTV1/LTV2 of a trimmed (science) image of the chip: 0 for a full chip, minus the origin of a subarray. */
export function scienceOffsets(chip: ChipLayout): { ltv1: number; ltv2: number } {
  const [x, y] = chip.origin ?? [0, 0];
  return { ltv1: x === 0 ? 0 : -x, ltv2: y === 0 ? 0 : -y };
}

/** Raw column of science column sx. */
export function rawColumn(chip: ChipLayout, sx: number): number {
  for (const a of chip.amps) if (sx >= a.sciX0 && sx < a.sciX0 + a.sciWidth) return a.sciRawX0 + (sx - a.sciX0);
  throw new Error(`science column ${sx} is outside the chip`);
}
