/**
 * WF32D for one UVIS image set (calibration.md §4; hstcal wf32d/do2d.c), pure: the step table of
 * wf32d-steps.ts through the step framework: DARKCORR (DN) → FLATCORR (→ electrons) → SHADCORR (÷ 1 +
 * SHADFILE / (EXPTIME / NCOMBINE), as ACS; hstcal wf32d/doshad.c) → BUNIT, PHOTMODE → PHOTCORR → FLUXCORR
 * → statistics. Returns the SCI/ERR keyword updates, the primary switch values and the step records.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { emptyUpdates } from "../common/header-updates.js";
import type { ImageSet } from "../common/imset.js";
import { referencePlacement } from "../common/reference-image.js";
import { accumulatedStatistics, accumulateStatistics, statisticsAccumulator } from "../common/statistics.js";
import type { StepRecord } from "../common/steps.js";
import { runSteps } from "../common/steps.js";
import { wf3Photmode } from "./photometry.js";
import { WF32D_PHOTOMETRY, WF32D_STEPS, WF32D_WORDING } from "./wf32d-steps.js";
import type { Wf32dInput, Wf32dResult } from "./wf32d-types.js";

export type { Wf32dInput, Wf32dResult, Wf32dSwitches } from "./wf32d-types.js";

export function runWf32d(input: Wf32dInput): Wf32dResult {
  return runWf32dByBands(input, (visit) => visit(input.set));
}

/** The DARKFILE and PFLTFILE rows under a band, when they are read by bands too. */
export type BandReferences = Partial<Pick<Wf32dInput, "dark" | "pflt">>;

/**
 * Hands `visit` the rows of the image set a band at a time, in order from the first row; each band an image
 * set of the set's width, chip and geometry (bandOf), changed in place by `visit`, with the references'
 * rows under it when they are read by bands (else `input`'s are placed).
 */
export type BandReader = (visit: (band: ImageSet, references?: BandReferences) => void) => void;

/** Rows [y0, y0 + ny) of `set` with their pixels: LTV2 moved so that references place them where they lie. */
export function bandOf(set: ImageSet, y0: number, pixels: Pick<ImageSet, "sci" | "err" | "dq" | "ny">): ImageSet {
  const { ltv, ltm } = set.geometry;
  return { ...set, ...pixels, geometry: { ltv: [ltv[0], ltv[1] - y0], ltm } };
}

/**
 * WF32D of an image set whose pixels come a band of rows at a time (the steps are per pixel; MEANDARK and
 * the statistics are summed over the bands in row order: the bits of the whole). `input.set` gives the size,
 * geometry and chip; the result's set is it. SHADCORR interpolates a binned SHADFILE across rows: it wants
 * the whole image set in one band.
 */
export function runWf32dByBands(input: Wf32dInput, bands: BandReader): Wf32dResult {
  const { set } = input;
  placeWholeSet(input);
  const darkTotals = Float64Array.of(0, 0);
  const statistics = statisticsAccumulator();
  let last: ReturnType<typeof runBand> | undefined;
  const steps: StepRecord[][] = [];
  bands((band, references) => {
    last = runBand({ ...input, ...references, set: band, darkTotals });
    steps.push(last.steps);
    accumulateStatistics(band, input.sdqflags, statistics);
  });
  if (!last) throw new RangeError(`WF32D was given no rows of the ${set.nx}x${set.ny} image set`);
  const { updates, bunit } = last;
  const stats = accumulatedStatistics(statistics);
  Object.assign(updates.sci, stats.sci);
  const { primary, sci, history, warnings } = updates;
  return { set, primary, sci, err: { BUNIT: bunit, ...stats.err }, history, warnings, steps: summedTimes(steps) };
}

function runBand(input: Wf32dInput) {
  const { set, switches } = input;
  const updates = emptyUpdates();
  const options = { record: true, wording: WF32D_WORDING };
  const steps = runSteps(WF32D_STEPS, input, switches, updates, options);
  const bunit = steps.some((s) => s.switch === "FLATCORR" && s.outcome === "COMPLETE") ? "ELECTRONS" : "COUNTS";
  updates.sci.BUNIT = bunit;
  updates.sci.PHOTMODE = wf3Photmode("UVIS", set.chip, input.filter, input.expstart);
  steps.push(...runSteps(WF32D_PHOTOMETRY, input, switches, updates, options));
  return { updates, steps, bunit };
}

/** A reference that does not cover the image set is refused as for the whole set, not for a band of it. */
function placeWholeSet({ set, switches, dark, pflt }: Wf32dInput): void {
  if (switches.DARKCORR === "PERFORM" && dark) referencePlacement(set, dark, "DARKFILE");
  if (switches.FLATCORR === "PERFORM" && pflt) referencePlacement(set, pflt, "PFLTFILE");
}

/** The last band's step records, with each step's time summed over the bands. */
function summedTimes(bands: StepRecord[][]): StepRecord[] {
  const last = bands[bands.length - 1]!;
  return last.map((record, n) => ({
    ...record,
    wallMs: bands.reduce((t, b) => t + (b[n]?.wallMs ?? 0), 0),
    cpuMs: bands.reduce((t, b) => t + (b[n]?.cpuMs ?? 0), 0),
  }));
}
