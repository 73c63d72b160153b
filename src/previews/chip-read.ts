/**
 * Reads a mosaic chip straight into its rows of the picture when it is stored as plain big-endian float32
 * (BITPIX −32, no BSCALE/BZERO) in an uncompressed file, a block of rows at a time: one read and one
 * byte swap, without the chip-sized buffer and copy of FitsFile.readImage. A 16-bit DQ array is read as
 * stored into a small buffer reused from block to block, unswapped: only whether a flag is 0 matters, and
 * byte order does not change that. Any other case is left to readImage.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { type FitsFile, type Hdu, scalingOf } from "../fits/index.js";

/** Whether the chip's pixels are plain big-endian float32 that readFloatRowsInto can read. */
export function isPlainFloat(fits: FitsFile, chip: Hdu): boolean {
  return storedAsIs(fits, chip, -32, chip.axes[0] * chip.axes[1]);
}

/** Whether a DQ array of `count` pixels is plain int16 that readRawFlagRows can read. */
export function isPlainFlags(fits: FitsFile, dq: Hdu, count: number): boolean {
  return dq.axes.length > 0 && storedAsIs(fits, dq, 16, count);
}

/** Rows [first, first + rows) of a plain float32 chip into target[at…], in native byte order. */
export function readFloatRowsInto(
  fits: FitsFile,
  chip: Hdu,
  first: number,
  rows: number,
  target: Float32Array,
  at: number,
): boolean {
  const w = chip.axes[0];
  const view = Buffer.from(target.buffer, target.byteOffset + at * 4, rows * w * 4);
  if (!readData(fits, chip, view, first * w * 4)) return false;
  view.swap32();
  return true;
}

/** Flags [first, first + count) of a plain int16 DQ array as stored (unswapped) into `flags`. */
export function readRawFlags(fits: FitsFile, dq: Hdu, first: number, count: number, flags: Int16Array): boolean {
  return readData(fits, dq, new Uint8Array(flags.buffer, flags.byteOffset, count * 2), first * 2);
}

function storedAsIs(fits: FitsFile, hdu: Hdu, bitpix: number, count: number): boolean {
  const { bscale, bzero } = scalingOf(hdu.header);
  const bytes = (count * Math.abs(bitpix)) / 8;
  return !fits.isCompressed && hdu.bitpix === bitpix && bscale === 1 && Number(bzero) === 0 && hdu.dataBytes >= bytes;
}

function readData(fits: FitsFile, hdu: Hdu, view: Uint8Array, skip = 0): boolean {
  const fd = openSync(fits.path, "r");
  try {
    for (let done = 0; done < view.length; ) {
      const n = readSync(fd, view, done, view.length - done, hdu.dataOffset + skip + done);
      if (n === 0) return false;
      done += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}
