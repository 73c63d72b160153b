/**
 * Reads a mosaic chip straight into its rows of the picture when it is stored as plain big-endian float32
 * (BITPIX −32, no BSCALE/BZERO) in an uncompressed file: one read and one byte swap, without the
 * chip-sized buffer and copy of FitsFile.readImage. A 16-bit DQ array is read as stored into a buffer
 * reused from chip to chip, unswapped: only whether a flag is 0 matters, and byte order does not change
 * that. Any other case is left to readImage.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { type FitsFile, type Hdu, scalingOf } from "../fits/index.js";

export function readFloatChipInto(fits: FitsFile, chip: Hdu, target: Float32Array, at: number): boolean {
  const count = chip.axes[0] * chip.axes[1];
  if (!storedAsIs(fits, chip, -32, count)) return false;
  const view = Buffer.from(target.buffer, target.byteOffset + at * 4, count * 4);
  if (!readData(fits, chip, view)) return false;
  view.swap32();
  return true;
}

/** The chip's 16-bit flags as stored, in `buffer` (grown as needed); undefined when not plain int16. */
export function readRawFlags(fits: FitsFile, dq: Hdu, count: number, buffer: { flags?: Int16Array }) {
  if (!storedAsIs(fits, dq, 16, count)) return undefined;
  if (!buffer.flags || buffer.flags.length < count) buffer.flags = new Int16Array(count);
  const flags = buffer.flags.subarray(0, count);
  return readData(fits, dq, new Uint8Array(flags.buffer, flags.byteOffset, count * 2)) ? flags : undefined;
}

function storedAsIs(fits: FitsFile, hdu: Hdu, bitpix: number, count: number): boolean {
  const { bscale, bzero } = scalingOf(hdu.header);
  const bytes = (count * Math.abs(bitpix)) / 8;
  return !fits.isCompressed && hdu.bitpix === bitpix && bscale === 1 && Number(bzero) === 0 && hdu.dataBytes >= bytes;
}

function readData(fits: FitsFile, hdu: Hdu, view: Uint8Array): boolean {
  const fd = openSync(fits.path, "r");
  try {
    for (let done = 0; done < view.length; ) {
      const n = readSync(fd, view, done, view.length - done, hdu.dataOffset + done);
      if (n === 0) return false;
      done += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}
