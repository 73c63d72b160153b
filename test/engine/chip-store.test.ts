/**
 * The chip store (src/engine/chip-store.ts), where ACS and UVIS image sets wait between phases: every bit of
 * SCI, ERR and DQ comes back (NaN payloads, −0, infinities, subnormals, DQ bits 15 and 16), a product written
 * from stored image sets is byte-identical to one written from memory, a damaged stored file is an error
 * naming it, and a program run leaves no store folder behind, after success or failure.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { createImageSet, type ImageSet } from "../../src/calib/common/imset.js";
import {
  ChipStore,
  loadIfStored,
  readStoredImageSet,
  rewriteStoredDq,
  storedErrRows,
  storeIfAsked,
  writeStoredImageSet,
} from "../../src/engine/chip-store.js";
import { type ImageSetFile, loadStoredImageSets, writeImageSets } from "../../src/engine/imset-io.js";
import { type DetectorProgram, type Exposure, runProgram } from "../../src/engine/program-run.js";
import { FitsFile, FitsWriter, Header } from "../../src/fits/index.js";

function bitsOf(array: Float32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** A 7×5 image set whose pixels hold the values a float round trip could lose. */
function awkwardSet(): ImageSet {
  const set = createImageSet(7, 5, { geometry: { ltv: [-3, 0], ltm: [0.5, 0.5] }, chip: 2 });
  const bits = new Uint32Array(set.sci.buffer);
  for (let i = 0; i < set.sci.length; i++) set.sci[i] = (i - 17) * 1.37e3;
  bits[0] = 0x7fc00001; // quiet NaN with a payload
  bits[1] = 0xffa00000; // signalling NaN, sign bit set
  bits[2] = 0x80000000; // −0
  bits[3] = 0x00000001; // smallest subnormal
  set.sci[4] = Infinity;
  set.sci[5] = -Infinity;
  set.err.fill(0.05);
  set.err[6] = -0;
  for (let i = 0; i < set.dq.length; i++) set.dq[i] = (i * 4099) & 0xffff;
  set.dq[0] = 0x8000;
  set.dq[1] = 0xffff;
  return set;
}

test("an image set comes back from the store bit for bit, with the size, geometry and chip it is read with", () => {
  const dir = mkdtempSync(join(tmpdir(), "chip-store-"));
  try {
    const store = new ChipStore(dir);
    const set = awkwardSet();
    const path = store.path("j8cb01a1q_blv_tmp_2");
    writeStoredImageSet(path, set);
    assert.deepEqual(readdirSync(store.dir), ["j8cb01a1q_blv_tmp_2.fits"], "no temporary file is left");
    const back = readStoredImageSet(path, { ...set, sci: new Float32Array(0) });
    assert.deepEqual(bitsOf(back.sci), bitsOf(set.sci));
    assert.deepEqual(bitsOf(back.err), bitsOf(set.err));
    assert.deepEqual(bitsOf(back.dq), bitsOf(set.dq));
    assert.deepEqual([back.nx, back.ny, back.chip, back.geometry], [7, 5, 2, set.geometry]);
    // a plain FITS file: SCI, ERR, DQ image extensions of full arrays
    const file = FitsFile.open(path);
    assert.deepEqual(
      file.hdus.slice(1).map((h) => [h.name, h.bitpix, h.axes]),
      [
        ["SCI", -32, [7, 5]],
        ["ERR", -32, [7, 5]],
        ["DQ", 16, [7, 5]],
      ],
    );
    file.close();
    store.remove();
    assert.deepEqual(readdirSync(dir), [], "remove() takes the folder away");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("storeIfAsked hands back an image set without pixels; loadIfStored reads them back", () => {
  const dir = mkdtempSync(join(tmpdir(), "chip-store-"));
  try {
    const store = new ChipStore(dir);
    const set = awkwardSet();
    assert.equal(storeIfAsked(set, undefined), set, "nothing is stored unless asked");
    const path = store.path("a");
    const kept = storeIfAsked(set, path);
    assert.deepEqual([kept.sci.length, kept.err.length, kept.dq.length], [0, 0, 0]);
    assert.deepEqual([kept.nx, kept.ny, kept.chip], [7, 5, 2]);
    assert.deepEqual(bitsOf(loadIfStored(kept, path).sci), bitsOf(set.sci));
    assert.equal(loadIfStored(set, undefined), set);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a product written from stored image sets is byte-identical to the one written from memory", () => {
  const dir = mkdtempSync(join(tmpdir(), "chip-store-"));
  try {
    const store = new ChipStore(dir);
    const sets = [awkwardSet(), awkwardSet()];
    sets[1].sci.fill(3.5);
    sets[1].dq.fill(0); // constant DQ: written as a constant-value extension either way
    const file = (stored: boolean): ImageSetFile => ({
      primary: new Header().set("ROOTNAME", "j8cb01a1q"),
      imsets: sets.map((set, k) => {
        const ext = (name: string) => new Header().set("EXTNAME", name).set("EXTVER", k + 1);
        const path = stored ? store.path(`s${k}`) : undefined;
        return {
          ver: k + 1,
          set: storeIfAsked(set, path),
          stored: path,
          sci: ext("SCI"),
          err: ext("ERR"),
          dq: ext("DQ"),
        };
      }),
    });
    writeImageSets(join(dir, "memory_flt.fits"), file(false));
    const fromStore = file(true);
    writeImageSets(join(dir, "store_flt.fits"), fromStore);
    assert.deepEqual(readFileSync(join(dir, "store_flt.fits")), readFileSync(join(dir, "memory_flt.fits")));
    loadStoredImageSets(fromStore);
    assert.equal(fromStore.imsets[0].stored, undefined);
    assert.deepEqual(bitsOf(fromStore.imsets[0].set.sci), bitsOf(sets[0].sci));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("rewriteStoredDq replaces the DQ in place, bit for bit, and leaves SCI and ERR as they were; ERR can be left unread", () => {
  const dir = mkdtempSync(join(tmpdir(), "chip-store-"));
  try {
    const store = new ChipStore(dir);
    const set = awkwardSet();
    const path = store.path("uvis_blv_tmp_1");
    writeStoredImageSet(path, set);
    const before = readFileSync(path);
    const flags = Uint16Array.from(set.dq, (v, i) => (v ^ (i * 8191)) & 0xffff);
    flags[2] = 0x8000;
    flags[3] = 0xffff;
    rewriteStoredDq(path, flags);
    const back = readStoredImageSet(path, set);
    assert.deepEqual(bitsOf(back.dq), bitsOf(flags));
    assert.deepEqual(bitsOf(back.sci), bitsOf(set.sci));
    assert.deepEqual(bitsOf(back.err), bitsOf(set.err));
    const after = readFileSync(path);
    assert.equal(after.length, before.length, "the file keeps its size");
    const dqAt = FitsFile.open(path);
    const offset = dqAt.hdu("DQ", 1).dataOffset;
    dqAt.close();
    assert.deepEqual(after.subarray(0, offset), before.subarray(0, offset), "headers, SCI and ERR bytes unchanged");
    assert.deepEqual(readdirSync(store.dir), ["uvis_blv_tmp_1.fits"], "no other file is made");
    const noErr = readStoredImageSet(path, set, { err: false });
    assert.equal(noErr.err.length, 0);
    assert.deepEqual(bitsOf(noErr.sci), bitsOf(set.sci));
    assert.deepEqual(bitsOf(noErr.dq), bitsOf(flags));
    assert.throws(
      () => rewriteStoredDq(path, new Uint16Array(set.dq.length + 1)),
      (e: Error) => e.message.includes(path) && /int16 DQ of 36 pixels/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("storedErrRows reads the stored ERR a row at a time, bit for bit, in any order and across its bands", () => {
  const dir = mkdtempSync(join(tmpdir(), "chip-store-"));
  try {
    const store = new ChipStore(dir);
    const tall = createImageSet(3, 150, { chip: 1 });
    for (let k = 0; k < tall.err.length; k++) tall.err[k] = Math.fround(k * 0.37 - 40);
    new Uint32Array(tall.err.buffer)[4] = 0x7fc00001; // a NaN payload survives
    const path = store.path("acs_blv_tmp_1");
    writeStoredImageSet(path, tall);
    const rowOf = storedErrRows(path, tall);
    for (const y of [0, 1, 63, 64, 65, 149, 2, 100]) {
      assert.deepEqual(bitsOf(rowOf(y)), bitsOf(tall.err.subarray(3 * y, 3 * y + 3)), `row ${y}`);
    }
    const sdq = store.path("dq_only");
    const writer = new FitsWriter(sdq);
    writer.writeImage(new Header());
    writer.writeImage(new Header().set("EXTNAME", "ERR").set("EXTVER", 1), new Int16Array(450), [3, 150]);
    writer.close();
    assert.throws(
      () => storedErrRows(sdq, tall),
      (e: Error) => e.message.includes("dq_only.fits") && /no float32 ERR of 3x150/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a damaged or foreign stored file is an error naming it", () => {
  const dir = mkdtempSync(join(tmpdir(), "chip-store-"));
  try {
    const store = new ChipStore(dir);
    const set = awkwardSet();
    const path = store.path("cut");
    writeStoredImageSet(path, set);
    truncateSync(path, 4000);
    assert.throws(
      () => readStoredImageSet(path, set),
      (e: Error) => e.message.includes("cut.fits"),
    );
    const foreign = store.path("foreign");
    const writer = new FitsWriter(foreign);
    writer.writeImage(new Header());
    for (const name of ["SCI", "ERR", "DQ"]) {
      writer.writeImage(new Header().set("EXTNAME", name).set("EXTVER", 1), new Float64Array(35), [7, 5]);
    }
    writer.close();
    assert.throws(
      () => readStoredImageSet(foreign, set),
      (e: Error) => e.message.includes("foreign.fits") && e.message.includes("not a stored image set"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a program run removes its chip store, after success and after a failing phase", async () => {
  for (const fail of [false, true]) {
    const dir = mkdtempSync(join(tmpdir(), "chip-store-run-"));
    try {
      const raw = new FitsWriter(join(dir, "j8cb01a1q_raw.fits"));
      raw.writeImage(new Header().set("INSTRUME", "ACS").set("DETECTOR", "WFC"));
      raw.close();
      let storeDir = "";
      const program: DetectorProgram<Exposure> = {
        accepts: () => true,
        prepare: (root) => ({ root, trailer: [] }),
        workers: () => 1,
        phases: [
          {
            name: "KEEP",
            run: async (_run, ctx) => {
              writeStoredImageSet(ctx.store.path("j8cb01a1q_blv_tmp_1"), awkwardSet());
              storeDir = ctx.store.dir;
              assert.equal(readdirSync(storeDir).length, 1);
              if (fail) throw new CalibrationError("CAL_STEP_NOT_DONE", "failed on purpose");
            },
          },
        ],
      };
      const run = runProgram({ name: "test", instrument: "ACS", calVer: "test", detectors: [program] }, ["j8cb01a1q"], {
        dir,
        env: {},
        log: () => {},
        workers: 1,
      });
      if (fail) await assert.rejects(run, /failed on purpose/);
      else await run;
      assert.ok(storeDir.startsWith(join(dir, ".caldp-chips-")), storeDir);
      assert.ok(!readdirSync(dir).some((f) => f.startsWith(".caldp-chips-")), `fail=${fail}: ${readdirSync(dir)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
