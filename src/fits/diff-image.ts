import type { DataDiffOptions, ImageDiff } from "./diff-data.js";
import { closeEnough, type Tolerance } from "./diff-values.js";
import { FitsError } from "./errors.js";
import { bytesPerPixel, decodePixels, type PixelArray } from "./pixels.js";
import { type FitsFile, type Hdu, scalingOf } from "./reader.js";

/** Pixels (or raw bytes) read per side and block: a bounded memory use whatever the HDU's size. */
const BLOCK_BYTES = 4 << 20;

export interface StreamOptions extends DataDiffOptions {
  /** Stop at the first difference (the total is then 1): only whether the data differ matters. */
  quick?: boolean;
}

function isFloat(data: PixelArray): boolean {
  return data instanceof Float32Array || data instanceof Float64Array;
}

/** numpy's name of a typed array's element type: Int16Array → int16, BigUint64Array → uint64. */
function dtype(data: PixelArray): string {
  return data.constructor.name
    .replace(/Array$/, "")
    .replace(/^Big/, "")
    .toLowerCase();
}

function coordinates(index: number, axes: readonly number[]): number[] {
  const at: number[] = [];
  let rest = index;
  for (const n of axes) {
    at.push((rest % n) + 1);
    rest = Math.floor(rest / n);
  }
  return at;
}

/**
 * Pixel by pixel, fed block by block; tolerances apply only when either image holds floats (as in fitsdiff).
 * Only the first `numDiffs` differences are kept; the others are counted.
 */
class ImageComparison {
  readonly diff: ImageDiff = { kind: "image", total: 0, ratio: 0, first: [] };
  private readonly tolerance: Tolerance;
  private readonly keep: number;

  /** `a` and `b` are samples (blocks or empty arrays) of the two images' decoded types. */
  constructor(
    private readonly axes: readonly number[],
    a: PixelArray,
    b: PixelArray,
    private readonly options: StreamOptions,
  ) {
    this.tolerance = isFloat(a) || isFloat(b) ? options : { rtol: 0, atol: 0 };
    if (a instanceof Float32Array && b instanceof Float32Array) this.diff.float32 = true;
    if (dtype(a) !== dtype(b)) this.diff.dtypes = [dtype(a), dtype(b)];
    this.keep = options.numDiffs < 0 ? Number.POSITIVE_INFINITY : options.numDiffs;
  }

  /** Compares pixels `start`… of both images; false once a quick comparison knows the answer. */
  block(a: PixelArray, b: PixelArray, start: number): boolean {
    const { diff, keep, tolerance } = this;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      // biome-ignore lint/suspicious/noDoubleEquals: a uint64 image (bigint) against a float one
      const same = typeof x === "bigint" || typeof y === "bigint" ? x == y : closeEnough(x, y, tolerance);
      if (same) continue;
      diff.total++;
      if (diff.first.length < keep) diff.first.push({ at: coordinates(start + i, this.axes), a: x, b: y });
      if (this.options.quick) return false;
    }
    return true;
  }

  finish(count: number): ImageDiff {
    this.diff.ratio = count ? this.diff.total / count : 0;
    return this.diff;
  }
}

/** An image HDU's stored bytes in blocks of whole pixels, each a fresh aligned buffer (decodePixels converts it). */
function readBlock(file: FitsFile, hdu: Hdu, start: number, length: number): Uint8Array {
  try {
    return file.readBytes(hdu.dataOffset + start, length);
  } catch (e) {
    throw e instanceof FitsError ? e.at({ file: file.path, hdu: hdu.index }) : e;
  }
}

function checkImage(file: FitsFile, hdu: Hdu): number {
  if (hdu.index === 0 && hdu.axes[0] === 0 && hdu.header.get("GROUPS") === true) {
    throw new FitsError("UNSUPPORTED", "random groups are not read as an image", { file: file.path, hdu: 0 });
  }
  const count = hdu.axes.reduce((n, m) => n * m, 1);
  if (count * bytesPerPixel(hdu.bitpix) !== hdu.dataBytes) {
    const detail = `PCOUNT = ${hdu.pcount} and GCOUNT = ${hdu.gcount} do not describe an image (0 and 1 expected)`;
    throw new FitsError("BAD_STRUCTURE", detail, { file: file.path, hdu: hdu.index });
  }
  return count;
}

/** Two image HDUs of the same shape, read and compared in blocks (never both whole images in memory). */
export function diffImageHdus(fa: FitsFile, a: Hdu, fb: FitsFile, b: Hdu, options: StreamOptions): ImageDiff {
  // other shapes: nothing else is compared (fitsdiff)
  if (a.axes.join() !== b.axes.join())
    return { kind: "image", total: 0, ratio: 0, first: [], dimensions: [a.axes, b.axes] };
  const count = checkImage(fa, a);
  checkImage(fb, b);
  const [sa, sb] = [scalingOf(a.header), scalingOf(b.header)];
  const empty = () => new Uint8Array(new ArrayBuffer(0));
  const comparison = new ImageComparison(
    a.axes,
    decodePixels(empty(), a.bitpix, sa),
    decodePixels(empty(), b.bitpix, sb),
    options,
  );
  const [sizeA, sizeB] = [bytesPerPixel(a.bitpix), bytesPerPixel(b.bitpix)];
  const step = Math.max(1, Math.floor(BLOCK_BYTES / Math.max(sizeA, sizeB)));
  for (let start = 0; start < count; start += step) {
    const n = Math.min(step, count - start);
    const blockA = decodePixels(readBlock(fa, a, start * sizeA, n * sizeA), a.bitpix, sa);
    const blockB = decodePixels(readBlock(fb, b, start * sizeB, n * sizeB), b.bitpix, sb);
    if (!comparison.block(blockA, blockB, start)) break;
  }
  return comparison.finish(count);
}

/** Data of HDUs that are neither images nor tables, byte by byte, in blocks. */
export function diffRawHdus(fa: FitsFile, a: Hdu, fb: FitsFile, b: Hdu, options: StreamOptions): ImageDiff {
  const diff: ImageDiff = { kind: "raw", total: 0, ratio: 0, first: [] };
  if (a.dataBytes !== b.dataBytes) return { ...diff, dimensions: [[a.dataBytes], [b.dataBytes]] };
  const keep = options.numDiffs < 0 ? Number.POSITIVE_INFINITY : options.numDiffs;
  for (let start = 0; start < a.dataBytes; start += BLOCK_BYTES) {
    const n = Math.min(BLOCK_BYTES, a.dataBytes - start);
    const [x, y] = [readBlock(fa, a, start, n), readBlock(fb, b, start, n)];
    for (let i = 0; i < n; i++) {
      if (x[i] === y[i]) continue;
      diff.total++;
      if (diff.first.length < keep) diff.first.push({ at: [start + i], a: x[i], b: y[i] });
      if (options.quick) return { ...diff, ratio: diff.total / a.dataBytes };
    }
  }
  diff.ratio = a.dataBytes ? diff.total / a.dataBytes : 0;
  return diff;
}
