// TIMELINE on hand-computed cases: one row per second from the first event (float32), SHIFT1 constant,
// DARKRATE = events per second in the two background bands over their pixels.
import assert from "node:assert/strict";
import { test } from "node:test";
import { initialCorrtag } from "../../../src/calib/cos/events.js";
import { timelineColumns, timelineTimes } from "../../../src/calib/cos/timeline.js";

test("rows: first + k seconds in single precision, enough to hold the last event; one row when no span", () => {
  assert.deepEqual(Array.from(timelineTimes(0.25, 2.6)), [0.25, 1.25, 2.25]);
  assert.deepEqual(Array.from(timelineTimes(Math.fround(0.1), 1.1)), [Math.fround(0.1), Math.fround(1.1)]);
  assert.deepEqual(Array.from(timelineTimes(5, 5)), [0]);
});

test("DARKRATE counts the events of each second inside the bands, per band pixel; SHIFT1 repeated", () => {
  // bands: rows 25–55 and 945–975 (B_BKG 40 and 960, heights 30), columns 0–1024 less the shift −3.5
  const e = initialCorrtag(
    {
      time: Float32Array.from([0, 0.5, 0.7, 1.2, 1.9, 2.5]),
      rawx: Int16Array.from([10, 10, 10, 1020, 10, 10]),
      rawy: Int16Array.from([30, 500, 960, 30, 56, 55]),
    },
    "NUV",
    "t",
  );
  e.xfull[3] = 1026; // shifted by the wavecal beyond the last column
  const c = timelineColumns(e, -3.5, { bBkg1: 40, bBkg2: 960, hgt1: 30, hgt2: 30 }, 1024);
  const pixels = 1024 * 60; // columns 3.5 … 1027.5
  // second 0: rows 30 and 960 (500 is between the bands); second 1: 1026 < 1027.5 counts, row 56 is out;
  // second 2: row 55 is on the band's edge
  assert.deepEqual(
    Array.from(c.DARKRATE),
    [2, 1, 1].map((n) => Math.fround(n / pixels)),
  );
  assert.deepEqual(Array.from(c.SHIFT1), [-3.5, -3.5, -3.5]);
  assert.ok(c.LY_ALPHA.every((v) => v === 0) && c.SUN_ALT.every((v) => v === 0));
});
