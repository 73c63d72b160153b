/**
 * AstroDrizzle's `minmed` combination (drizzlepac minmed.min_med): per output pixel, the median of the single-drizzled
 * images (their mean for two, nhigh=1 otherwise) unless the minimum lies more than combine_nsigma below it in the
 * noise the weights, skies and read noises predict; then the minimum. With combine_grow, pixels next to one that took
 * the minimum use the second, lower nsigma.
 */
import { CalibrationError } from "../common/errors.js";
import { numCombine } from "./combine.js";

export interface MinMedInput {
  /** Single-drizzled images (cps) and their weights, all of one size. */
  images: Float32Array[];
  weights: Float32Array[];
  /** 1 = bad (combine_maskpt); absent: none masked. */
  masks?: Uint8Array[];
  readNoise: number[];
  exposureTime: number[];
  /** Sky of each image (electrons, as createMedian's backgroundValueList). */
  background: number[];
}

export interface MinMedOptions {
  /** combine_grow: half-size of the box around a minimum pixel (0: no growth). */
  grow?: number;
  /** combine_nsigma: the two significances ("4 3"). */
  nsigma?: [number, number];
  /** The "i" types (iminmed): imedian/imean fill pixels masked in every image. */
  fill?: boolean;
}

function fail(message: string): never {
  throw new CalibrationError("INVALID_VALUE", `minmed: ${message}`, { step: "MEDIAN" });
}

/** Rows per band: minmed's temporaries (about 50 bytes a pixel) are held for one band at a time. */
const BAND_ROWS = 256;

export function minMed(input: MinMedInput, width: number, options: MinMedOptions = {}): Float32Array {
  const out = new Float32Array(input.images[0]?.length ?? 0);
  for (const rows of minMedBands(input, width, options)) minMedRowsInto(input, width, options, rows, out);
  return out;
}

/**
 * The bands of output rows minmed is computed by (checking the input first); each band's rows can be computed
 * apart (minMedRowsInto), e.g. on worker threads, with the same bits as the whole.
 */
export function minMedBands(input: MinMedInput, width: number, options: MinMedOptions = {}): [number, number][] {
  const { images, weights, masks } = input;
  const { grow = 1 } = options;
  const n = images.length;
  if (n === 0) fail("no images to combine");
  if (weights.length !== n || (masks && masks.length !== n)) fail(`${n} images but ${weights.length} weights`);
  const height = images[0].length / width;
  const boxsize = 2 * grow + 1;
  if (boxsize <= 0) fail(`combine_grow ${grow} must be >= 0`);
  if (boxsize > height) fail(`combine_grow ${grow}: a ${boxsize}-pixel box is larger than the image`);
  const bands: [number, number][] = [];
  for (let first = 0; first < height; first += BAND_ROWS) bands.push([first, Math.min(height, first + BAND_ROWS)]);
  return bands;
}

/** minmed's output rows `rows` into `out` (the whole image's size). */
export function minMedRowsInto(
  input: MinMedInput,
  width: number,
  options: MinMedOptions,
  [first, end]: [number, number],
  out: Float32Array,
): void {
  const { images, weights, masks } = input;
  const { grow = 1 } = options;
  const height = images[0].length / width;
  // the band with `grow` rows of its neighbours, so that the box around its own rows sees what the whole would
  const [lo, hi] = [Math.max(0, first - grow), Math.min(height, end + grow)];
  const rows = <T extends Float32Array | Uint8Array>(a: T) => a.subarray(lo * width, hi * width) as T;
  const band = { ...input, images: images.map(rows), weights: weights.map(rows), masks: masks?.map(rows) };
  const combined = minMedBand(band, width, options);
  out.set(combined.subarray((first - lo) * width, (end - lo) * width), first * width);
}

/** minmed over a band of rows, as over a whole image. */
function minMedBand(input: MinMedInput, width: number, options: MinMedOptions): Float32Array {
  const { images, weights, masks } = input;
  const { grow = 1, nsigma = [4, 3], fill = false } = options;
  const n = images.length;
  const size = images[0].length;
  const height = size / width;
  const maskSum = new Int16Array(size);
  if (masks) for (const m of masks) for (let k = 0; k < size; k++) maskSum[k] += m[k] ? 1 : 0;

  let median: Float32Array;
  if (n === 2) median = numCombine(images, width, masks, { type: fill ? "iaverage" : "mean" });
  else {
    median = numCombine(images, width, masks, { type: fill ? "imedian" : "median", nhigh: 1 });
    // where one image is left, the value nhigh rejected (the sum of the good ones) is used, as IRAF imcombine
    for (let k = 0; k < size; k++) {
      if (masks ? maskSum[k] !== n - 1 : n !== 1) continue;
      let sum = 0;
      for (let i = 0; i < n; i++) if (!masks?.[i][k]) sum = Math.fround(sum + images[i][k]);
      median[k] = sum;
    }
  }
  const minimum = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    if (maskSum[k] === n && masks) continue;
    let least = Number.NaN;
    for (let i = 0; i < n; i++) {
      if (masks?.[i][k]) continue;
      const v = images[i][k];
      if (!(v >= least)) least = v;
    }
    minimum[k] = least;
  }
  // numpy's types: weights summed in float32, the sky and read-noise terms and the rms in float64
  const skyRate = input.background.map((b, i) => b / input.exposureTime[i]);
  const rn2 = input.readNoise.map((r) => r * r);
  const minWeighted = new Float32Array(size);
  const medWeighted = new Float32Array(size);
  const rms = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    let weight = 0;
    let background = 0;
    let readNoise = 0;
    for (let i = 0; i < n; i++) {
      weight = Math.fround(weight + weights[i][k]);
      background += weights[i][k] * skyRate[i];
      if (!masks?.[i][k]) readNoise += rn2[i];
    }
    minWeighted[k] = minimum[k] * weight;
    medWeighted[k] = median[k] * weight;
    rms[k] = Math.sqrt(Math.max(medWeighted[k] + background + readNoise, 0));
  }
  const threshold = new Float64Array(size);
  for (let k = 0; k < size; k++) threshold[k] = medWeighted[k] - rms[k] * nsigma[0];
  if (grow !== 0) {
    const flagged = new Uint8Array(size);
    for (let k = 0; k < size; k++) flagged[k] = minWeighted[k] < threshold[k] ? 1 : 0;
    const near = boxAny(flagged, width, height, grow);
    for (let k = 0; k < size; k++) if (near[k]) threshold[k] = medWeighted[k] - rms[k] * nsigma[1];
  }
  const out = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    out[k] = masks && maskSum[k] === n ? 0 : minWeighted[k] < threshold[k] ? minimum[k] : median[k];
  }
  return out;
}

/** Whether any flagged pixel lies in the (2·grow+1)² box around each pixel (convolve2d 'same' with zero fill). */
function boxAny(flags: Uint8Array, width: number, height: number, grow: number): Uint8Array {
  const rows = new Int32Array(flags.length);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let s = 0;
      for (let d = Math.max(0, i - grow); d <= Math.min(width - 1, i + grow); d++) s += flags[j * width + d];
      rows[j * width + i] = s;
    }
  }
  const out = new Uint8Array(flags.length);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let s = 0;
      for (let d = Math.max(0, j - grow); d <= Math.min(height - 1, j + grow); d++) s += rows[d * width + i];
      out[j * width + i] = s > 0 ? 1 : 0;
    }
  }
  return out;
}
