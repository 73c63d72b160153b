import type { FitsFile, Hdu, Header } from "../fits/index.js";
import { WcsError } from "./errors.js";
import type { LookupTable } from "./lookup.js";
import type { Wcs } from "./model.js";
import { readWcs } from "./parse.js";

/** A lookup-table image extension (D2IMARR, WCSDVARR, or a reference file's DX/DY) as a LookupTable. */
export function lookupTableOf(file: FitsFile, hdu: Hdu): LookupTable {
  const image = file.readImage(hdu);
  const [n1 = 1, n2 = 1] = image.axes;
  const h: Header = hdu.header;
  const value = (keyword: string, fallback: number) => {
    const v = h.get(keyword);
    return typeof v === "number" ? v : fallback;
  };
  if (image.data.length !== n1 * n2 || n1 * n2 === 0) {
    throw new WcsError(`the lookup table is not a 2-D grid (axes ${image.axes.join("×")})`, {
      file: file.path,
      hdu: `${hdu.name},${hdu.ver}`,
    });
  }
  return {
    naxis: [n1, n2],
    crpix: [value("CRPIX1", 0), value("CRPIX2", 0)],
    crval: [value("CRVAL1", 0), value("CRVAL2", 0)],
    cdelt: [value("CDELT1", 1), value("CDELT2", 1)],
    data: Float32Array.from(image.data as ArrayLike<number>),
  };
}

/** The WCS of one HDU of an open file, with the lookup tables its keywords name read from the same file. */
export function readHduWcs(file: FitsFile, hdu: Hdu): Wcs {
  const resolve = (extname: string, extver: number) => {
    const found = file.hdus.find((h) => h.name.toUpperCase() === extname && h.ver === extver);
    return found ? lookupTableOf(file, found) : undefined;
  };
  return readWcs(hdu.header, resolve, { file: file.path, hdu: hdu.name ? `${hdu.name},${hdu.ver}` : `${hdu.index}` });
}
