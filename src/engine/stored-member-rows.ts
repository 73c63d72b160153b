/**
 * A rejection member's rows read from its image set in the chip store (chip-store.ts), as hstcal's acsrej/wf3rej
 * read their inputs line by line: SCI and DQ a band of rows at a time (64 rows, or the band asked for when
 * larger), and the CR flags written back into the stored DQ in place, a band of rows at a time. The rejection then
 * holds a few rows of each member instead of its whole SCI and DQ (6 bytes a pixel per member). The product goes
 * to the store the same way, a band of rows at a time (`storedProductRows`).
 */
import { closeSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { dqView, type ImageSet } from "../calib/common/imset.js";
import { MEMBER_BAND_ROWS, type MemberBand, type MemberRows, type ProductRows } from "../calib/common/member-rows.js";
import { decodePixels, encodePixels, FitsError, FitsFile, FitsWriter, Header } from "../fits/index.js";

const NO_SCALING = { bscale: 1, bzero: 0 };

/** Where the SCI (float32) and DQ (int16) data of a stored image set of nx × ny pixels start. */
function planeOffsets(path: string, nx: number, ny: number): { sci: number; err: number; dq: number } {
  const file = FitsFile.open(path);
  try {
    const [sci, err, dq] = (["SCI", "ERR", "DQ"] as const).map((name) => {
      const hdu = file.hdu(name, 1);
      const bitpix = name === "DQ" ? 16 : -32;
      if (hdu.bitpix !== bitpix || hdu.dataBytes !== (Math.abs(bitpix) / 8) * nx * ny) {
        throw new FitsError("BAD_STRUCTURE", `is not a stored image set of ${nx}x${ny} pixels (${name})`, {
          file: path,
        });
      }
      return hdu.dataOffset;
    });
    return { sci: sci!, err: err!, dq: dq! };
  } finally {
    file.close();
  }
}

function writeAt(fd: number, bytes: Uint8Array, at: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
}

function readAt(fd: number, path: string, bytes: Uint8Array, at: number): void {
  for (let done = 0; done < bytes.length; ) {
    const read = readSync(fd, bytes, done, bytes.length - done, at + done);
    if (read === 0) throw new FitsError("TRUNCATED", "file ends inside the data", { file: path });
    done += read;
  }
}

/** The rows of the image set of `like`'s size stored at `path`. */
export function storedMemberRows(path: string, like: Pick<ImageSet, "nx" | "ny">): MemberRows {
  const { nx, ny } = like;
  const at = planeOffsets(path, nx, ny);
  let cache: MemberBand & { y0: number; y1: number } = {
    y0: 0,
    y1: 0,
    sci: new Float32Array(0),
    dq: new Uint16Array(0),
  };
  const pending = { y0: 0, rows: 0, dq: new Int16Array(nx * MEMBER_BAND_ROWS) };
  const encoded = new Uint8Array(2 * nx * MEMBER_BAND_ROWS);

  // a band's bytes are decoded in place: the buffers of the usual band size are reused (no garbage per band)
  const buffers = { sci: new Uint8Array(4 * nx * MEMBER_BAND_ROWS), dq: new Uint8Array(2 * nx * MEMBER_BAND_ROWS) };

  function read(y0: number, y1: number): void {
    const rows = y1 - y0;
    const reuse = rows <= MEMBER_BAND_ROWS;
    const sciBytes = reuse ? buffers.sci.subarray(0, 4 * nx * rows) : new Uint8Array(4 * nx * rows);
    const dqBytes = reuse ? buffers.dq.subarray(0, 2 * nx * rows) : new Uint8Array(2 * nx * rows);
    const fd = openSync(path, "r");
    try {
      readAt(fd, path, sciBytes, at.sci + 4 * nx * y0);
      readAt(fd, path, dqBytes, at.dq + 2 * nx * y0);
    } finally {
      closeSync(fd);
    }
    const sci = decodePixels(sciBytes, -32, NO_SCALING) as Float32Array;
    const dq = dqView(decodePixels(dqBytes, 16, NO_SCALING) as Int16Array);
    cache = { y0, y1, sci, dq };
  }

  function writePending(): void {
    if (pending.rows === 0) return;
    const count = nx * pending.rows;
    encodePixels(pending.dq, 0, count, encoded);
    const bytes = encoded.subarray(0, 2 * count);
    const fd = openSync(path, "r+");
    try {
      writeAt(fd, bytes, at.dq + 2 * nx * pending.y0);
    } catch (e) {
      throw new FitsError("IO", `cannot write the CR flags into the stored image set: ${(e as Error).message}`, {
        file: path,
      });
    } finally {
      closeSync(fd);
    }
    pending.rows = 0;
  }

  return {
    band(y0, rows) {
      if (y0 < 0 || rows < 1 || y0 + rows > ny)
        throw new RangeError(`rows ${y0}..${y0 + rows - 1} outside 0..${ny - 1}`);
      if (y0 < cache.y0 || y0 + rows > cache.y1) read(y0, Math.min(ny, y0 + Math.max(rows, MEMBER_BAND_ROWS)));
      const from = (y0 - cache.y0) * nx;
      return { sci: cache.sci.subarray(from, from + rows * nx), dq: cache.dq.subarray(from, from + rows * nx) };
    },
    putDq(y, row) {
      if (pending.rows > 0 && y !== pending.y0 + pending.rows) writePending();
      if (pending.rows === 0) pending.y0 = y;
      pending.dq.set(row, pending.rows * nx);
      pending.rows++;
      // a later read of the row from the cache sees what is now in the file
      if (y >= cache.y0 && y < cache.y1) cache.dq.set(row, (y - cache.y0) * nx);
      if (pending.rows === MEMBER_BAND_ROWS) writePending();
    },
    flush: writePending,
  };
}

/** An image extension of nx × ny zeros, written in chunks (no whole plane in memory). */
function zeroPlane(writer: FitsWriter, name: string, bitpix: -32 | 16, nx: number, ny: number): void {
  const header = new Header()
    .set("XTENSION", "IMAGE")
    .set("BITPIX", bitpix)
    .set("NAXIS", 2)
    .set("NAXIS1", nx)
    .set("NAXIS2", ny)
    .set("PCOUNT", 0)
    .set("GCOUNT", 1)
    .set("EXTNAME", name)
    .set("EXTVER", 1);
  const bytes = (Math.abs(bitpix) / 8) * nx * ny;
  const zeros = new Uint8Array(Math.min(bytes, 1 << 22));
  writer.writeRaw(header, bytes, (emit) => {
    for (let done = 0; done < bytes; done += zeros.length)
      emit(zeros.subarray(0, Math.min(zeros.length, bytes - done)));
  });
}

/**
 * A product image set of `like`'s size stored at `path`, written a band of rows at a time: made (of zeros, under
 * a hidden name) at the first row, renamed to `path` by `finish`.
 */
export function storedProductRows(path: string, like: Pick<ImageSet, "nx" | "ny">): ProductRows {
  const { nx, ny } = like;
  const temp = join(dirname(path), `.${basename(path)}.rows-${process.pid}`);
  const band = {
    y0: 0,
    rows: 0,
    sci: new Float32Array(nx * MEMBER_BAND_ROWS),
    err: new Float32Array(nx * MEMBER_BAND_ROWS),
    dq: new Int16Array(nx * MEMBER_BAND_ROWS),
  };
  const encoded = new Uint8Array(4 * nx * MEMBER_BAND_ROWS);
  let at: { sci: number; err: number; dq: number } | undefined;

  function create(): { sci: number; err: number; dq: number } {
    const writer = new FitsWriter(temp, { checksum: false });
    try {
      writer.writeImage(new Header());
      zeroPlane(writer, "SCI", -32, nx, ny);
      zeroPlane(writer, "ERR", -32, nx, ny);
      zeroPlane(writer, "DQ", 16, nx, ny);
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
    return planeOffsets(temp, nx, ny);
  }

  function writeBand(): void {
    if (band.rows === 0) return;
    at ??= create();
    const fd = openSync(temp, "r+");
    try {
      for (const [data, offset] of [
        [band.sci, at.sci],
        [band.err, at.err],
        [band.dq, at.dq],
      ] as const) {
        const count = nx * band.rows;
        encodePixels(data, 0, count, encoded);
        writeAt(
          fd,
          encoded.subarray(0, data.BYTES_PER_ELEMENT * count),
          offset + data.BYTES_PER_ELEMENT * nx * band.y0,
        );
      }
    } catch (e) {
      throw new FitsError("IO", `cannot write the product's rows: ${(e as Error).message}`, { file: path });
    } finally {
      closeSync(fd);
    }
    band.y0 += band.rows;
    band.rows = 0;
  }

  return {
    put(y, sci, err, dq) {
      if (y !== band.y0 + band.rows) throw new RangeError(`row ${y} put after row ${band.y0 + band.rows - 1}`);
      band.sci.set(sci, band.rows * nx);
      band.err.set(err, band.rows * nx);
      band.dq.set(new Int16Array(dq.buffer, dq.byteOffset, dq.length), band.rows * nx);
      band.rows++;
      if (band.rows === MEMBER_BAND_ROWS) writeBand();
    },
    finish() {
      const rows = band.y0 + band.rows;
      if (rows !== ny) throw new RangeError(`the product has ${rows} of its ${ny} rows`);
      writeBand();
      renameSync(temp, path);
    },
  };
}
