import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { test } from "node:test";
import { readSharedImageSets } from "../../src/engine/shared-image-sets.js";
import { astropyDump } from "../helpers/astropy.js";
import { HST_DATA } from "../helpers/paths.js";

const sha1 = (a: ArrayBufferView) =>
  createHash("sha1")
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest("hex");

test("reference image sets read into shared memory hold the pixels astropy reads", () => {
  const path = join(HST_DATA, "sample_ipppssoot_flt.fits");
  const seen = astropyDump([path], true)[path];
  const digest = (name: string) => seen.find((h) => h.name === name && h.ver === 1)?.data?.sha1;
  const { imsets } = readSharedImageSets(path);
  assert.equal(imsets.length, 1);
  const { set } = imsets[0];
  for (const array of [set.sci, set.err, set.dq]) assert.ok(array.buffer instanceof SharedArrayBuffer);
  assert.equal(sha1(set.sci), digest("SCI"));
  assert.equal(sha1(set.err), digest("ERR"));
  assert.equal(sha1(set.dq), digest("DQ"), "int16 DQ bytes as stored, viewed unsigned");
});

test("a raw file: unsigned SCI converted to float, constant-value ERR and DQ filled, all shared", () => {
  const path = join(HST_DATA, "j8bt06o6q_raw.fits");
  const seen = astropyDump([path], true)[path];
  const { imsets } = readSharedImageSets(path);
  const { set } = imsets[0];
  for (const array of [set.sci, set.err, set.dq]) assert.ok(array.buffer instanceof SharedArrayBuffer);
  const sci = seen.find((h) => h.name === "SCI")!;
  assert.equal(sci.data?.dtype, "u2");
  assert.equal(sha1(Uint16Array.from(set.sci)), sci.data?.sha1);
  for (const [name, array] of [
    ["ERR", set.err],
    ["DQ", set.dq],
  ] as const) {
    const card = seen.find((h) => h.name === name)!.cards.find(([key]) => key === "PIXVALUE");
    const value = card
      ? Number((card[1] as { int?: string; float?: string }).int ?? (card[1] as { float: string }).float)
      : 0;
    assert.equal(array.length, set.nx * set.ny);
    assert.ok(
      array.every((v) => v === value),
      `${name} is PIXVALUE ${value} everywhere`,
    );
  }
});
