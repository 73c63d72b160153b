import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readImageSetFile, readRawImageSets } from "../../src/engine/imset-io.js";
import { FitsError } from "../../src/fits/index.js";
import { HST_DATA } from "../helpers/paths.js";

// A real ACS/HRC raw: uint16 SCI (BZERO 32768) of 1062 × 1044, constant-value ERR and DQ.
const RAW = join(HST_DATA, "j8bt05njq_raw.fits");
const bytes = (a: Float32Array | Uint16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

test("readRawImageSets: the SCI decoded by bands has the whole read's bits; the constant ERR is not expanded", () => {
  const whole = readImageSetFile(RAW).imsets;
  const lean = readRawImageSets(RAW);
  assert.equal(lean.length, whole.length);
  lean.forEach(({ set, errValue }, k) => {
    const expected = whole[k].set;
    assert.deepEqual([set.nx, set.ny, set.chip, set.geometry], [1062, 1044, expected.chip, expected.geometry]);
    assert.ok(set.sci.length > 1 << 20, "more pixels than one band");
    assert.ok(bytes(set.sci).equals(bytes(expected.sci)));
    assert.ok(bytes(set.dq).equals(bytes(expected.dq)));
    assert.equal(errValue, 0);
    assert.equal(set.err.length, 0);
  });
});

test("readRawImageSets: a raw cut inside its SCI data is a FitsError naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-raw-sets-"));
  try {
    const cut = join(dir, "cut_raw.fits");
    const data = readFileSync(RAW);
    writeFileSync(cut, data.subarray(0, 2880 * 80 + 1_500_000));
    assert.throws(
      () => readRawImageSets(cut),
      (e: unknown) => e instanceof FitsError && e.message.includes(cut),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
