// Issue 13, case 3: HDUs beyond 2 GiB. Sparse files (ftruncate) stand for the gigabytes, so nothing big is
// written: the extension after a 2 GiB primary is found and read at its 64-bit offset, `fits verify` no longer
// fails with a RangeError, and an HDU too large for a buffer is a FitsError naming it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { freemem, tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsError, FitsFile, FitsWriter, Header, MAX_BUFFER_BYTES, paddedSize } from "../../src/fits/index.js";
import { headerBytes } from "../fits/handmade.js";
import { TSX } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-faults-fits-large-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SCI = Int16Array.from([1, 2, 3, -4, 5, 6]);

/** The bytes of an SCI image extension with CHECKSUM and DATASUM, as our writer makes it. */
function sciExtension(): Buffer {
  const path = join(dir, "sci-source.fits");
  const w = new FitsWriter(path);
  w.writeImage(new Header());
  w.writeImage(new Header().set("EXTNAME", "SCI"), SCI, [3, 2]);
  w.close();
  const file = FitsFile.open(path);
  const start = file.hdus[1].headerOffset;
  file.close();
  return readFileSync(path).subarray(start);
}

/** A primary declaring `axes` of BITPIX pixels (a hole in the file), then the SCI extension. */
function sparseFile(name: string, bitpix: number, axes: number[]): { path: string; sciOffset: number } {
  const path = join(dir, name);
  const header = headerBytes([
    ["SIMPLE", "T"],
    ["BITPIX", String(bitpix)],
    ["NAXIS", String(axes.length)],
    ...axes.map((n, i): [string, string] => [`NAXIS${i + 1}`, String(n)]),
    ["EXTEND", "T"],
  ]);
  writeFileSync(path, header);
  const dataBytes = axes.reduce((a, b) => a * b, Math.abs(bitpix) / 8);
  const sciOffset = header.length + paddedSize(dataBytes);
  truncateSync(path, sciOffset);
  appendFileSync(path, sciExtension());
  return { path, sciOffset };
}

function fitsCli(...args: string[]) {
  const cli = join(REPO, "src", "cli", "caldp.ts");
  return spawnSync(process.execPath, ["--import", TSX, cli, "fits", ...args], { encoding: "utf8", timeout: 60_000 });
}

test("an extension after a 2 GiB primary is read at its 64-bit offset, and verify checks it", () => {
  const { path, sciOffset } = sparseFile("over-2gib.fits", 8, [65536, 32769]);
  assert.ok(sciOffset > 2 ** 31);
  const file = FitsFile.open(path);
  try {
    assert.equal(file.hdus.length, 2);
    const sci = file.hdu("SCI");
    assert.equal(sci.headerOffset, sciOffset);
    assert.deepEqual(Array.from(file.readImage(sci).data as Float32Array), Array.from(SCI));
    assert.deepEqual(file.verifyChecksums(sci), { datasum: true, checksum: true });
    assert.deepEqual(file.readBytes(2 ** 31 + 2880, 16), new Uint8Array(16));
  } finally {
    file.close();
  }
  // Before: "The value of "length" is out of range … Received -2147417536" (one 2 GiB read of the primary).
  const verify = fitsCli("verify", path);
  assert.equal(verify.stdout.split("\n")[0], `${path}: OK`, verify.stderr);
  assert.equal(verify.status, 0);
  const info = fitsCli("info", path);
  assert.match(info.stdout, /\(65536, 32769\)\s+uint8/);
  assert.match(info.stdout, /SCI\s+1 ImageHDU\s+\d+\s+\(3, 2\)\s+int16/);
});

test("an HDU larger than a buffer can hold: TOO_LARGE naming file and HDU; the rest of the file still reads", () => {
  const { path } = sparseFile("over-4gib.fits", -64, [32768, 32768]);
  const file = FitsFile.open(path);
  try {
    assert.ok(file.hdus[0].dataBytes > MAX_BUFFER_BYTES);
    assert.throws(
      () => file.readImage(0),
      (e: unknown) =>
        e instanceof FitsError &&
        e.code === "TOO_LARGE" &&
        e.location.file === path &&
        e.location.hdu === 0 &&
        /8589934592 bytes at byte 2880 are more than a buffer holds/.test(e.message),
    );
    assert.deepEqual(Array.from(file.readImage("SCI").data as Float32Array), Array.from(SCI));
  } finally {
    file.close();
  }
});

test("the 2 GiB primary itself reads whole (readSync takes 32-bit lengths: it is read in pieces)", {
  skip: freemem() < 6 * 1024 ** 3 ? "needs 6 GiB of free memory" : false,
}, () => {
  const { path } = sparseFile("read-2gib.fits", 8, [65536, 32769]);
  // Marks on both sides of a 1 GiB piece boundary and at the end of the data (the primary header is one block).
  const fd = openSync(path, "r+");
  const marks: [number, number][] = [
    [2 ** 30 - 1, 1],
    [2 ** 30, 2],
    [2 ** 31, 42],
    [65536 * 32769 - 1, 7],
  ];
  for (const [at, value] of marks) writeSync(fd, Uint8Array.of(value), 0, 1, 2880 + at);
  closeSync(fd);
  // In a child, so that the 2 GiB are given back at once.
  const script = `
      import { FitsFile } from ${JSON.stringify(join(REPO, "src", "fits", "index.ts"))};
      const file = FitsFile.open(process.argv[1]);
      const data = file.readImage(0).data;
      const marks = [0, 2 ** 30 - 1, 2 ** 30, 2 ** 31, data.length - 1].map((i) => data[i]);
      console.log(JSON.stringify({ length: data.length, marks }));
    `;
  const r = spawnSync(process.execPath, ["--import", TSX, "--input-type=module", "-e", script, path], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { length: 65536 * 32769, marks: [0, 1, 2, 42, 7] });
});
