// The pure COS TIME-TAG steps on hand-computed cases: DEADCORR's livetime table and time steps, FLATCORR's
// rounding and origin, DQICORR's regions on events and on the image (widening rounded half to even, out of
// bounds outside the subarrays), the frequentist Poisson errors (against astropy's values) and row selection.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deadtimeCorrection, livetimeAt } from "../../../src/calib/cos/deadcorr.js";
import { DQ_PIXEL_OUT_OF_BOUNDS, dqImage, flagEvents, roundHalfEven } from "../../../src/calib/cos/dqicorr.js";
import { type CorrtagEvents, initialCorrtag } from "../../../src/calib/cos/events.js";
import { applyFlat } from "../../../src/calib/cos/flatcorr.js";
import { countImages } from "../../../src/calib/cos/images.js";
import { frequentistUpper } from "../../../src/calib/cos/poisson.js";
import { requireRows, selectRows } from "../../../src/calib/cos/table-select.js";

function events(time: number[], x: number[], y: number[]): CorrtagEvents {
  return initialCorrtag(
    { time: Float32Array.from(time), rawx: Int16Array.from(x), rawy: Int16Array.from(y) },
    "NUV",
    "t_rawtag.fits[EVENTS]",
  );
}

const ROWS = [
  { OBS_RATE: 0, LIVETIME: 1 },
  { OBS_RATE: 4, LIVETIME: 0.5 },
];

test("livetime: 1 at or below zero and below the first rate, linear between rows, the last factor above", () => {
  assert.equal(livetimeAt(-1, ROWS), 1);
  assert.equal(livetimeAt(2, ROWS), 0.75);
  assert.equal(livetimeAt(4, ROWS), 0.5);
  assert.equal(livetimeAt(9, ROWS), 0.5);
  assert.equal(livetimeAt(5, [{ OBS_RATE: 10, LIVETIME: 0.8 }]), 0.8);
});

test("DEADCORR: one factor per TIMESTEP from that step's rate; the last, shorter step by its own length", () => {
  const time = [
    ...Array.from({ length: 20 }, (_, k) => k * 0.5),
    ...Array.from({ length: 40 }, (_, k) => 10 + k * 0.25),
  ];
  const e = events(time, new Array(60).fill(5), new Array(60).fill(5));
  const result = deadtimeCorrection(e, ROWS, 10, { rate: 60 / 19.75, subarrays: false });
  // 20 events in [0, 10): 2 c/s → 0.75; 40 in [10, 19.75]: 40 / 9.75 c/s, above the table → 0.5
  assert.equal(e.epsilon[0], Math.fround(1 / 0.75));
  assert.equal(e.epsilon[19], Math.fround(1 / 0.75));
  assert.equal(e.epsilon[20], 2);
  assert.equal(e.epsilon[59], 2);
  assert.equal(result.method, "DATA");
  assert.equal(result.rate, 60 / 19.75);
  assert.ok(Math.abs(result.averageLivetime - (0.75 * 10 + 0.5 * 9.75) / 19.75) < 1e-12);
});

test("DEADCORR: with subarrays and a counter more than 10 % off, the counter's factor for every event", () => {
  const time = Array.from({ length: 60 }, (_, k) => k / 3);
  const e = events(time, new Array(60).fill(5), new Array(60).fill(5));
  const result = deadtimeCorrection(e, ROWS, 10, { rate: 0.1, subarrays: true });
  assert.equal(result.method, "MEVENTS");
  const livetime = 1 * (1 - 0.1 / 4) + 0.5 * (0.1 / 4);
  assert.equal(result.averageLivetime, livetime);
  assert.ok(e.epsilon.every((v) => v === Math.fround(1 / Math.fround(livetime))));
});

test("FLATCORR: the flat at the rounded position less the origin; off the flat or ≤ 0 leaves EPSILON alone", () => {
  const e = events([0, 1, 2, 3], [2, 0, 3, 1], [1, 1, 1, 1]);
  e.xcorr.set([1.5, 0.49, 3.2, 1.2]);
  // 3 × 2 flat whose pixel (0, 0) is detector pixel (1, 1)
  applyFlat(e, { data: Float32Array.from([2, 4, 0, 1, 1, 1]), nx: 3, ny: 2, originX: 1, originY: 1 });
  assert.deepEqual(Array.from(e.epsilon), [0.25, 1, 1, 0.5]);
});

test("DQICORR on events: a region flags the events whose rounded XCORR/YCORR fall inside it, OR-ed", () => {
  const e = events([0, 1, 2, 3], [3, 3, 2, 9], [3, 3, 3, 3]);
  e.xcorr.set([3.4, 3.5, 1.5, 9]);
  e.dq[2] = 8;
  flagEvents(e, [{ LX: 2, LY: 3, DX: 2, DY: 1, DQ: 4 }]);
  assert.deepEqual(Array.from(e.dq), [4, 0, 12, 0]);
});

test("numpy's rounding: half to even", () => {
  assert.deepEqual([-2.5, -1.5, -0.75, 0.5, 1.5, 2.5, 2.6].map(roundHalfEven), [-2, -2, -1, 0, 2, 2, 3]);
});

test("DQICORR image: regions widened (rounded half to even) and shifted by the x offset; outside the subarray 128", () => {
  const shape = { nx: 8, ny: 3, detectorX: 4, xOffset: 2 };
  const region = { LX: 1, LY: 1, DX: 1, DY: 1, DQ: 2 };
  const plain = dqImage([region], 0.25, [{ x0: 0, y0: 0, xsize: 4, ysize: 3 }], shape);
  const row = (dq: Int16Array, y: number) => Array.from(dq.subarray(y * 8, y * 8 + 8));
  const O = DQ_PIXEL_OUT_OF_BOUNDS;
  assert.deepEqual(row(plain, 0), [O, O, 0, 0, 0, 0, O, O]);
  assert.deepEqual(row(plain, 1), [O, O, 0, 2, 0, 0, O, O]);
  // widen 1.5: x from round(-0.5) = 0 to round(2.5) = 2, y from round(-0.5) = 0 to round(2.5) = 2
  const wide = dqImage([region], 1.5, [{ x0: 1, y0: 0, xsize: 2, ysize: 2 }], shape);
  assert.deepEqual(row(wide, 0), [O, O, O | 2, 2, 2, O, O, O]);
  assert.deepEqual(row(wide, 2), [O, O, O | 2, O | 2, O | 2, O, O, O]);
  // no usable subarray: the whole detector
  const none = dqImage([], 0.25, [{ x0: 0, y0: 0, xsize: 0, ysize: 0 }], shape);
  assert.deepEqual(row(none, 2), [O, O, 0, 0, 0, 0, O, O]);
});

test("frequentist upper errors equal astropy's poisson_conf_interval (sigma 1)", () => {
  const astropy: [number, number][] = [
    [0, 1.84102165],
    [1, 2.29952656],
    [2, 2.63785962],
    [10, 4.26694976],
    [100, 11.03336094],
    [1000, 32.63332347],
    [250000, 501.000666695938],
  ];
  for (const [n, err] of astropy) assert.ok(Math.abs(frequentistUpper(n) - n - err) < 1e-7 * err, `n = ${n}`);
});

test("counts and flt: serious DQ flags left out, x offset added, rates and scaled errors", () => {
  const e = events([0, 1, 2, 3], [0, 0, 0, 1], [0, 0, 0, 0]);
  e.epsilon.set([2, 2, 4, 1]);
  e.dq[2] = 2048;
  const { counts, flt } = countImages(e, 2, { nx: 3, ny: 1, xOffset: 1 });
  assert.deepEqual(Array.from(counts.sci), [0, 1, 0.5]);
  assert.deepEqual(Array.from(flt.sci), [0, 2, 0.5]);
  const err2 = Math.fround(Math.fround(frequentistUpper(2) - 2) / 2);
  assert.equal(counts.err[1], err2);
  assert.equal(flt.err[1], Math.fround(err2 * 2));
  assert.equal(counts.err[0], Math.fround(Math.fround(frequentistUpper(0)) / 2));
});

test("events outside the detector and times going backwards are refused, naming file, table and row", () => {
  assert.throws(
    () => events([0, 1], [5, 1024], [5, 5]),
    /t_rawtag\.fits\[EVENTS\]: 1 event\(s\) outside the 1024x1024 NUV detector \(first at row 2: RAWX 1024, RAWY 5\)/,
  );
  assert.throws(() => events([0, 1], [5, 5], [-1, 5]), /outside .* row 1: RAWX 5, RAWY -1/);
  assert.throws(() => events([2, 1], [5, 5], [5, 5]), /TIME decreases at row 2/);
});

test("row selection: N/A and ANY select all, a table's ANY matches; no row names table and keys", () => {
  const rows = [
    { SEGMENT: "NUVA", OPT_ELEM: "G185M", CENWAVE: 1850 },
    { SEGMENT: "ANY", OPT_ELEM: "G225M", CENWAVE: 2250 },
  ];
  assert.equal(selectRows(rows, { SEGMENT: "N/A" }).length, 2);
  assert.deepEqual(selectRows(rows, { SEGMENT: "NUVB", OPT_ELEM: "g225m" }), [rows[1]]);
  assert.throws(
    () => requireRows(rows, { OPT_ELEM: "G185M", CENWAVE: 1900 }, "DISPTAB x_disp.fits[1]", "DOPPCORR"),
    /^CalibrationError: DISPTAB x_disp\.fits\[1\]: no row for OPT_ELEM='G185M', CENWAVE=1900$/,
  );
});
