// Issue 13, case 3: 5,000 seeded mutations of real HST files and synthetic ones (bench/fits-fuzz.ts runs
// 100,000). Every input is opened, listed, summarised as `fits info` does, read HDU by HDU and verified in a
// child process: the only error allowed is a FitsError; a hang (10 s), a crash or a peak RSS over 512 MB fails
// (the fuzzing process itself takes 150 MB; 100,000 inputs peaked at 264 MB).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runFuzz } from "../helpers/fits-fuzz/driver.js";

test("5,000 mutated FITS files: FitsErrors only, no hang, no crash, bounded memory", { timeout: 120_000 }, async () => {
  const summary = await runFuzz({ seed: 13, count: 5000, inputTimeoutMs: 10_000, rssLimitMb: 512 });
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.inputs, 5000);
  const fitsErrors = Object.values(summary.fitsErrors).reduce((a, b) => a + b, 0);
  assert.equal(summary.ok + fitsErrors, 5000);
  // The mutations reach past the first checks: files that still read, and errors of many kinds.
  assert.ok(summary.ok > 500, `only ${summary.ok} inputs read cleanly`);
  assert.ok(Object.keys(summary.fitsErrors).length >= 6, JSON.stringify(summary.fitsErrors));
});
