/**
 * ACS/WFC after SM4 (calibration.md §2.5 path B): the readout electronics the post-SM4 BLEVCORR
 * corrects, applied to the analog signal of each chip before digitisation, in electrons:
 * - row stripes common to the four amps, a function of the readout time (knots at each row start,
 *   linear in between);
 * - amplifier cross-talk: −9.1e-5 × the pixel mirrored across the row (calacs adds it back);
 * - the signal-dependent bias shift of the DS_INT gain-2 readout: the pre-amp's DC level follows the
 *   signal with a time constant, and the recorded value carries it (the inverse of calacs's model).
 * The simulator's own forward model, so the truth test checks calacs against it.
 */
import type { ChipLayout, DetectorModel } from "./detectors.js";
import type { Random } from "./random.js";

/** A date after SM4 (MJD 54962) for the default start of a post-SM4 exposure. */
export const POST_SM4_DATE = "2012-09-20T11:05:12Z";
/** Default rms (e) of the stripes. */
export const STRIPE_RMS = 5;
export const CROSS_TALK = 9.1e-5;

/**
 * Whether the simulation is post-SM4 (only ACS/WFC can be); if so, JWROTYPE joins the primary
 * keywords in `extra`.
 */
export function postSm4Setup(
  epoch: string | undefined,
  model: DetectorModel,
  extra: [string, string | number | boolean, string][],
): boolean {
  if (epoch === undefined || epoch === "pre-sm4") return false;
  if (epoch !== "post-sm4") throw new Error(`epoch must be pre-sm4 or post-sm4, got '${epoch}'`);
  if (model.instrument !== "ACS" || model.detector !== "WFC") {
    throw new Error(`epoch post-sm4 is for ACS/WFC only, not ${model.instrument}/${model.detector}`);
  }
  extra.push(["JWROTYPE", "DS_INT", "CCD readout: dual-slope integrator"]);
  return true;
}

/** Stripe knots, one per amp row and one past the end: Gaussian with rms `rms`. */
export function makeStripes(rows: number, random: Random, rms = STRIPE_RMS): Float64Array {
  return Float64Array.from({ length: rows + 1 }, () => rms * random.normal());
}

/** Serial clocking: 22 µs a pixel; the parallel shift of 3.212 µs takes 146 pixel times. */
const PIXEL_TIME = 22;
const SHIFT_PIXELS = Math.round((1000 / PIXEL_TIME) * 3.212);
/** Per amp A..D: pre-amp time constant (µs), DC shift / signal, DSI sensitivity (ACS ISR 2012-02). */
const AMP_TIME_CONSTANT: Record<string, number> = { A: 37.290251, B: 36.180001, C: 37.86777, D: 42.461249 };
const AMP_DSI: Record<string, number> = { A: 2.9188919e-3, B: 10.805754e-3, C: 12.432145e-3, D: 3.8596253e-3 };
const DC_FRACTION = 0.3;

/** Raw index of the pixel an amp reads at (row, column) counted from the amp's corner. */
function rawIndexer(chip: ChipLayout, amp: ChipLayout["amps"][number]) {
  const top = amp.amp === "A" || amp.amp === "B";
  const right = amp.rawX0 > 0;
  return (row: number, column: number) => {
    const y = top ? chip.rawNy - 1 - row : row;
    const x = right ? amp.rawX1 - 1 - column : amp.rawX0 + column;
    return y * chip.rawNx + x;
  };
}

/** Adds the stripe at each pixel's readout time t = row + (column − 11.5)/(width + 146). */
function addStripes(chip: ChipLayout, signal: Float64Array, knots: Float64Array): void {
  for (const amp of chip.amps) {
    const width = amp.rawX1 - amp.rawX0;
    const index = rawIndexer(chip, amp);
    for (let row = 0; row < chip.rawNy; row++) {
      for (let column = 0; column < width; column++) {
        const t = row + (column - 11.5) / (width + SHIFT_PIXELS);
        const k = Math.max(Math.floor(t), 0);
        signal[index(row, column)] += knots[k] + (t - k) * (knots[k + 1] - knots[k]);
      }
    }
  }
}

function addCrossTalk(chip: ChipLayout, signal: Float64Array): void {
  const { rawNx, rawNy } = chip;
  const row = new Float64Array(rawNx);
  for (let y = 0; y < rawNy; y++) {
    const start = y * rawNx;
    row.set(signal.subarray(start, start + rawNx));
    for (let x = 0; x < rawNx; x++) signal[start + x] -= CROSS_TALK * row[rawNx - 1 - x];
  }
}

/**
 * The recorded value o of each analog value v (level included) in readout order, virtual pixels at
 * the level between rows: the DC level d follows o (d ← 0.3·f·o + (1 − f)·d) and
 * v = o − dsi·d' − (10/22)·(d' − d), solved for o.
 */
function addBiasShift(chip: ChipLayout, signal: Float64Array, levels: Record<string, number>): void {
  for (const amp of chip.amps) {
    const f = 1 - Math.exp(-PIXEL_TIME / (1000 * AMP_TIME_CONSTANT[amp.amp]));
    const dsi = AMP_DSI[amp.amp];
    const level = levels[amp.amp];
    const gainOfO = 1 - DC_FRACTION * f * (dsi + 10 / 22);
    const gainOfD = (1 - f) * dsi - (10 / 22) * f;
    let d = (DC_FRACTION * level) / (1 - DC_FRACTION * dsi);
    const record = (v: number) => {
      const o = (v + d * gainOfD) / gainOfO;
      d = DC_FRACTION * f * o + (1 - f) * d;
      return o;
    };
    const width = amp.rawX1 - amp.rawX0;
    const index = rawIndexer(chip, amp);
    for (let row = 0; row < chip.rawNy; row++) {
      for (let column = 0; column < width; column++) {
        const i = index(row, column);
        signal[i] = record(signal[i] + level) - level;
      }
      for (let g = 0; g < SHIFT_PIXELS; g++) record(level);
    }
  }
}

export interface PostSm4Electronics {
  stripes: Float64Array;
  crossTalk: boolean;
  biasShift: boolean;
}

/**
 * The electronics on one chip's analog signal (e, bias level excluded, raw-sized): stripes, then
 * cross-talk, then the bias shift (which needs each amp's bias level in e).
 */
export function applyPostSm4Electronics(chip: ChipLayout, signal: Float64Array, electronics: PostSm4Electronics): void {
  addStripes(chip, signal, electronics.stripes);
  if (electronics.crossTalk) addCrossTalk(chip, signal);
  if (electronics.biasShift) {
    const levels = Object.fromEntries(chip.amps.map((a) => [a.amp, a.bias * a.gain]));
    addBiasShift(chip, signal, levels);
  }
}
