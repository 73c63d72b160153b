import assert from "node:assert/strict";
import { test } from "node:test";
import { PARITY_CASES } from "./cases.js";
import { compareProducts, describe, withinRelative } from "./fingerprint.js";
import { recorded } from "./run-case.js";

test("a recorded fingerprint equals itself, and a changed pixel, statistic or DQ bit is reported", () => {
  const theirs = recorded(PARITY_CASES[0]).products[0];
  assert.deepEqual(compareProducts(theirs, theirs), []);
  const ours = structuredClone(theirs);
  const sci = ours.extensions.find((e) => e.extname === "SCI")!;
  const dq = ours.extensions.find((e) => e.extname === "DQ")!;
  sci.samples[7] = sci.samples[7] * 1.001 + 1;
  sci.stats!.std *= 1.01;
  dq.samples[3] ^= 8;
  dq.bits![3] += 1;
  assert.deepEqual(compareProducts(ours, theirs).map(describe), [
    `${theirs.file}[SCI,1] std: 1 of 1, largest ${sci.stats!.std - theirs.extensions[0].stats!.std}`,
    `${theirs.file}[SCI,1] sampled pixels: 1 of 300, largest ${Math.abs(sci.samples[7] - theirs.extensions[0].samples[7])}`,
    `${theirs.file}[DQ,1] DQ bit 8 count: 1 of 1, largest 1`,
    `${theirs.file}[DQ,1] sampled pixels: 1 of 300, largest 8`,
  ]);
});

test("1e-4 relative, absolute below 1", () => {
  assert.ok(withinRelative(10000.9, 10000));
  assert.ok(!withinRelative(10001.1, 10000));
  assert.ok(withinRelative(0.00009, 0));
  assert.ok(!withinRelative(0.00011, 0));
});

test("a changed, missing or extra header keyword and a changed HISTORY line are reported", () => {
  const c = PARITY_CASES.find((x) => x.headers)!;
  const theirs = recorded(c).products[0];
  assert.ok(theirs.headers && theirs.headers.length >= 4, "primary and SCI/ERR/DQ headers recorded");
  assert.deepEqual(compareProducts(theirs, theirs), []);
  const ours = structuredClone(theirs);
  const primary = ours.headers![0];
  const sci = ours.headers!.find((h) => h.hdu.startsWith("SCI,"))!;
  const name = Object.keys(primary.keywords).find((k) => typeof primary.keywords[k] === "string")!;
  primary.keywords[name] = `${primary.keywords[name]}x`;
  const number = Object.keys(sci.keywords).find((k) => typeof sci.keywords[k] === "number" && sci.keywords[k] !== 0)!;
  sci.keywords[number] = (sci.keywords[number] as number) * (1 + 1e-7); // within 1e-6: the same
  delete sci.keywords.BUNIT;
  sci.keywords.EXTRA = 1;
  primary.history[1] = "changed";
  const found = compareProducts(ours, theirs).map((d) => `${d.extname},${d.extver} ${d.what}`);
  assert.equal(found.length, 4, found.join("\n"));
  assert.match(found[0], new RegExp(`^PRIMARY,0 header ${name} = `));
  assert.match(found[1], /^PRIMARY,0 header HISTORY line 2: "changed"/);
  assert.match(found[2], /^SCI,\d+ header BUNIT = undefined/);
  assert.match(found[3], /^SCI,\d+ header EXTRA only in ours$/);
});
