// caldp side of bench/fits-io.ts: time one read or write of a FITS file, print JSON.
// usage: fits-io-worker.ts read FILE | fits-io-worker.ts write FILE TARGET [--checksum]
import { FitsFile, FitsWriter, type Hdu, type Image } from "../src/fits/index.js";

function load(path: string): { hdu: Hdu; image: Image }[] {
  const fits = FitsFile.open(path);
  const out = fits.hdus.map((hdu) => ({ hdu, image: fits.readImage(hdu) }));
  fits.close();
  return out;
}

const [op, path, target] = process.argv.slice(2);
let seconds: number;
if (op === "read") {
  const t0 = performance.now();
  load(path);
  seconds = (performance.now() - t0) / 1000;
} else {
  const hdus = load(path);
  const t0 = performance.now();
  const writer = new FitsWriter(target, { checksum: process.argv.includes("--checksum") });
  for (const { hdu, image } of hdus) {
    if (image.constant !== undefined) writer.writeConstantImage(hdu.header, image.constant, image.axes, hdu.bitpix);
    else if (image.axes.length === 0) writer.writeImage(hdu.header);
    else writer.writeImage(hdu.header, image.data, image.axes);
  }
  writer.close();
  seconds = (performance.now() - t0) / 1000;
}
console.log(JSON.stringify({ seconds, maxRssKb: process.resourceUsage().maxRSS }));
