/**
 * The drizzle stage's input edge: the SCI/ERR/DQ and WCS of every chip of every flt/flc, and the files an
 * `_asn` names. Only reads; every problem names the file (and the keyword).
 */
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { FitsFile, type Hdu, type Header } from "../../fits/index.js";
import { readHduWcs, type Wcs, WcsError } from "../../wcs/index.js";
import { readAssociation } from "../association.js";
import { DrizzleStageError } from "./errors.js";

export interface InputChip {
  file: string;
  extver: number;
  width: number;
  height: number;
  sci: Float32Array;
  err?: Float32Array;
  dq?: Uint16Array;
  wcs: Wcs;
  primary: Header;
  header: Header;
  exposureTime: number;
}

export interface DrizzleInputs {
  /** The product's root name (the association's, or the lone exposure's). */
  root: string;
  /** Where the products go by default: beside the inputs, as AstroDrizzle writes them. */
  folder: string;
  files: string[];
}

/** The exposures of an `_asn.fits` (the flt, or flc with `suffix`) or the files themselves. */
export function resolveInputs(paths: string[], suffix: "flt" | "flc" = "flt"): DrizzleInputs {
  if (paths.length === 0) throw new DrizzleStageError("no input to drizzle");
  const asn = paths.find((p) => /_asn\.fits$/i.test(p));
  if (asn) {
    if (paths.length > 1) throw new DrizzleStageError("give one _asn.fits or flt/flc files, not both", asn);
    const table = readAssociation(asn);
    if (table.exposures.length === 0) throw new DrizzleStageError("the association has no present exposure", asn);
    const folder = dirname(asn);
    const files = table.exposures.map((m) => join(folder, `${m.name}_${suffix}.fits`));
    for (const f of files) if (!existsSync(f)) throw new DrizzleStageError(`member ${basename(f)} is missing`, asn);
    return {
      root: basename(asn)
        .replace(/_asn\.fits$/i, "")
        .toLowerCase(),
      folder,
      files,
    };
  }
  for (const f of paths) if (!existsSync(f)) throw new DrizzleStageError("no such file", f);
  const root = basename(paths[0])
    .replace(/_(flt|flc|raw)\.fits$/i, "")
    .replace(/\.fits$/i, "");
  return { root: root.toLowerCase(), folder: dirname(paths[0]), files: paths };
}

function hasPixels(hdu: Hdu): boolean {
  return hdu.header.getInt("NAXIS", 0) > 0 || Boolean(hdu.npix?.length);
}

/** The values as float32 in shared memory: the steps on worker threads read a chip's SCI without a copy. */
function sharedFloats(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(new SharedArrayBuffer(4 * values.length));
  out.set(values);
  return out;
}

/** An image extension of `path` as float32, read when asked (only final_wht_type ERR reads ERR: 32 MB a WFC chip). */
function floatData(path: string, extname: string, ver: number): Float32Array | undefined {
  const file = FitsFile.open(path);
  try {
    const hdu = file.hdus.find((h) => h.name === extname && h.ver === ver);
    if (!hdu || !hasPixels(hdu)) return undefined;
    return Float32Array.from(file.readImage(hdu).data as ArrayLike<number>);
  } finally {
    file.close();
  }
}

function exposureTimeOf(primary: Header, file: string): number {
  const t = primary.get("EXPTIME");
  if (typeof t !== "number")
    throw new WcsError("is missing: the exposure time weights the drizzle", { file, keyword: "EXPTIME" });
  if (!(t > 0)) throw new DrizzleStageError(`is ${t}: nothing to drizzle`, file, "EXPTIME");
  return t;
}

/** Every SCI chip of `path` with its DQ and WCS, and its ERR when first read. */
export function readChips(path: string): InputChip[] {
  const file = FitsFile.open(path);
  try {
    const primary = file.hdus[0].header;
    const exposureTime = exposureTimeOf(primary, path);
    const scis = file.hdus.filter((h) => h.name === "SCI" && hasPixels(h));
    if (scis.length === 0) throw new DrizzleStageError("has no SCI image to drizzle", path);
    return scis.map((hdu) => {
      const image = file.readImage(hdu);
      const [width, height = 1] = image.axes;
      const dqHdu = file.hdus.find((h) => h.name === "DQ" && h.ver === hdu.ver && hasPixels(h));
      let err: Float32Array | undefined | null = null;
      return {
        file: path,
        extver: hdu.ver,
        width,
        height,
        sci: sharedFloats(image.data as ArrayLike<number>),
        get err() {
          if (err === null) err = floatData(path, "ERR", hdu.ver);
          return err;
        },
        dq: dqHdu ? Uint16Array.from(file.readImage(dqHdu).data as ArrayLike<number>) : undefined,
        wcs: readHduWcs(file, hdu),
        primary,
        header: hdu.header,
        exposureTime,
      };
    });
  } finally {
    file.close();
  }
}
