// The FUV pieces of COS TIME-TAG processing on small hand-made event lists: numpy's float32 sum, bad-time
// intervals, the active area and PHACORR, the thermal map, the walk lookup, the airglow box.
import assert from "node:assert/strict";
import { test } from "node:test";
import { badTimeTotals, flagBadTimes, removeBadTimes } from "../../../src/calib/cos/badtcorr.js";
import { type CorrtagEvents, initialCorrtag } from "../../../src/calib/cos/events.js";
import {
  activeAreaMask,
  filterByPulseHeight,
  flagOutsideActiveArea,
  globalRate,
} from "../../../src/calib/cos/fuv-segment.js";
import { airglowRegion, inverseDispersion } from "../../../src/calib/cos/fuv-timeline.js";
import { applyThermalMaps, numpySumFloat32 } from "../../../src/calib/cos/tempcorr.js";
import { applyWalk, walkAt } from "../../../src/calib/cos/walkcorr.js";

function events(rows: [number, number, number, number][]): CorrtagEvents {
  return initialCorrtag(
    {
      time: Float32Array.from(rows, (r) => r[0]),
      rawx: Int16Array.from(rows, (r) => r[1]),
      rawy: Int16Array.from(rows, (r) => r[2]),
      pha: Uint8Array.from(rows, (r) => r[3]),
    },
    "FUV",
    "test[EVENTS]",
  );
}

test("numpy's float32 sum: pairwise within 8192-element blocks, not a sequential sum", () => {
  const a = new Float32Array(20000).map((_, i) => 1 + 1e-4 * (i % 7));
  let sequential = 0;
  for (const v of a) sequential = Math.fround(sequential + v);
  const exact = a.reduce((s, v) => s + v, 0);
  const ours = numpySumFloat32(a);
  assert.notEqual(ours, sequential, "the sequential float32 sum drifts");
  assert.ok(Math.abs(ours - exact) < Math.abs(sequential - exact));
  assert.equal(numpySumFloat32(Float32Array.from([1, 2, 3])), 6);
});

test("BADTCORR: events in an interval (ends included) are flagged, the GTI split, time and events counted", () => {
  const e = events([0, 1, 2, 3, 4, 5, 6].map((t) => [t, 2000, 500, 12]));
  flagBadTimes(e, [[2, 4]]);
  assert.deepEqual([...e.dq], [0, 0, 2048, 2048, 2048, 0, 0]);
  assert.deepEqual(removeBadTimes([[0, 10]], [[2, 4]]), {
    gti: [
      [0, 2],
      [4, 10],
    ],
    modified: true,
  });
  assert.deepEqual(removeBadTimes([[0, 10]], [[20, 30]]), { gti: [[0, 10]], modified: false });
  assert.deepEqual(
    badTimeTotals(e.time, [
      [2, 4],
      [5.5, 9],
    ]),
    { seconds: 2.5, events: 3 },
  );
});

test("PHACORR flags only events of the active area; GLOBRT counts those events", () => {
  const e = events([
    [0, 2000, 500, 1],
    [1, 2000, 500, 30],
    [2, 100, 500, 1],
    [3, 2000, 500, 12],
  ]);
  const active = activeAreaMask(e, { low: 400, high: 600, left: 1000, right: 15000 });
  assert.deepEqual([...active], [1, 1, 0, 1]);
  assert.equal(filterByPulseHeight(e, active, { low: 3, high: 23 }), 2);
  assert.deepEqual([...e.dq], [512, 512, 0, 0]);
  assert.equal(globalRate(active, 2), 1.5);
});

test("the DQ image outside the active area (Doppler range taken off its sides) is out of bounds", () => {
  const dq = new Int16Array(10 * 6);
  flagOutsideActiveArea(dq, { nx: 10, ny: 6, xOffset: 0 }, { low: 1, high: 4, left: 2, right: 7 }, { min: -1, max: 1 });
  const row = (j: number) => [...dq.slice(j * 10, j * 10 + 10)].map((v) => (v ? 1 : 0)).join("");
  assert.equal(row(0), "1111111111");
  assert.equal(row(2), "1110000111", "columns 3 … 6: A_LEFT − round(min), A_RIGHT − round(max)");
  assert.equal(row(5), "1111111111");
});

test("TEMPCORR's map is applied in single precision per interval; identity maps leave the events", () => {
  const e = events([
    [0, 1000, 500, 12],
    [1, 3000, 600, 12],
  ]);
  const maps = [{ i0: 0, i1: 1, x0: 0.5, xslope: 1.001, y0: -0.25, yslope: 0.999 }];
  assert.equal(applyThermalMaps(e, maps), true);
  assert.equal(e.xcorr[0], Math.fround(Math.fround(0.5) + Math.fround(1000 * Math.fround(1.001))));
  assert.equal(e.xcorr[1], 3000);
  assert.equal(applyThermalMaps(e, [{ i0: 0, i1: 2, x0: 0, xslope: 1, y0: 0, yslope: 1 }]), false);
});

test("the walk is read on the event's PHA row, linear along X, and taken off the active area's events", () => {
  const nx = 4;
  const image = { data: Float32Array.from([0, 1, 2, 3, 10, 20, 30, 40]), nx, ny: 2 };
  const e = events([
    [0, 1, 0, 0],
    [1, 2, 0, 1],
    [2, 3, 0, 1],
  ]);
  e.xcorr[0] = 1.5;
  assert.deepEqual([...walkAt(e, image)], [1.5, 30, 40]);
  applyWalk(e, Uint8Array.from([1, 0, 1]), walkAt(e, image));
  assert.deepEqual([...e.xcorr], [0, 2, -37]);
});

test("the airglow box: ±92 columns around the lines, ±30 rows on the spectrum; none when off the segment", () => {
  const d = { coeff: [1290, 0.01, 1e-9], delta: 0 };
  const x = inverseDispersion(d, 1304.9);
  assert.ok(Math.abs(1290 + 0.01 * x + 1e-9 * x * x - 1304.9) < 1e-9);
  const box = airglowRegion(d, { bSpec: 490, slope: 0 }, [1302.2, 1306.0], 16384, 0);
  assert.ok(box);
  assert.equal(box.y0, 460);
  assert.ok(Math.abs(box.x1 - box.x0 - (inverseDispersion(d, 1306) - inverseDispersion(d, 1302.2) + 184)) < 1e-6);
  assert.equal(airglowRegion(d, { bSpec: 490, slope: 0 }, [1215.67], 16384, 0), undefined);
});
