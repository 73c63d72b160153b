// BRSTCORR's screening (calcos' burstFilter and ccos' burst kernels) on a hand-made event list: a steady
// background with one large burst and one small one; what is flagged and which intervals leave the GTIs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BurstParameters, DQ_BURST, findBursts } from "../../../src/calib/cos/burst.js";

const PARAMETERS: BurstParameters = {
  medianN: 10,
  deltaT: 1,
  deltaTHigh: 0.5,
  medianDt: 9,
  burstMin: 5,
  stdrej: 4,
  sourceFrac: 0.05,
  maxIter: 5,
  highRate: 1e6,
  single: true,
};
const REGIONS = { srcLow: 10, srcHigh: 20, bkg1Low: 0, bkg1High: 7, bkg2Low: 23, bkg2High: 30 };

/** 40 s: per second 50 background events (row 3) and 20 source events (row 15); extra background per `extra`. */
function events(extra: (second: number) => number) {
  const time: number[] = [];
  const y: number[] = [];
  for (let s = 0; s < 40; s++) {
    const n = 70 + extra(s);
    for (let i = 0; i < n; i++) {
      time.push(s + (i + 0.5) / n);
      y.push(i % 7 < 2 && i < 70 ? 15 : 3);
    }
  }
  return { time: Float32Array.from(time), y: Float32Array.from(y), dq: new Int16Array(time.length) };
}

test("a large burst is flagged 64 and leaves the GTIs; a small one leaves the GTIs unflagged (as calcos 3.4.7)", () => {
  const e = events((s) => (s >= 10 && s < 12 ? 2000 : s >= 25 && s < 27 ? 60 : 0));
  const bursts = findBursts(e.time, e.y, e.dq, 40, PARAMETERS, REGIONS);
  assert.ok(bursts);
  assert.equal(bursts.length, 2);
  const [[a0, a1], [b0, b1]] = bursts;
  assert.ok(a0 >= 10 && a0 < 10.02 && a1 >= 12 && a1 < 12.02, `large burst ${a0}–${a1}`);
  assert.ok(b0 >= 25 && b0 < 25.02 && b1 >= 27 && b1 < 27.02, `small burst ${b0}–${b1}`);
  for (let k = 0; k < e.time.length; k++) {
    const inLarge = e.time[k] >= a0 && e.time[k] < a1;
    assert.equal((e.dq[k] & DQ_BURST) !== 0, inLarge, `event ${k} at ${e.time[k]}`);
  }
});

test("a steady count rate has no burst; events already flagged are not counted", () => {
  const steady = events(() => 0);
  assert.equal(findBursts(steady.time, steady.y, steady.dq, 40, PARAMETERS, REGIONS), undefined);
  assert.ok(steady.dq.every((d) => d === 0));
  // the same large burst, but its events already flagged (bad time): nothing to find
  const flagged = events((s) => (s >= 10 && s < 12 ? 2000 : 0));
  for (let k = 0; k < flagged.time.length; k++) if (flagged.time[k] >= 10 && flagged.time[k] < 12) flagged.dq[k] = 2048;
  const found = findBursts(flagged.time, flagged.y, flagged.dq, 40, PARAMETERS, REGIONS);
  // the bins of the flagged events count 0: no burst there, and none around them
  assert.equal(found, undefined);
});

test("too few time bins: no screening", () => {
  const e = events(() => 0);
  const short = e.time.subarray(0, 200);
  assert.equal(findBursts(short, e.y.subarray(0, 200), e.dq.subarray(0, 200), 3, PARAMETERS, REGIONS), undefined);
});
