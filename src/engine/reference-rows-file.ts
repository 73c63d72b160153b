/**
 * Reference images a worker reads a band of rows at a time from their file (calib/acs/reference-rows.ts):
 * the main thread reads the headers and where each extension's data lies (plain data, sent to the workers);
 * a worker reads only the bytes of the rows a step asks for. A compressed file has no such offsets: it is
 * not read by rows (the caller loads it whole).
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { ReadRows, RowReference } from "../calib/acs/reference-rows.js";
import type { ImageSet } from "../calib/common/imset.js";
import {
  type Bitpix,
  bytesPerPixel,
  decodePixels,
  FitsError,
  FitsFile,
  type Hdu,
  type Scaling,
  scalingOf,
} from "../fits/index.js";
import { imageSetHdus, pixellessImageSet, toDq, toFloat32 } from "./imset-io.js";
import type { ReferenceName } from "./program-files.js";

/** Where one extension's pixels are: a constant-value extension's value, or its data's offset and encoding. */
type Extension = { constant: number } | { offset: number; bitpix: Bitpix; scaling: Scaling };

export interface RowReferenceFile {
  name: string;
  path: string;
  pedigree: string;
  descrip: string;
  /** Size, geometry and chip of each image set, without pixels. */
  imsets: ImageSet[];
  extensions: { sci: Extension; err: Extension; dq: Extension }[];
}

function extensionOf(file: FitsFile, hdu: Hdu, nx: number, ny: number, what: string): Extension {
  if (hdu.axes.length === 0) {
    const constant = file.readImage(hdu);
    if (constant.constant !== undefined && constant.data.length === nx * ny) return { constant: constant.constant };
  } else if (hdu.axes.length === 2 && hdu.axes[0] === nx && hdu.axes[1] === ny) {
    if (hdu.dataBytes === nx * ny * bytesPerPixel(hdu.bitpix)) {
      return { offset: hdu.dataOffset, bitpix: hdu.bitpix, scaling: scalingOf(hdu.header) };
    }
  }
  throw new FitsError("BAD_STRUCTURE", `${what} does not have the ${nx}x${ny} pixels of its SCI`, {
    file: file.path,
    hdu: hdu.index,
  });
}

/** The headers of a reference read by rows, or undefined for a compressed file (to be read whole). */
export function rowReferenceFile(ref: ReferenceName): RowReferenceFile | undefined {
  const file = FitsFile.open(ref.path);
  try {
    if (file.isCompressed) return undefined;
    const primary = file.hdus[0].header;
    const located = imageSetHdus(file).map(({ ver, sci, err, dq, nx, ny }) => ({
      set: pixellessImageSet(sci.header, nx, ny),
      extensions: {
        sci: extensionOf(file, sci, nx, ny, `SCI,${ver}`),
        err: extensionOf(file, err, nx, ny, `ERR,${ver}`),
        dq: extensionOf(file, dq, nx, ny, `DQ,${ver}`),
      },
    }));
    return {
      name: ref.name,
      path: ref.path,
      pedigree: String(primary.get("PEDIGREE") ?? "").trim(),
      descrip: String(primary.get("DESCRIP") ?? "").trim(),
      imsets: located.map((l) => l.set),
      extensions: located.map((l) => l.extensions),
    };
  } finally {
    file.close();
  }
}

function readBytes(fd: number, path: string, at: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  for (let done = 0; done < count; ) {
    const read = readSync(fd, bytes, done, count - done, at + done);
    if (read === 0) throw new FitsError("TRUNCATED", "file ends inside the data", { file: path });
    done += read;
  }
  return bytes;
}

/** The reference as the ACSCCD steps take it, its rows read from the file as they ask (on a worker). */
export function rowReference(file: RowReferenceFile): RowReference {
  const readRows: ReadRows = (set, y0, y1, only) => {
    const index = file.imsets.indexOf(set);
    if (index < 0 || y0 < 0 || y1 > set.ny) {
      throw new FitsError("BAD_STRUCTURE", `has no rows ${y0}..${y1} in that image set`, { file: file.path });
    }
    const count = set.nx * (y1 - y0);
    const fd = openSync(file.path, "r");
    try {
      const pixels = (e: Extension) => {
        if ("constant" in e) return undefined;
        const size = bytesPerPixel(e.bitpix);
        return decodePixels(readBytes(fd, file.path, e.offset + y0 * set.nx * size, count * size), e.bitpix, e.scaling);
      };
      const { sci, err, dq } = file.extensions[index];
      const float = (e: Extension) => {
        const data = pixels(e);
        return data ? toFloat32(data) : new Float32Array(count).fill((e as { constant: number }).constant);
      };
      const flags = only ? undefined : pixels(dq);
      return {
        ...set,
        ny: y1 - y0,
        sci: only === "err" ? new Float32Array(0) : float(sci),
        err: only === "sci" ? new Float32Array(0) : float(err),
        dq: only
          ? new Uint16Array(0)
          : flags
            ? toDq(flags)
            : new Uint16Array(count).fill((dq as { constant: number }).constant & 0xffff),
      };
    } finally {
      closeSync(fd);
    }
  };
  const { name, pedigree, descrip, imsets } = file;
  return { name, pedigree, descrip, imsets, readRows };
}
