/**
 * Reads a mosaic chip straight into its rows of the picture when it is stored as plain big-endian float32
 * (BITPIX −32, no BSCALE/BZERO) in an uncompressed file: one read and one byte swap, without the
 * chip-sized buffer and copy of FitsFile.readImage. Any other case is left to readImage.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { type FitsFile, type Hdu, scalingOf } from "../fits/index.js";

export function readFloatChipInto(fits: FitsFile, chip: Hdu, target: Float32Array, at: number): boolean {
  const [w, h] = chip.axes;
  const { bscale, bzero } = scalingOf(chip.header);
  const bytes = w * h * 4;
  if (fits.isCompressed || chip.bitpix !== -32 || bscale !== 1 || Number(bzero) !== 0 || chip.dataBytes < bytes) {
    return false;
  }
  const view = Buffer.from(target.buffer, target.byteOffset + at * 4, bytes);
  const fd = openSync(fits.path, "r");
  try {
    for (let done = 0; done < bytes; ) {
      const n = readSync(fd, view, done, bytes - done, chip.dataOffset + done);
      if (n === 0) return false;
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  view.swap32();
  return true;
}
