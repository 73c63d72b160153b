/**
 * Reading and writing HST image sets (SCI/ERR/DQ extensions grouped by EXTVER) between FITS files and
 * the in-memory ImageSet of the calibration code. Raw uint16 SCI becomes float32, constant-value ERR
 * and DQ extensions are expanded, and on write non-SCI arrays whose pixels are all equal go back to
 * constant-value extensions, as HSTIO writes them (calibration.md §0.6).
 */
import { createImageSet, dqView, type Geometry, type ImageSet } from "../calib/common/imset.js";
import {
  bytesPerPixel,
  decodePixels,
  FitsError,
  FitsFile,
  FitsWriter,
  type Hdu,
  type Header,
  type PixelArray,
  scalingOf,
} from "../fits/index.js";
import { loadIfStored, readStoredPlane } from "./chip-store.js";

export interface ImageSetHdus {
  ver: number;
  /** The pixels, or (with `stored`) the size, geometry and chip with empty arrays. */
  set: ImageSet;
  /** The chip store's file holding the pixels while the main thread holds none (chip-store.ts). */
  stored?: string;
  sci: Header;
  err: Header;
  dq: Header;
}

export interface ImageSetFile {
  primary: Header;
  imsets: ImageSetHdus[];
}

export function toFloat32(data: PixelArray): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else out.set(data);
  return out;
}

export function toDq(data: PixelArray): Uint16Array {
  if (data instanceof Int16Array || data instanceof Uint16Array) return dqView(data);
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]) & 0xffff;
  return out;
}

export function geometryOf(header: Header): Geometry {
  return {
    ltv: [header.getNumber("LTV1", 0), header.getNumber("LTV2", 0)],
    ltm: [header.getNumber("LTM1_1", 1), header.getNumber("LTM2_2", 1)],
  };
}

function extension(file: FitsFile, name: string, ver: number): Hdu {
  return file.hdu(name, ver);
}

/** An image's dimensions; those of an HST constant-value extension (NAXIS = 0) are NPIXn. */
function imageAxes(hdu: Hdu): number[] {
  if (hdu.axes.length > 0 || !hdu.header.has("PIXVALUE")) return hdu.axes;
  const axes: number[] = [];
  for (let i = 1; hdu.header.has(`NPIX${i}`); i++) axes.push(hdu.header.getInt(`NPIX${i}`));
  return axes;
}

/** The SCI, ERR and DQ HDUs of every image set of an open file, in EXTVER order, and the SCI image size. */
export function imageSetHdus(file: FitsFile): { ver: number; sci: Hdu; err: Hdu; dq: Hdu; nx: number; ny: number }[] {
  const versions = file.hdus.filter((h) => h.name.toUpperCase() === "SCI").map((h) => h.ver);
  return versions.map((ver) => {
    const sci = extension(file, "SCI", ver);
    const axes = imageAxes(sci);
    if (axes.length !== 2) {
      throw new FitsError("BAD_STRUCTURE", `SCI,${ver} is not a 2-D image`, { file: file.path, hdu: sci.index });
    }
    const [nx, ny] = axes;
    return { ver, sci, err: extension(file, "ERR", ver), dq: extension(file, "DQ", ver), nx, ny };
  });
}

type ImageSetLocation = ReturnType<typeof imageSetHdus>[number];

const DECODE_PIXELS = 1 << 20;

/**
 * An image as float32. An integer one (a raw's SCI) is decoded a million pixels at a time into the float
 * array: a whole-plane integer copy beside it would be a WFC chip's 17 MB more at the read.
 */
function readFloat32(file: FitsFile, hdu: Hdu): Float32Array {
  const size = bytesPerPixel(hdu.bitpix);
  const count = hdu.axes.reduce((a, b) => a * b, 1);
  // constant-value and float images, and those readImage refuses (it names the cause), are read whole
  if (hdu.axes.length === 0 || hdu.bitpix < 0 || count * size !== hdu.dataBytes) {
    return toFloat32(file.readImage(hdu).data);
  }
  const scaling = scalingOf(hdu.header);
  const out = new Float32Array(count);
  for (let start = 0; start < count; start += DECODE_PIXELS) {
    const n = Math.min(DECODE_PIXELS, count - start);
    let bytes: Uint8Array;
    try {
      bytes = file.readBytes(hdu.dataOffset + start * size, n * size);
    } catch (e) {
      throw e instanceof FitsError ? e.at({ file: file.path, hdu: hdu.index }) : e;
    }
    if (bytes.length !== n * size)
      throw new FitsError("TRUNCATED", "file ends inside the data", { file: file.path, hdu: hdu.index });
    const decoded = decodePixels(bytes, hdu.bitpix, scaling);
    if (decoded instanceof BigInt64Array || decoded instanceof BigUint64Array) out.set(toFloat32(decoded), start);
    else out.set(decoded, start);
  }
  return out;
}

/**
 * One image set; `lean` holds less at the read: a constant-value ERR is not expanded (`set.err` is empty and
 * `errValue` is the value of its pixels) and an integer SCI is decoded by bands.
 */
function readImageSet(
  file: FitsFile,
  { ver, sci, err, dq, nx, ny }: ImageSetLocation,
  lean = false,
): ImageSetHdus & { errValue?: number } {
  const sciPixels = lean ? readFloat32(file, sci) : toFloat32(file.readImage(sci).data);
  const errImage = file.readImage(err);
  const errValue = lean ? errImage.constant : undefined;
  const dqImage = file.readImage(dq);
  for (const [what, other] of [
    ["ERR", errImage],
    ["DQ", dqImage],
  ] as const) {
    if (other.data.length !== nx * ny) {
      throw new FitsError("BAD_STRUCTURE", `${what},${ver} does not have the ${nx}x${ny} pixels of SCI,${ver}`, {
        file: file.path,
      });
    }
  }
  const set = createImageSet(nx, ny, {
    sci: sciPixels,
    err: toFloat32(errImage.data),
    dq: toDq(dqImage.data),
    geometry: geometryOf(sci.header),
    chip: sci.header.getInt("CCDCHIP", 1),
  });
  // a zero constant's expanded array was never written to: dropping it costs nothing
  if (errValue !== undefined) set.err = new Float32Array(0);
  return { ver, set, errValue, sci: sci.header.clone(), err: err.header.clone(), dq: dq.header.clone() };
}

/** Every SCI/ERR/DQ image set of an open file, in EXTVER order. */
export function readImageSets(file: FitsFile): ImageSetFile {
  const imsets = imageSetHdus(file).map((location) => readImageSet(file, location));
  return { primary: file.hdus[0].header.clone(), imsets };
}

/** The `index`-th image set (EXTVER order) of the file at `path`: a worker reads only the chip it calibrates. */
export function readImageSetAt(path: string, index: number): ImageSet {
  const file = FitsFile.open(path);
  try {
    const location = imageSetHdus(file)[index];
    if (!location) throw new FitsError("BAD_STRUCTURE", `has no image set number ${index + 1}`, { file: path });
    return readImageSet(file, location).set;
  } finally {
    file.close();
  }
}

/** An image set with the size, geometry and chip of its SCI header and empty arrays (its pixels are read elsewhere). */
export function pixellessImageSet(sci: Header, nx: number, ny: number): ImageSet {
  return {
    nx,
    ny,
    sci: new Float32Array(0),
    err: new Float32Array(0),
    dq: new Uint16Array(0),
    geometry: geometryOf(sci),
    chip: sci.getInt("CCDCHIP", 1),
  };
}

/**
 * The headers of every image set of the file at `path`, without the pixels: each set has the size, geometry
 * and chip of its SCI extension and empty arrays, for a step that reads the pixels elsewhere (a worker).
 */
export function readImageSetHeaders(path: string): ImageSetFile {
  const file = FitsFile.open(path);
  try {
    const imsets = imageSetHdus(file).map(({ ver, sci, err, dq, nx, ny }) => {
      const set = pixellessImageSet(sci.header, nx, ny);
      return { ver, set, sci: sci.header.clone(), err: err.header.clone(), dq: dq.header.clone() };
    });
    return { primary: file.hdus[0].header.clone(), imsets };
  } finally {
    file.close();
  }
}

/**
 * The pixels of every image set of a raw file, except constant-value ERRs: their `set.err` is empty and
 * `errValue` their value (ACSCCD makes them later, acsccd.ts).
 */
export function readRawImageSets(path: string): { set: ImageSet; errValue?: number }[] {
  const file = FitsFile.open(path);
  try {
    return imageSetHdus(file).map((location) => {
      const { set, errValue } = readImageSet(file, location, true);
      return { set, errValue };
    });
  } finally {
    file.close();
  }
}

/** Every image set of the file at `path` (opened and closed here). */
export function readImageSetFile(path: string): ImageSetFile {
  const file = FitsFile.open(path);
  try {
    return readImageSets(file);
  } finally {
    file.close();
  }
}

function allEqual(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return false;
  return true;
}

/**
 * Writes a primary header and image sets (NEXTEND set to 3 × imsets). SCI is always a full array; ERR
 * and DQ whose pixels are all equal are written as constant-value extensions. Stored image sets are read
 * one at a time.
 */
export function writeImageSets(path: string, file: ImageSetFile, options: { checksum?: boolean } = {}): void {
  const writer = new FitsWriter(path, { checksum: options.checksum ?? false });
  try {
    const primary = file.primary.clone();
    primary.set("NEXTEND", 3 * file.imsets.length);
    writer.writeImage(primary);
    for (const hdus of file.imsets) {
      const { sci, err, dq, set } = hdus;
      const axes = [set.nx, set.ny];
      // a stored image set is read one plane at a time, each gone before the next is read
      const plane = (name: "SCI" | "ERR" | "DQ", held: Float32Array | Uint16Array) =>
        hdus.stored ? readStoredPlane(hdus.stored, name, set) : held;
      writer.writeImage(sci, plane("SCI", set.sci), axes);
      const errPixels = plane("ERR", set.err) as Float32Array;
      if (errPixels.length > 0 && allEqual(errPixels)) writer.writeConstantImage(err, errPixels[0], axes, -32);
      else writer.writeImage(err, errPixels, axes);
      const flags = plane("DQ", set.dq);
      const signedDq = new Int16Array(flags.buffer, flags.byteOffset, flags.length);
      if (signedDq.length > 0 && allEqual(signedDq)) writer.writeConstantImage(dq, signedDq[0], axes, 16);
      else writer.writeImage(dq, signedDq, axes);
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Brings a file's stored image sets back into memory (for a step that works on whole files in the main thread). */
export function loadStoredImageSets(file: ImageSetFile): void {
  for (const hdus of file.imsets) {
    hdus.set = loadIfStored(hdus.set, hdus.stored);
    hdus.stored = undefined;
  }
}
