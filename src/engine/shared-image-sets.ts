/**
 * Reference image sets read straight into shared memory (SharedArrayBuffer), so that the main thread and every
 * worker use one copy: the data bytes are read from the file into the shared buffer and decoded there in place;
 * constant-value extensions are filled there. A compressed file, or pixels that need scaling to another type,
 * are decoded as usual and then copied.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { createImageSet, dqView } from "../calib/common/imset.js";
import { decodePixels, FitsError, FitsFile, type Hdu, type PixelArray, scalingOf } from "../fits/index.js";
import { geometryOf, type ImageSetFile, imageSetHdus, toDq, toFloat32 } from "./imset-io.js";

/** A copy of a typed array in shared memory. */
export function sharedCopy<T extends Float32Array | Uint16Array>(array: T): T {
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

function isShared(array: PixelArray): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** An extension's pixels decoded in a shared buffer (`fd`: the plain file, or undefined when compressed). */
function sharedPixels(
  file: FitsFile,
  fd: number | undefined,
  hdu: Hdu,
  kind: "float" | "dq",
): Float32Array | Uint16Array {
  // A constant-value extension (NAXIS = 0) is expanded only when its data is asked for.
  const constant = hdu.axes.length === 0 ? file.readImage(hdu) : undefined;
  if (constant?.constant !== undefined) {
    const count = constant.axes.reduce((a, b) => a * b, 1);
    const value = kind === "float" ? constant.constant : constant.constant & 0xffff;
    return constantPixels(kind, value, count);
  }
  let data: PixelArray | undefined;
  if (fd !== undefined && hdu.axes.length > 0) {
    const bytes = new Uint8Array(new SharedArrayBuffer(hdu.dataBytes));
    for (let at = 0; at < bytes.length; ) {
      const read = readSync(fd, bytes, at, bytes.length - at, hdu.dataOffset + at);
      if (read === 0) throw new FitsError("TRUNCATED", "file ends inside the data", { file: file.path });
      at += read;
    }
    data = decodePixels(bytes, hdu.bitpix, scalingOf(hdu.header));
  }
  if (kind === "float") {
    if (data instanceof Float32Array && isShared(data)) return data;
    return sharedCopy(toFloat32(data ?? file.readImage(hdu).data));
  }
  if ((data instanceof Int16Array || data instanceof Uint16Array) && isShared(data)) return dqView(data);
  return sharedCopy(toDq(data ?? file.readImage(hdu).data));
}

// Constant extensions read on this thread, by kind, value and size: the references are only read, so the ERR
// (or DQ) of every chip of a file that is one value over the same size is one array (a full-frame ACS/WFC
// BIASFILE's or SATUFILE's two constant ERR and DQ extensions took 100 MB). Held weakly: they go with the
// references that use them.
const constants = new Map<string, WeakRef<Float32Array | Uint16Array>>();

function constantPixels(kind: "float" | "dq", value: number, count: number): Float32Array | Uint16Array {
  const key = `${kind}:${value}:${count}`;
  const cached = constants.get(key)?.deref();
  if (cached) return cached;
  const out = kind === "float" ? new Float32Array(new SharedArrayBuffer(4 * count)) : dqArray(count);
  if (value !== 0) out.fill(value);
  constants.set(key, new WeakRef(out));
  return out;
}

function dqArray(count: number): Uint16Array {
  return new Uint16Array(new SharedArrayBuffer(2 * count));
}

/**
 * The SCI/ERR/DQ image sets of the file at `path`, pixels in shared memory: every one, or only those whose
 * CCDCHIP is in `chips` (a step that picks its reference imset by chip needs no other).
 */
export function readSharedImageSets(path: string, chips?: readonly number[]): ImageSetFile {
  const file = FitsFile.open(path);
  const fd = file.isCompressed ? undefined : openSync(path, "r");
  try {
    const wanted = imageSetHdus(file).filter(({ sci }) => !chips || chips.includes(sci.header.getInt("CCDCHIP", 1)));
    const imsets = wanted.map(({ ver, sci, err, dq, nx, ny }) => {
      const pixels = [sharedPixels(file, fd, sci, "float"), sharedPixels(file, fd, err, "float")] as Float32Array[];
      const flags = sharedPixels(file, fd, dq, "dq") as Uint16Array;
      [
        ["ERR", pixels[1]],
        ["DQ", flags],
      ].forEach(([what, array]) => {
        if ((array as Float32Array).length !== nx * ny) {
          throw new FitsError("BAD_STRUCTURE", `${what},${ver} does not have the ${nx}x${ny} pixels of SCI,${ver}`, {
            file: file.path,
          });
        }
      });
      const set = createImageSet(nx, ny, {
        sci: pixels[0],
        err: pixels[1],
        dq: flags,
        geometry: geometryOf(sci.header),
        chip: sci.header.getInt("CCDCHIP", 1),
      });
      return { ver, set, sci: sci.header.clone(), err: err.header.clone(), dq: dq.header.clone() };
    });
    return { primary: file.hdus[0].header.clone(), imsets };
  } finally {
    if (fd !== undefined) closeSync(fd);
    file.close();
  }
}
