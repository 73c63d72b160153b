/**
 * A rejection member's rows read from its image set in the chip store (chip-store.ts), as hstcal's acsrej/wf3rej
 * read their inputs line by line: SCI and DQ a band of rows at a time (64 rows, or the band asked for when
 * larger), and the CR flags written back into the stored DQ in place, a band of rows at a time. The rejection then
 * holds a few rows of each member instead of its whole SCI and DQ (6 bytes a pixel per member).
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { dqView, type ImageSet } from "../calib/common/imset.js";
import { MEMBER_BAND_ROWS, type MemberBand, type MemberRows } from "../calib/common/member-rows.js";
import { decodePixels, encodePixels, FitsError, FitsFile } from "../fits/index.js";

const NO_SCALING = { bscale: 1, bzero: 0 };

/** Where the SCI (float32) and DQ (int16) data of a stored image set of nx × ny pixels start. */
function planeOffsets(path: string, nx: number, ny: number): { sci: number; dq: number } {
  const file = FitsFile.open(path);
  try {
    const [sci, dq] = (["SCI", "DQ"] as const).map((name) => {
      const hdu = file.hdu(name, 1);
      const bitpix = name === "DQ" ? 16 : -32;
      if (hdu.bitpix !== bitpix || hdu.dataBytes !== (Math.abs(bitpix) / 8) * nx * ny) {
        throw new FitsError("BAD_STRUCTURE", `is not a stored image set of ${nx}x${ny} pixels (${name})`, {
          file: path,
        });
      }
      return hdu.dataOffset;
    });
    return { sci: sci!, dq: dq! };
  } finally {
    file.close();
  }
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

  function read(y0: number, y1: number): void {
    const sciBytes = new Uint8Array(4 * nx * (y1 - y0));
    const dqBytes = new Uint8Array(2 * nx * (y1 - y0));
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
      const start = at.dq + 2 * nx * pending.y0;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, start + done);
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
