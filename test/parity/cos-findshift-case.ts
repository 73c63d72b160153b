/**
 * Lamp-flash shift cases on the real NUV lampflash (labq01hzq, G285M 2676): its three stripes' GROSS × EXPTIME as
 * the flash's counts, and LAMPTAB-like float32 templates made from the same spectra moved by a known fraction of
 * a pixel (the real LAMPTAB of 2009 is not in ../shared). calcos' findshift1 and ours must find the same shifts
 * (fingerprints/cos-findshift-lampflash.json, written by scripts/cos-findshift-fingerprints.ts).
 */
import { join } from "node:path";
import { readLampflash } from "../../src/engine/cos/lampflash.js";
import { HST_DATA } from "../helpers/paths.js";

export const LAMPFLASH = join(HST_DATA, "labq01hzq_lampflash.fits");
export const WCPTAB = join(HST_DATA, "x2i1559gl_wcp.fits");
export const X_OFFSET = 125;
export const XC_RANGE = 57;

export interface ShiftCase {
  name: string;
  /** Per stripe (NUVA, NUVB, NUVC): where the template sits against the spectrum, pixels. */
  moves: [number, number, number];
  /** Per stripe: the spectrum's counts scaled by this. */
  scale: [number, number, number];
  found: [boolean, boolean, boolean];
  fpPixelShift: [number, number, number];
  initialOffset: number;
}

export const SHIFT_CASES: ShiftCase[] = [
  {
    name: "fractional",
    moves: [6.4, 6.9, 7.3],
    scale: [1, 1, 1],
    found: [true, true, true],
    fpPixelShift: [0, 0, 0],
    initialOffset: 0,
  },
  {
    name: "fp-shift-and-offset",
    moves: [-31.25, -30.6, -29.9],
    scale: [1, 1, 1],
    found: [true, true, true],
    fpPixelShift: [-52.1, -52.2, -51.9],
    initialOffset: -20,
  },
  {
    name: "faint-stripe-repaired",
    moves: [3.3, 3.7, 4.2],
    scale: [0.05, 1, 1],
    found: [true, true, true],
    fpPixelShift: [1.5, 0, -1.5],
    initialOffset: 0,
  },
  {
    name: "not-found-in-xd",
    moves: [-12.5, -12.1, -11.6],
    scale: [1, 1, 1],
    found: [true, false, true],
    fpPixelShift: [0, 0, 0],
    initialOffset: 0,
  },
  {
    name: "stray-stripe",
    moves: [2.2, 2.6, 48.5],
    scale: [1, 1, 1],
    found: [true, true, true],
    fpPixelShift: [0, 0, 0],
    initialOffset: 0,
  },
];

export const STRIPES = ["NUVA", "NUVB", "NUVC"] as const;

/** counts(k + move) by linear interpolation, 0 off the spectrum, rounded to float32 as a LAMPTAB's INTENSITY. */
export function movedTemplate(counts: Float64Array, move: number): Float32Array {
  const out = new Float32Array(counts.length);
  for (let k = 0; k < counts.length; k++) {
    const x = k + move;
    const i = Math.floor(x);
    if (i < 0 || i + 1 >= counts.length) continue;
    out[k] = counts[i] + (x - i) * (counts[i + 1] - counts[i]);
  }
  return out;
}

/** The flash counts of each stripe of the real lampflash. */
export function lampflashCounts(): Float64Array[] {
  return readLampflash(LAMPFLASH).rows.map((r) => Float64Array.from(r.gross, (g) => g * (r.lampOff - r.lampOn)));
}

export function caseInputs(c: ShiftCase) {
  return lampflashCounts().map((counts, s) => ({
    stripe: STRIPES[s],
    spectrum: counts.map((v) => v * c.scale[s]),
    template: movedTemplate(counts, c.moves[s]),
    fpPixelShift: c.fpPixelShift[s],
    found: c.found[s],
  }));
}

export const findshiftFingerprintPath = join(import.meta.dirname, "fingerprints", "cos-findshift-lampflash.json");
