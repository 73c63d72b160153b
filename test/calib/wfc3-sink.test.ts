/**
 * UVIS sink pixels on small hand-made columns (calibration.md §4; hstcal wf3ccd/sink.c): the turn-on date
 * against EXPSTART, the -1 below a sink, the trail rule (flag where SCI(sink) <= value, skip where it is
 * above, stop at a value that truncates to 0 or lies outside 0..1000), the row direction of imset 1 and 2
 * (RAZ), and a subarray embedded in the full chip at hstcal's offsets.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { createImageSet, type ImageSet } from "../../src/calib/common/imset.js";
import { flagSinkPixels, sinkPlacement } from "../../src/calib/wfc3/uvis-sink.js";

const TRAP = 1024;
const DOWN = { x0: 0, y0: 0, flipRows: false };

/** A one-column image (rows bottom to top) with the given SCI values. */
function column(sci: number[]): ImageSet {
  return createImageSet(1, sci.length, { sci: Float32Array.from(sci) });
}

function map(values: number[], nx = 1): ImageSet {
  return createImageSet(nx, values.length / nx, { sci: Float32Array.from(values) });
}

const flaggedRows = (set: ImageSet) => [...set.dq.keys()].filter((k) => (set.dq[k] & TRAP) !== 0);

test("sink: flagged only when it turned on before EXPSTART, and only dates above 50000 count", () => {
  const m = map([0, 56000, 0, 40000, 0]);
  for (const [expstart, expected] of [
    [56500, [1]],
    [56000, []],
    [55900, []],
  ] as const) {
    const set = column([5, 5, 5, 5, 5]);
    const n = flagSinkPixels(set, m, expstart, DOWN);
    assert.deepEqual(flaggedRows(set), expected, `EXPSTART ${expstart}`);
    assert.equal(n, expected.length);
  }
});

test("sink: the pixel below is flagged when its map value is negative, none below row 0", () => {
  const set = column([5, 5, 5, 5, 5, 5]);
  flagSinkPixels(set, map([56000, 0, -1, 56000, -0.5, 56000]), 57000, DOWN);
  // row 0 (no row below), row 2 (-1 under the sink of row 3), row 4 (-0.5 under the sink of row 5)
  assert.deepEqual(flaggedRows(set), [0, 2, 3, 4, 5]);
  const quiet = column([5, 5, 5]);
  flagSinkPixels(quiet, map([0, 56000, 7]), 57000, DOWN);
  assert.deepEqual(flaggedRows(quiet), [1, 2], "a 0 below leaves that pixel alone");
});

test("sink trail: flag where SCI(sink) <= value, go on past a smaller value, stop at 0", () => {
  const sci = [0, 10, 99, 99, 99, 99, 99, 99];
  const set = column(sci);
  flagSinkPixels(set, map([0, 56000, 12, 10, 5, 20, 0, 30]), 57000, DOWN);
  assert.deepEqual(flaggedRows(set), [1, 2, 3, 5], "10 <= 12, 10 <= 10, 10 > 5 skipped, 10 <= 20, stop at 0");
});

test("sink trail: a value in (-1, 1), above 999 or a turn-on date ends it", () => {
  for (const stop of [0.6, -0.4, -2, 1000, 3000, 58000]) {
    const set = column([0, 4, 0, 0, 0]);
    flagSinkPixels(set, map([0, 56000, 12, stop, 30]), 57000, DOWN);
    assert.deepEqual(flaggedRows(set), [1, 2], `stopper ${stop}`);
  }
  const set = column([0, 4, 0, 0, 0]);
  flagSinkPixels(set, map([0, 56000, 12, 999, 30]), 57000, DOWN);
  assert.deepEqual(flaggedRows(set), [1, 2, 3, 4], "999 is still a trail value");
});

test("sink: imset 2 is flipped (RAZ), below is the next row up and the trail runs to row 0", () => {
  const values = [30, 0.5, 12, 12, 56000, -1, 0];
  const set = column([0, 0, 0, 0, 8, 0, 0]);
  flagSinkPixels(set, map(values), 57000, { x0: 0, y0: 0, flipRows: true });
  assert.deepEqual(flaggedRows(set), [2, 3, 4, 5], "sink row 4, -1 at row 5, trail rows 3, 2, stop at 0.5");
  const unflipped = column([0, 0, 0, 0, 8, 0, 0]);
  flagSinkPixels(unflipped, map(values), 57000, DOWN);
  assert.deepEqual(flaggedRows(unflipped), [4], "the same column as imset 1: nothing below or above qualifies");
});

test("sink: a subarray reads SCI = 0 outside itself and keeps the flags that fall inside", () => {
  const m2 = map([0, 56000, 0, 0, 5, 0, 0, 5, 0, 0, 5, 0, 0, 0, 0], 3);
  const inside = createImageSet(1, 3, { sci: Float32Array.from([50, 50, 50]) });
  flagSinkPixels(inside, m2, 57000, { x0: 1, y0: 1, flipRows: false });
  // map 3x5, subarray = map column 1, rows 1..3; the sink at map row 0 lies below the subarray: its SCI is 0, so the trail rows 1..3 (5 >= 0) are flagged
  assert.deepEqual(flaggedRows(inside), [0, 1, 2]);
  assert.throws(
    () => flagSinkPixels(createImageSet(2, 3), m2, 57000, { x0: 2, y0: 0, flipRows: false }),
    (e: unknown) => e instanceof CalibrationError && /SNKCFILE \(3x5\) does not cover/.test(e.message),
  );
});

test("sink placement: full frames by imset number, subarrays at LTV1 = 25, LTV2 = 0 with imset 1", () => {
  const maps = [createImageSet(6, 4), createImageSet(6, 4)];
  const full = createImageSet(6, 4, { chip: 1 });
  const second = sinkPlacement(full, 2, false, maps);
  assert.equal(second.map, maps[1]);
  assert.deepEqual(second.at, { x0: 0, y0: 0, flipRows: true });
  assert.deepEqual(sinkPlacement(full, 1, false, maps).at, { x0: 0, y0: 0, flipRows: false });
  const sub = createImageSet(2, 2, { chip: 1, geometry: { ltv: [23, -1], ltm: [1, 1] } });
  const placed = sinkPlacement(sub, 1, true, maps);
  assert.equal(placed.map, maps[0], "hstcal walks a subarray with imset 1 whatever its chip");
  assert.deepEqual(placed.at, { x0: 2, y0: 1, flipRows: false });
  assert.throws(
    () => sinkPlacement(createImageSet(5, 4), 1, false, maps),
    (e: unknown) => e instanceof CalibrationError && e.message === "SNKCFILE imset 1 is 6x4, the science chip 5x4",
  );
  assert.throws(() => sinkPlacement(full, 2, false, maps.slice(0, 1)), /SNKCFILE has no imset 2/);
});
