/**
 * BLEVCORR of post-SM4 WFC data (calibration.md §2.5 path B; hstcal blev_func_main.c performBlevCorr):
 * full frames get the bias-shift and cross-talk corrections (DS_INT at gain 2 only), then destriping and
 * the bias level from the prescan, on both chips at once; the supported subarrays get the bias-shift
 * correction only. Works in electrons on the untrimmed image sets, in place.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { type AmpIndex, readAmpArray, writeAmpArray } from "./amp-arrays.js";
import type { AcsDetector } from "./amps.js";
import { correctBiasShift } from "./bias-shift.js";
import { type BlevResult, chooseBlevPath, subtractBiasLevelClassic } from "./blevcorr.js";
import type { AcsCcdParameters } from "./ccd-parameters.js";
import { correctCrossTalk } from "./cross-talk.js";
import { destripeHistory, destripeImages } from "./destripe.js";
import type { OverscanRegions } from "./oscntab.js";

type Four = [number, number, number, number];

export interface PostSm4Exposure {
  ccdamp: string;
  ccdgain: number;
  jwrotype: string;
}

export interface PostSm4Result {
  /** One per image set, in input order. */
  imsets: BlevResult[];
  /** Primary HISTORY written during the step (before the BLEVCORR lines). */
  history: string[];
}

/** Whether the readout is the one the bias-shift model was made for. */
export function takesBiasShift(exposure: Pick<PostSm4Exposure, "jwrotype" | "ccdgain">): boolean {
  return exposure.jwrotype.trim() === "DS_INT" && Math.fround(exposure.ccdgain) === 2;
}

const CHIP_OF_AMP = [1, 1, 2, 2];

/** The image set of each amp of a full frame, A..D: A and B are on CCDCHIP 1, C and D on CCDCHIP 2. */
const ampImages = (chips: Record<number, ImageSet>) => CHIP_OF_AMP.map((chip) => chips[chip]);

/** The bias shift of each amp, one amp array at a time (the amps are independent); the levels subtracted. */
function correctBiasShifts(chips: Record<number, ImageSet>): Four {
  const levels: Four = [0, 0, 0, 0];
  let buffer: Float64Array | undefined;
  ampImages(chips).forEach((set, amp) => {
    const array = readAmpArray(set, amp as AmpIndex, set.nx / 2, buffer);
    buffer = array.data;
    levels[amp] = correctBiasShift(array);
    writeAmpArray(set, array);
  });
  return levels;
}

function chipsByNumber(imsets: readonly ImageSet[]): Record<number, ImageSet> {
  const chips: Record<number, ImageSet> = {};
  for (const set of imsets) chips[set.chip] = set;
  const [one, two] = [chips[1], chips[2]];
  if (imsets.length !== 2 || !one || !two || one.nx !== two.nx || one.ny !== two.ny || one.nx % 2 !== 0) {
    const shapes = imsets.map((s) => `chip ${s.chip} ${s.nx}x${s.ny}`).join(", ");
    throw new CalibrationError(
      "INVALID_VALUE",
      `post-SM4 WFC full-frame BLEVCORR needs CCDCHIP 1 and 2 of the same even width, got ${shapes || "none"}`,
    );
  }
  return chips;
}

/** Full frame: bias shift and cross-talk (DS_INT, gain 2), destriping and bias level. */
export function subtractBiasLevelPostSm4(
  imsets: readonly ImageSet[],
  exposure: PostSm4Exposure,
  regions: readonly OverscanRegions[],
): PostSm4Result {
  if (!regions.every((r) => r.found)) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      "post-SM4 WFC full-frame BLEVCORR needs an OSCNTAB row (the overscan) for both chips",
    );
  }
  const chips = chipsByNumber(imsets);
  const blev: Four = [0, 0, 0, 0];
  if (takesBiasShift(exposure)) {
    correctBiasShifts(chips).forEach((level, amp) => {
      blev[amp] += level;
    });
    for (const set of imsets) correctCrossTalk(set);
  }
  const result = destripeImages(ampImages(chips));
  result.biasLevels.forEach((level, amp) => {
    blev[amp] += level;
  });
  const [a, b, c, d] = result.biasLevels;
  const results = imsets.map((set): BlevResult => {
    const own: Four = set.chip === 1 ? [blev[0], blev[1], 0, 0] : [0, 0, blev[2], blev[3]];
    const meanblev = Math.fround(set.chip === 1 ? (a + b) / 2 : (c + d) / 2);
    return { blev: own, meanblev, fromOverscan: true, driftCorrected: false };
  });
  return { imsets: results, history: destripeHistory(result) };
}

/** hstcal's amp of a one-amp subarray: CCDAMP exactly A, B, C or D, else A. */
function subarrayAmp(ccdamp: string): AmpIndex {
  const index = ["A", "B", "C", "D"].indexOf(ccdamp.trim());
  return Math.max(index, 0) as AmpIndex;
}

/** A supported subarray (one amp, virtual overscan): the bias shift only; MEANBLEV is its level. */
export function subtractBiasShiftSubarray(
  set: ImageSet,
  exposure: PostSm4Exposure,
  regions: OverscanRegions,
): BlevResult {
  const array = readAmpArray(set, subarrayAmp(exposure.ccdamp), set.nx);
  const level = correctBiasShift(array);
  writeAmpArray(set, array);
  const blev: Four = [0, 0, 0, 0];
  blev[array.amp] = level;
  return { blev, meanblev: Math.fround(level), fromOverscan: regions.found, driftCorrected: false };
}

export interface BlevImset {
  set: ImageSet;
  parameters: AcsCcdParameters;
  overscan: OverscanRegions;
  sdqflags: number;
}

export interface BlevExposure extends PostSm4Exposure {
  detector: AcsDetector;
  expstart: number;
  subarray: boolean;
  aperture: string;
}

export interface BlevcorrOutcome {
  /** Per image set; undefined where BLEVCORR did not touch it (the set stays untrimmed). */
  results: (BlevResult | undefined)[];
  history: string[];
}

/** BLEVCORR on all image sets of an exposure, by the path hstcal's performBlevCorr chooses. */
export function performBlevcorr(imsets: readonly BlevImset[], exposure: BlevExposure): BlevcorrOutcome {
  const path = chooseBlevPath({ ...exposure, virtualOverscan: imsets[0]?.overscan.virtualOverscan ?? false });
  if (path === "post-sm4-full-frame") {
    const done = subtractBiasLevelPostSm4(
      imsets.map((i) => i.set),
      exposure,
      imsets.map((i) => i.overscan),
    );
    return { results: done.imsets, history: done.history };
  }
  if (path === "post-sm4-subarray-bias-shift") {
    // hstcal corrects the first image set only (a supported subarray has one).
    const first = subtractBiasShiftSubarray(imsets[0].set, exposure, imsets[0].overscan);
    return { results: imsets.map((_, k) => (k === 0 ? first : undefined)), history: [] };
  }
  const results = imsets.map((i) =>
    subtractBiasLevelClassic(i.set, {
      detector: exposure.detector,
      params: i.parameters,
      regions: i.overscan,
      sdqflags: i.sdqflags,
    }),
  );
  return { results, history: [] };
}
