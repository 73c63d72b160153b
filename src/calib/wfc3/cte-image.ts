/**
 * WF3CTE of a full-frame UVIS exposure (hstcal wf3cte.c WF3cte), pure: the two raw chips less the BIACFILE,
 * in RAZ layout, less each amp's residual overscan level, in electrons; every column corrected; the change,
 * back in DN, added to the raw values (not to the bias-subtracted ones), so that WF3CCD and WF32D then run on
 * the corrected raw as on any raw. Columns are independent: `correctUvisColumns` does a range (a worker's share).
 */
import { correctUvisColumn, type UvisCteSettings, uvisColumnScratch } from "./cte-column.js";
import { imageReadNoise } from "./cte-noise.js";
import { chipsToRaz, densityColumn, postScanBias, RAZ_COLUMNS, RAZ_ROWS, razToChips, toElectrons } from "./cte-raz.js";

/** The corrected columns [first, end) of the RAZ image `electrons`, column-major, as floats. */
export function correctUvisColumns(
  electrons: Float32Array,
  scaleFraction: number,
  settings: UvisCteSettings,
  first: number,
  end: number,
): Float32Array {
  const out = new Float32Array((end - first) * RAZ_ROWS);
  const scratch = uvisColumnScratch(RAZ_ROWS);
  const initial = densityColumn(scaleFraction);
  const density = new Float64Array(RAZ_ROWS);
  const observed = new Float64Array(RAZ_ROWS);
  for (let i = first; i < end; i++) {
    for (let j = 0; j < RAZ_ROWS; j++) observed[j] = electrons[i * RAZ_ROWS + j];
    density.set(initial);
    out.set(correctUvisColumn(observed, density, settings, scratch), (i - first) * RAZ_ROWS);
  }
  return out;
}

export interface UvisCteInput {
  /** The raw SCI of SCI,1 (chip 2: C, D) and SCI,2 (chip 1: A, B), 4206 × 2070 row-major, in DN. */
  readonly cd: Float32Array;
  readonly ab: Float32Array;
  /** The BIACFILE's SCI of the same chips. */
  readonly biasCd: Float32Array;
  readonly biasAb: Float32Array;
  /** CCDGAIN. */
  readonly gain: number;
}

export interface UvisCtePrepared {
  /** The raw chips in RAZ layout (DN) and the same less the biases, in electrons. */
  readonly raw: Float32Array;
  readonly electrons: Float32Array;
  /** The residual bias of amps C, D, A, B (DN). */
  readonly levels: number[];
}

/** `electrons`: where to put the electrons (e.g. a view of shared memory for the workers). */
export function prepareUvisCte(
  input: UvisCteInput,
  electrons: Float32Array = new Float32Array(RAZ_COLUMNS * RAZ_ROWS),
): UvisCtePrepared {
  const raw = chipsToRaz(input.cd, input.ab);
  chipsToRaz(input.biasCd, input.biasAb, electrons);
  for (let k = 0; k < electrons.length; k++) electrons[k] = raw[k] - electrons[k];
  const levels = postScanBias(electrons);
  toElectrons(electrons, levels, input.gain);
  return { raw, electrons, levels };
}

/** PCTERNOI when the raw gives one (not 0), else the image's own estimate (hstcal find_raz2rnoival). */
export function uvisReadNoise(pcternoi: number, electrons: Float32Array): number {
  return pcternoi !== 0 ? Math.fround(pcternoi) : imageReadNoise(electrons);
}

/**
 * The corrected raw chips (DN): raw + (corrected − observed) / gain, in float; `corrected` is the whole RAZ
 * image of corrected electrons.
 */
export function finishUvisCte(
  prepared: UvisCtePrepared,
  corrected: Float32Array,
  gain: number,
): { cd: Float32Array; ab: Float32Array } {
  const g = Math.fround(gain);
  const { raw, electrons } = prepared;
  const out = new Float32Array(raw.length);
  for (let k = 0; k < out.length; k++) out[k] = raw[k] + Math.fround(Math.fround(corrected[k] - electrons[k]) / g);
  const half = out.length / 2;
  const cd = new Float32Array(half);
  const ab = new Float32Array(half);
  razToChips(out, cd, ab);
  return { cd, ab };
}
