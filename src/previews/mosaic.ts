/**
 * Reading the picture of an image product: fitscut shows the first image HDU (SCI,1) only; here the
 * science chips of a multi-chip product (ACS/WFC, WFC3/UVIS: SCI extensions with distinct CCDCHIP) are
 * stacked in their detector layout, chip 2 (SCI,1) at the bottom and chip 1 above it, and DQ-flagged
 * pixels are marked so the scale ignores them.
 */
import { FitsFile, type Hdu, type Header, type PixelArray } from "../fits/index.js";
import { type BlankRule, blankRuleOf, staleRange } from "./blanks.js";
import { isPlainFlags, isPlainFloat, readFloatRowsInto, readRawFlags } from "./chip-read.js";
import { copyChipRow, RowStats, type RowTarget } from "./chip-rows.js";
import type { Plane } from "./geometry.js";

export interface PictureOptions {
  /** Stack all chips (default true); false shows SCI,1 only, as fitscut does. */
  mosaic?: boolean;
  /** Keep DQ-flagged pixels out of the scale (default true); false uses every pixel, as fitscut does. */
  dqMask?: boolean;
}

export interface Picture {
  plane: Plane;
  /** Header of the first image HDU (WCS, BADPIX), and the primary header. */
  header: Header;
  primary: Header;
  chips: number;
  /** Pixels left out of the scale because of DQ flags. */
  maskedPixels: number;
  /** What the reader did differently from fitscut's rules, and why (for the log). */
  notes: string[];
}

export function readPicture(path: string, options: PictureOptions = {}): Picture {
  const fits = FitsFile.open(path);
  try {
    const first = fits.hdus.find(isImage);
    if (!first) throw new Error("no image HDU with two or more axes");
    const chips = options.mosaic === false ? [first] : chipsOf(fits, first);
    const width = Math.max(...chips.map((h) => h.axes[0]));
    const height = chips.reduce((sum, h) => sum + h.axes[1], 0);
    const single = chips.length === 1;
    const target: RowTarget = { data: single ? new Float32Array(0) : new Float32Array(width * height) };
    const stats = new RowStats();
    const notes: string[] = [];
    let row = 0;
    for (const chip of chips) {
      const [w, h] = chip.axes;
      let rule = blankRuleOf(chip.header);
      const dq = options.dqMask === false ? undefined : dqOf(fits, chip);
      const plainDq = dq && isPlainFlags(fits, dq, w * h) ? dq : undefined;
      const otherFlags = dq && !plainDq ? dqFlags(fits, dq, w * h) : undefined;
      if (!single && w === width && isPlainFloat(fits, chip) && !otherFlags) {
        if (plainDq) target.masked ??= new Uint8Array(width * height);
        const note = stackChecked(fits, chip, plainDq, row, target, rule, stats);
        if (note) notes.push(note);
        row += h;
        continue;
      }
      const flags = otherFlags ?? (plainDq && dqFlags(fits, plainDq, w * h));
      if (flags) target.masked ??= new Uint8Array(width * height);
      // A single chip is prepared in place; others are copied.
      const pixels = asFloat32(fits.readImage(chip).data, w * h);
      const stale = staleRange(rule, pixels);
      if (stale) {
        notes.push(staleRangeNote(chip, stale));
        rule = { value: rule.value };
      }
      if (single) target.data = pixels;
      for (let y = 0; y < h; y++) {
        const to = (row + y) * width;
        const rowFlags = flags && { values: flags, from: y * w };
        copyChipRow(pixels, single ? to : y * w, target, to, w, rule, stats, rowFlags);
        if (w < width) target.data.fill(Number.NaN, to + w, to + width);
      }
      row += h;
    }
    const range = stats.min <= stats.max ? { min: stats.min, max: stats.max } : undefined;
    return {
      plane: { width, height, data: target.data, masked: target.masked, range },
      header: first.header,
      primary: fits.hdus[0].header,
      chips: chips.length,
      maskedPixels: stats.flagged,
      notes,
    };
  } finally {
    fits.close();
  }
}

export const hduName = (hdu: Hdu) => (hdu.name ? `${hdu.name},${hdu.ver}` : `HDU ${hdu.index}`);

function isImage(hdu: Hdu): boolean {
  return (hdu.type === "primary" || hdu.type === "image") && hdu.axes.length >= 2 && hdu.axes[0] > 0 && hdu.axes[1] > 0;
}

/** The chips to stack, bottom first: SCI HDUs with distinct CCDCHIP, highest chip number first. */
function chipsOf(fits: FitsFile, first: Hdu): Hdu[] {
  const sci = fits.hdus.filter((h) => h.name.toUpperCase() === "SCI" && isImage(h));
  const numbers = sci.map((h) => h.header.get("CCDCHIP"));
  const distinct = numbers.every((n) => typeof n === "number") && new Set(numbers).size === sci.length;
  if (sci.length < 2 || !distinct || !sci.includes(first)) return [first];
  return sci.sort((a, b) => (b.header.get("CCDCHIP") as number) - (a.header.get("CCDCHIP") as number));
}

/** Physical pixels as single precision, as cfitsio's TFLOAT read delivers them (first plane of a cube). */
function asFloat32(data: PixelArray, count: number): Float32Array {
  if (data instanceof Float32Array) return data.subarray(0, count);
  const out = new Float32Array(count);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < count; i++) out[i] = Number(data[i]);
  } else out.set(data.subarray(0, count));
  return out;
}

/** The DQ HDU of a SCI chip (same EXTVER), if any. */
function dqOf(fits: FitsFile, chip: Hdu): Hdu | undefined {
  if (chip.name.toUpperCase() !== "SCI") return undefined;
  return fits.hdus.find((h) => h.name.toUpperCase() === "DQ" && h.ver === chip.ver && h.type === "image");
}

/** The chip's DQ array when it flags anything (a constant-zero DQ extension flags nothing). */
function dqFlags(fits: FitsFile, dq: Hdu, count: number): PixelArray | undefined {
  const raw = isPlainFlags(fits, dq, count) ? new Int16Array(count) : undefined;
  if (raw && readRawFlags(fits, dq, 0, count, raw)) return raw;
  const image = fits.readImage(dq);
  if (image.constant !== undefined) return image.constant === 0 ? undefined : image.data;
  if (image.data.length < count) return undefined;
  return image.data;
}

function staleRangeNote(chip: Hdu, stale: { counted: number; outside: number }): string {
  const range = `${chip.header.get("GOODMIN")}…${chip.header.get("GOODMAX") ?? ""}`;
  return (
    `GOODMIN…GOODMAX (${range}) would blank ${stale.outside} of the ${stale.counted} pixels of ${hduName(chip)}: ` +
    "ignored, the keywords do not describe this array"
  );
}

/**
 * stackInBlocks with the stale-range check of blanks.ts without a pass of its own: when the rule's range
 * left most of the chip blank, the chip is stacked again without it and the two blank counts decide (a
 * third read restores the range when it was right after all). Returns the note when the range is dropped.
 */
function stackChecked(
  fits: FitsFile,
  chip: Hdu,
  dq: Hdu | undefined,
  row: number,
  target: RowTarget,
  rule: BlankRule,
  stats: RowStats,
): string | undefined {
  const pixels = chip.axes[0] * chip.axes[1];
  const before = { ...stats };
  const stack = (r: BlankRule) => {
    Object.assign(stats, before);
    stackInBlocks(fits, chip, dq, row, target, r, stats);
    return stats.blanked - before.blanked;
  };
  const withRange = stack(rule);
  if (rule.low === undefined || 2 * withRange <= pixels) return undefined;
  const without = stack({ value: rule.value });
  const stale = { counted: pixels - without, outside: withRange - without };
  if (2 * stale.outside > stale.counted) return staleRangeNote(chip, stale);
  stack(rule);
  return undefined;
}

const BLOCK_ROWS = 32;

/**
 * A plain float32 chip as wide as the picture, with plain int16 flags or none, read straight into its
 * rows a block at a time, so that each block is swapped and prepared while it is in the cache.
 */
function stackInBlocks(
  fits: FitsFile,
  chip: Hdu,
  dq: Hdu | undefined,
  row: number,
  target: RowTarget,
  rule: BlankRule,
  stats: RowStats,
): void {
  const [w, h] = chip.axes;
  const flags = dq ? new Int16Array(BLOCK_ROWS * w) : undefined;
  for (let first = 0; first < h; first += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, h - first);
    const at = (row + first) * w;
    const read = readFloatRowsInto(fits, chip, first, rows, target.data, at);
    if (!read || (dq && flags && !readRawFlags(fits, dq, first * w, rows * w, flags))) {
      throw new Error(`${fits.path}: data of ${chip.name},${chip.ver} end before the header says`);
    }
    for (let y = 0; y < rows; y++) {
      const to = at + y * w;
      copyChipRow(target.data, to, target, to, w, rule, stats, flags && { values: flags, from: y * w });
    }
  }
}
