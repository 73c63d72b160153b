/**
 * Reading and writing HST image sets (SCI/ERR/DQ extensions grouped by EXTVER) between FITS files and
 * the in-memory ImageSet of the calibration code. Raw uint16 SCI becomes float32, constant-value ERR
 * and DQ extensions are expanded, and on write non-SCI arrays whose pixels are all equal go back to
 * constant-value extensions, as HSTIO writes them (calibration.md §0.6).
 */
import { createImageSet, dqView, type Geometry, type ImageSet } from "../calib/common/imset.js";
import { FitsError, FitsFile, FitsWriter, type Hdu, type Header, type PixelArray } from "../fits/index.js";

export interface ImageSetHdus {
  ver: number;
  set: ImageSet;
  sci: Header;
  err: Header;
  dq: Header;
}

export interface ImageSetFile {
  primary: Header;
  imsets: ImageSetHdus[];
}

function toFloat32(data: PixelArray): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else out.set(data);
  return out;
}

function toDq(data: PixelArray): Uint16Array {
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

/** Every SCI/ERR/DQ image set of an open file, in EXTVER order. */
export function readImageSets(file: FitsFile): ImageSetFile {
  const versions = file.hdus.filter((h) => h.name.toUpperCase() === "SCI").map((h) => h.ver);
  const imsets = versions.map((ver) => {
    const sci = extension(file, "SCI", ver);
    const err = extension(file, "ERR", ver);
    const dq = extension(file, "DQ", ver);
    const image = file.readImage(sci);
    const [nx, ny] = image.axes.length === 2 ? image.axes : [0, 0];
    if (image.axes.length !== 2) {
      throw new FitsError("BAD_STRUCTURE", `SCI,${ver} is not a 2-D image`, { file: file.path, hdu: sci.index });
    }
    const errImage = file.readImage(err);
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
      sci: toFloat32(image.data),
      err: toFloat32(errImage.data),
      dq: toDq(dqImage.data),
      geometry: geometryOf(sci.header),
      chip: sci.header.getInt("CCDCHIP", 1),
    });
    return { ver, set, sci: sci.header.clone(), err: err.header.clone(), dq: dq.header.clone() };
  });
  return { primary: file.hdus[0].header.clone(), imsets };
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
 * and DQ whose pixels are all equal are written as constant-value extensions.
 */
export function writeImageSets(path: string, file: ImageSetFile, options: { checksum?: boolean } = {}): void {
  const writer = new FitsWriter(path, { checksum: options.checksum ?? false });
  try {
    const primary = file.primary.clone();
    primary.set("NEXTEND", 3 * file.imsets.length);
    writer.writeImage(primary);
    for (const { set, sci, err, dq } of file.imsets) {
      const axes = [set.nx, set.ny];
      writer.writeImage(sci, set.sci, axes);
      if (set.err.length > 0 && allEqual(set.err)) writer.writeConstantImage(err, set.err[0], axes, -32);
      else writer.writeImage(err, set.err, axes);
      const signedDq = new Int16Array(set.dq.buffer, set.dq.byteOffset, set.dq.length);
      if (signedDq.length > 0 && allEqual(signedDq)) writer.writeConstantImage(dq, signedDq[0], axes, 16);
      else writer.writeImage(dq, signedDq, axes);
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
