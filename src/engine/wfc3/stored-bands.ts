/**
 * An image set of the chip store (chip-store.ts: float32 SCI and ERR, int16 DQ) changed a band of rows at a
 * time into a new stored file: WF32D of a full-frame UVIS chip holds 128 rows of its three planes (5 MB)
 * instead of all 84 MB. The new file has the layout of the old one (headers and padding copied, the data
 * written where it lies), under a temporary name renamed at the end.
 */
import { closeSync, ftruncateSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { dqView, type ImageSet } from "../../calib/common/imset.js";
import { type Bitpix, decodePixels, encodePixels, FitsError, FitsFile } from "../../fits/index.js";

/** Rows of a band: 128 rows of a full-frame UVIS chip's SCI, ERR and DQ are 5 MB. */
export const STORED_BAND_ROWS = 128;

const NO_SCALING = { bscale: 1, bzero: 0 };

interface Plane {
  name: "SCI" | "ERR" | "DQ";
  bitpix: Bitpix;
  offset: number;
}

/** The pixels of a band: rows [y0, y0 + ny) of the stored image set. */
export type BandPixels = Pick<ImageSet, "sci" | "err" | "dq" | "ny">;

function planesOf(path: string, nx: number, ny: number): { planes: Plane[]; size: number } {
  const file = FitsFile.open(path);
  try {
    const planes = (["SCI", "ERR", "DQ"] as const).map((name) => {
      const hdu = file.hdu(name, 1);
      const bitpix: Bitpix = name === "DQ" ? 16 : -32;
      if (hdu.bitpix !== bitpix || hdu.dataBytes !== (Math.abs(bitpix) / 8) * nx * ny) {
        throw new FitsError("BAD_STRUCTURE", `is not a stored image set of ${nx}x${ny} pixels (${name})`, {
          file: path,
        });
      }
      return { name, bitpix, offset: hdu.dataOffset };
    });
    return { planes, size: statSync(path).size };
  } finally {
    file.close();
  }
}

function readFully(fd: number, path: string, bytes: Uint8Array, at: number): void {
  for (let done = 0; done < bytes.length; ) {
    const read = readSync(fd, bytes, done, bytes.length - done, at + done);
    if (read === 0) throw new FitsError("TRUNCATED", "file ends inside the data", { file: path });
    done += read;
  }
}

function writeFully(fd: number, bytes: Uint8Array, at: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
}

/** Copies every byte of `from` outside the planes' data (headers, padding) to the same place in `to`. */
function copyOutsideData(
  from: number,
  path: string,
  to: number,
  planes: Plane[],
  nx: number,
  ny: number,
  size: number,
) {
  let at = 0;
  for (const p of [...planes].sort((a, b) => a.offset - b.offset)) {
    const bytes = new Uint8Array(p.offset - at);
    readFully(from, path, bytes, at);
    writeFully(to, bytes, at);
    at = p.offset + (Math.abs(p.bitpix) / 8) * nx * ny;
  }
  const tail = new Uint8Array(size - at);
  readFully(from, path, tail, at);
  writeFully(to, tail, at);
}

/**
 * Reads the image set of `like`'s size stored at `input` a band of `rows` rows at a time, from the first
 * row, hands each to `visit` (which changes it in place) and writes it to `output`.
 */
export function rewriteStoredByBands(
  input: string,
  output: string,
  like: Pick<ImageSet, "nx" | "ny">,
  rows: number,
  visit: (pixels: BandPixels, y0: number) => void,
): void {
  const { nx, ny } = like;
  const { planes, size } = planesOf(input, nx, ny);
  const temp = join(
    dirname(output),
    `.${basename(output)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  const from = openSync(input, "r");
  let to: number | undefined;
  try {
    to = openSync(temp, "wx");
    ftruncateSync(to, size);
    copyOutsideData(from, input, to, planes, nx, ny, size);
    const buffers = planes.map((p) => new Uint8Array((Math.abs(p.bitpix) / 8) * nx * Math.min(rows, ny)));
    const encoded = planes.map((_, n) => new Uint8Array(buffers[n]!.length));
    for (let y0 = 0; y0 < ny; y0 += rows) {
      const n = Math.min(rows, ny - y0);
      const data = planes.map((p, k) => {
        const bytes = buffers[k]!.subarray(0, (Math.abs(p.bitpix) / 8) * nx * n);
        readFully(from, input, bytes, p.offset + (bytes.length / n) * y0);
        return decodePixels(bytes, p.bitpix, NO_SCALING);
      });
      const [sci, err, dq] = data as [Float32Array, Float32Array, Int16Array];
      visit({ sci, err, dq: dqView(dq), ny: n }, y0);
      planes.forEach((p, k) => {
        const out = encoded[k]!;
        encodePixels(data[k]!, 0, nx * n, out);
        const bytes = out.subarray(0, data[k]!.byteLength);
        writeFully(to!, bytes, p.offset + (bytes.length / n) * y0);
      });
    }
    closeSync(to);
    to = undefined;
    renameSync(temp, output);
  } catch (e) {
    if (to !== undefined) closeSync(to);
    rmSync(temp, { force: true });
    // a file-system error names the file; a step's own error (a band's calibration) goes on as it is
    if (!(e instanceof Error && "syscall" in e)) throw e;
    throw new FitsError("IO", `cannot write the stored image set: ${e.message}`, { file: output });
  } finally {
    closeSync(from);
  }
}
