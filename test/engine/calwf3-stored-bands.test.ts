/**
 * A stored image set changed a band of rows at a time into a new stored file (src/engine/wfc3/stored-bands.ts,
 * WF32D's path): the new file reads back as the old one changed row by row (every bit kept, NaN payloads,
 * DQ bit 16), headers and padding are copied byte for byte, the input is left as it was, a wrong-size
 * stored file is an error naming it, and a failure in a band leaves neither the output nor a temporary file.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createImageSet, type ImageSet } from "../../src/calib/common/imset.js";
import { readStoredImageSet, writeStoredImageSet } from "../../src/engine/chip-store.js";
import { rewriteStoredByBands } from "../../src/engine/wfc3/stored-bands.js";
import { FitsFile } from "../../src/fits/index.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-stored-bands-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function storedSet(nx: number, ny: number): ImageSet {
  const set = createImageSet(nx, ny, { geometry: { ltv: [-3, -8], ltm: [1, 1] }, chip: 2 });
  for (let k = 0; k < nx * ny; k++) {
    set.sci[k] = (k - 50) * 1.37;
    set.err[k] = k / 7;
    set.dq[k] = k % 3 === 0 ? 0x8000 | k : k & 0xff;
  }
  new Uint32Array(set.sci.buffer)[5] = 0x7fc00001; // NaN with a payload
  return set;
}

test("each band is read, changed in place and written where its rows lie; the rest of the file is copied", () => {
  const [nx, ny] = [9, 23];
  const like = storedSet(nx, ny);
  const input = join(dir, "in.fits");
  const output = join(dir, "out.fits");
  writeStoredImageSet(input, like);
  const before = readFileSync(input);
  const seen: [number, number][] = [];
  rewriteStoredByBands(input, output, like, 5, (band, y0) => {
    seen.push([y0, band.ny]);
    assert.equal(band.sci.length, nx * band.ny);
    for (let k = 0; k < band.sci.length; k++) {
      // each pixel must be the stored one of its row
      assert.equal(band.err[k], like.err[y0 * nx + k]);
      band.sci[k] = band.sci[k]! + y0;
      band.dq[k] = band.dq[k]! | 0x4000;
    }
  });
  assert.deepEqual(seen, [
    [0, 5],
    [5, 5],
    [10, 5],
    [15, 5],
    [20, 3],
  ]);
  assert.deepEqual(readFileSync(input), before, "the input is left as it was");
  const back = readStoredImageSet(output, like);
  for (let k = 0; k < nx * ny; k++) {
    const y0 = Math.floor(Math.floor(k / nx) / 5) * 5;
    assert.equal(back.sci[k], k === 5 ? back.sci[k] : Math.fround(like.sci[k]! + y0));
    assert.equal(back.dq[k], like.dq[k]! | 0x4000);
  }
  assert.equal(new Uint32Array(back.sci.buffer, back.sci.byteOffset, 6)[5], 0x7fc00001, "the NaN payload is kept");
  assert.deepEqual(back.err, like.err);
  // same size, and every byte outside the SCI and DQ data (headers, padding, the ERR left alone) where it was
  const after = readFileSync(output);
  assert.equal(after.length, before.length);
  const file = FitsFile.open(output);
  const changed = ["SCI", "DQ"].map((name) => {
    const hdu = file.hdu(name, 1);
    return [hdu.dataOffset, hdu.dataOffset + hdu.dataBytes];
  });
  file.close();
  const outside = (bytes: Buffer) => bytes.filter((_, i) => !changed.some(([a, b]) => i >= a! && i < b!));
  assert.deepEqual(outside(after), outside(before));
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.endsWith(".tmp")),
    [],
  );
});

test("nothing changed: the new file is byte-identical to the stored one", () => {
  const like = storedSet(13, 11);
  const input = join(dir, "same-in.fits");
  const output = join(dir, "same-out.fits");
  writeStoredImageSet(input, like);
  rewriteStoredByBands(input, output, like, 4, () => {});
  assert.deepEqual(readFileSync(output), readFileSync(input));
});

test("a stored file of another size is an error naming it; a failing band leaves no output and no temporary file", () => {
  const like = storedSet(6, 6);
  const input = join(dir, "fail-in.fits");
  writeStoredImageSet(input, like);
  assert.throws(
    () => rewriteStoredByBands(input, join(dir, "never.fits"), { nx: 6, ny: 7 }, 4, () => {}),
    (e: Error) => e.message.includes(input) && /not a stored image set of 6x7 pixels/.test(e.message),
  );
  const output = join(dir, "fail-out.fits");
  writeFileSync(join(dir, "keep.txt"), "x");
  assert.throws(
    () =>
      rewriteStoredByBands(input, output, like, 4, (_, y0) => {
        if (y0 > 0) throw new RangeError("band failed");
      }),
    // a band's own error goes on as it is (not turned into a file error)
    (e: Error) => e instanceof RangeError && e.message === "band failed",
  );
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith("fail-out") || n.includes("fail-out.fits.")),
    [],
  );
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.endsWith(".tmp")),
    [],
  );
});
