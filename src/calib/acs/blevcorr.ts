/**
 * BLEVCORR for ACS, classic path (calibration.md §2.5 path A; hstcal doblev.c, blev_func_main.c):
 * per amp of the chip, a line fitted to the row-by-row overscan level (+ the drift along rows from the
 * virtual overscan) is subtracted from the amp's region, in electrons, on the untrimmed image.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { type BiasSections, evaluateBiasFit, fitBiasLevels } from "../common/blev-rows.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import type { AcsDetector } from "./amps.js";
import { type DriftFit, driftAt, fitDrift } from "./blev-drift.js";
import { type AcsCcdParameters, AMP_NAMES } from "./ccd-parameters.js";
import { SM4_MJD } from "./darktime.js";
import type { OverscanRegions } from "./oscntab.js";

type Four = [number, number, number, number];

export interface BlevResult {
  /** Bias level subtracted per amp A..D (e, double); 0 for amps not processed. */
  blev: Four;
  /** SCI MEANBLEV (a float), absent when the CCDTAB default was subtracted. */
  meanblev?: number;
  /** False when there was no OSCNTAB row and the CCDTAB default bias was subtracted. */
  fromOverscan: boolean;
  /** The drift flag of the last amp processed (what hstcal reports). */
  driftCorrected: boolean;
}

/** The amps of CCDAMP read out on this chip, in hstcal's order (WFC chip 2: C, D; chip 1: A, B). */
export function ampsOfChip(detector: AcsDetector, ccdamp: string, chip: number): string {
  if (detector !== "WFC") return ccdamp;
  return [...(chip === 2 ? "CD" : "AB")].filter((amp) => ccdamp.includes(amp)).join("");
}

/** The amp whose CCDBIAS is the default level: the first letter of CCDAMP, moved to C/D for WFC chip 2. */
export function defaultBiasAmp(detector: AcsDetector, ccdamp: string, chip: number): number {
  let amp = AMP_NAMES.indexOf(ccdamp[0] as (typeof AMP_NAMES)[number]);
  if (amp < 0) throw new CalibrationError("INVALID_VALUE", `CCDAMP '${ccdamp}' does not start with an amp letter`);
  if (ccdamp.length > 1 && detector === "WFC" && chip === 2) amp += 2;
  // hstcal would index past its 4-amp arrays here (e.g. CCDAMP 'CD' on chip 2).
  if (amp > 3)
    throw new CalibrationError("INVALID_VALUE", `no default bias amp for CCDAMP '${ccdamp}' on chip ${chip}`);
  return amp;
}

/**
 * Bias columns for an amp (hstcal's choice): with both sections given, the one on the amp's side —
 * and, for a one-amp line, the other one too; otherwise the section whose end is not 0. Note the test
 * is on 0-based ends, so a section left empty in the table (0 → -1) still counts as "given".
 */
export function biasSectionsForAmp(
  regions: Pick<OverscanRegions, "biassecta" | "biassectb">,
  leftSide: boolean,
  ampsOnLine: number,
  nx: number,
): BiasSections {
  const a = regions.biassecta;
  const b = regions.biassectb;
  let s: BiasSections;
  if (a[1] > 0 && b[1] > 0) {
    const near = leftSide ? a : b;
    const far = leftSide ? b : a;
    s = ampsOnLine === 1 ? [near[0], near[1], far[0], far[1]] : [near[0], near[1], 0, 0];
  } else {
    const only = a[1] === 0 ? b : a;
    s = [only[0], only[1], 0, 0];
  }
  if (s[0] < 0) s[0] = 0;
  if (s[2] < 0) s[2] = 0;
  if (s[1] >= nx) s[1] = nx - 1;
  if (s[3] >= nx) s[3] = nx - 1;
  return s;
}

export interface ClassicBlevInputs {
  detector: AcsDetector;
  params: AcsCcdParameters;
  regions: OverscanRegions;
  /** SDQFLAGS of the SCI header (65535 when absent). */
  sdqflags: number;
}

/** Subtracts the CCDTAB default (CCDBIAS × ATODGN of the default amp) from every pixel. */
function subtractDefaultBias(set: ImageSet, inputs: ClassicBlevInputs): BlevResult {
  const amp = defaultBiasAmp(inputs.detector, inputs.params.ccdamp, set.chip);
  const level = Math.fround(inputs.params.ccdbias[amp] * inputs.params.atodgain[amp]);
  for (let k = 0; k < set.sci.length; k++) set.sci[k] = set.sci[k] - level;
  const blev: Four = [0, 0, 0, 0];
  blev[amp] = level;
  return { blev, fromOverscan: false, driftCorrected: false };
}

const BIAS_ORDER_X = [0, 1, 0, 1];
const BIAS_ORDER_Y = [0, 0, 1, 1];

/** The classic bias-level subtraction on one untrimmed image set, in place. */
export function subtractBiasLevelClassic(set: ImageSet, inputs: ClassicBlevInputs): BlevResult {
  const { params, regions, sdqflags } = inputs;
  if (!regions.found) return subtractDefaultBias(set, inputs);
  const defaultAmp = defaultBiasAmp(inputs.detector, params.ccdamp, set.chip);
  const defaultLevel = Math.fround(params.ccdbias[defaultAmp] * params.atodgain[defaultAmp]);
  const [trimx1, trimx2] = regions.trimx;
  const [trimy1, trimy2] = regions.trimy;
  const amps = ampsOfChip(inputs.detector, params.ccdamp, set.chip);
  const useDrift = !(regions.vy[0] <= 0 && regions.vy[1] <= 0);
  const blev: Four = [0, 0, 0, 0];
  let driftCorrected = false;
  let sum = 0;
  for (const amp of amps) {
    const position = amp.charCodeAt(0) - amps.charCodeAt(0);
    const ampIndex = amp.charCodeAt(0) - "A".charCodeAt(0);
    const sideX = BIAS_ORDER_X[position];
    const sideY = BIAS_ORDER_Y[position];
    const sections = biasSectionsForAmp(regions, sideX === 0, amps.length, set.nx);
    const begx = trimx1 + params.ampx * sideX;
    const endx = Math.min(sideX === 0 && params.ampx !== 0 ? params.ampx + trimx1 : set.nx - trimx2, set.nx);
    const begy = trimy1 + params.ampy * sideY;
    const endy = Math.min(sideY === 0 && params.ampy !== 0 ? params.ampy + trimy1 : set.ny - trimy2, set.ny);
    const sizex = endx - begx;
    const sizey = endy - begy;

    let drift: DriftFit | undefined;
    let averageDrift = 0;
    if (useDrift) {
      drift = fitDrift(set, regions.vx, regions.vy, sections, sdqflags);
      driftCorrected = drift.corrected;
      averageDrift = driftAt(drift, sizex / 2);
    }
    // hstcal fits rows trimy1.. of the amp's height but evaluates the fit at the input row numbers.
    const fit = fitBiasLevels(set, sizey, trimy1, sections, defaultLevel, sdqflags, params.readnoise[ampIndex]);
    let sumBias = 0;
    for (let j = begy; j < endy; j++) {
      const level = evaluateBiasFit(fit, j);
      sumBias += level + averageDrift;
      const row = j * set.nx;
      for (let i = begx; i < endx; i++) {
        const d = drift ? driftAt(drift, i) : 0;
        set.sci[row + i] = set.sci[row + i] - level - d;
      }
    }
    blev[ampIndex] = sumBias / sizey;
    sum += sumBias / sizey;
  }
  return { blev, meanblev: Math.fround(sum / amps.length), fromOverscan: true, driftCorrected };
}

export type BlevPath = "classic" | "post-sm4-full-frame" | "post-sm4-subarray-bias-shift";

/** Subarray apertures that get the bias-shift correction when they have virtual overscan. */
export const BIAS_SHIFT_SUBARRAYS: readonly string[] = [
  "WFC1A-2K",
  "WFC1B-2K",
  "WFC2C-2K",
  "WFC2D-2K",
  "WFC1-IRAMPQ",
  "WFC1-MRAMPQ",
  "WFC2-MRAMPQ",
  "WFC2-ORAMPQ",
  "WFC1-POL0UV",
  "WFC1-POL0V",
  "WFC2-POL0UV",
  "WFC2-POL0V",
  "WFC1-POL60UV",
  "WFC1-POL60V",
  "WFC2-POL60UV",
  "WFC2-POL60V",
  "WFC1-POL120UV",
  "WFC1-POL120V",
  "WFC2-POL120UV",
  "WFC2-POL120V",
];

export interface BlevPathInputs {
  detector: AcsDetector;
  expstart: number;
  subarray: boolean;
  aperture: string;
  jwrotype: string;
  ccdgain: number;
  /** OSCNTAB said the (first) image set has virtual overscan. */
  virtualOverscan: boolean;
}

/** Which BLEVCORR algorithm hstcal's performBlevCorr runs. */
export function chooseBlevPath(inputs: BlevPathInputs): BlevPath {
  if (inputs.detector !== "WFC" || inputs.expstart < SM4_MJD) return "classic";
  if (!inputs.subarray) return "post-sm4-full-frame";
  const supported = BIAS_SHIFT_SUBARRAYS.includes(inputs.aperture.trim()) && inputs.virtualOverscan;
  return supported && inputs.jwrotype.trim() === "DS_INT" && Math.fround(inputs.ccdgain) === 2
    ? "post-sm4-subarray-bias-shift"
    : "classic";
}

/** HISTORY after BLEVCORR (the OSCNTAB reference lines follow "  Overscan region table: "). */
export function blevHistory(fromOverscan: boolean, driftCorrected: boolean): string[] {
  return [
    fromOverscan
      ? "BLEVCORR complete; bias level from overscan was subtracted."
      : "BLEVCORR complete, but default bias level was subtracted.",
    driftCorrected
      ? "BLEVCORR includes correction for drift along lines."
      : "BLEVCORR does not include correction for drift along lines.",
    "  Overscan region table: ",
  ];
}

/** Primary BIASLEVA..D: hstcal writes only non-zero levels, and only if BIASLEVA is already in the header. */
export function biasLevelKeywords(blev: readonly number[], headerHasBiaslev: boolean): Record<string, number> {
  const keywords: Record<string, number> = {};
  if (!headerHasBiaslev) return keywords;
  AMP_NAMES.forEach((amp, k) => {
    if (blev[k] !== 0) keywords[`BIASLEV${amp}`] = Math.fround(blev[k]);
  });
  return keywords;
}
