import { summarize } from "../../../src/cli/commands/fits.js";
import { FitsFile, type Hdu, verifyFile } from "../../../src/fits/index.js";

/** Constant-value extensions are expanded only up to this (a header may rightly declare gigabytes of them). */
export const EXPANSION_LIMIT = 64 * 1024 * 1024;

/** What a user of the library does with a file: open, list, `fits info`, read every HDU, verify. */
export function exercise(path: string): void {
  const file = FitsFile.open(path);
  try {
    for (const hdu of file.hdus) {
      summarize(hdu);
      hdu.header.toBytes();
      if (hdu.type === "primary" || hdu.type === "image") readPixels(file, hdu);
      else if (hdu.type === "bintable" || hdu.type === "table") file.readTable(hdu);
    }
  } finally {
    file.close();
  }
  verifyFile(path);
}

function readPixels(file: FitsFile, hdu: Hdu): void {
  const image = file.readImage(hdu);
  if (image.constant !== undefined && image.axes.reduce((a, b) => a * b, 8) > EXPANSION_LIMIT) return;
  void image.data.length;
}
