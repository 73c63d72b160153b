// DQICORR on events with several BPIXTAB regions (a pixel map of their OR, built once): overlapping regions
// OR-ed, empty and fractional regions, events off every region or with a NaN position; and on seeded random
// regions and events the same flags as the regions applied one at a time.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BpixRegion, flagEvents } from "../../../src/calib/cos/dqicorr.js";
import { type CorrtagEvents, initialCorrtag } from "../../../src/calib/cos/events.js";
import { Random } from "../../../src/sim/random.js";

function events(x: number[], y: number[]): CorrtagEvents {
  const e = initialCorrtag(
    { time: Float32Array.from(x, (_, k) => k), rawx: new Int16Array(x.length), rawy: new Int16Array(x.length) },
    "NUV",
    "t_rawtag.fits[EVENTS]",
  );
  e.xcorr.set(x);
  e.ycorr.set(y);
  return e;
}

test("DQICORR on events: several regions OR-ed where they overlap; empty regions flag nothing", () => {
  const e = events([2, 3, 4, 5, 9.5, 0, Number.NaN, 1023], [3, 3, 3, 3, 3, 0, 3, 1023]);
  e.dq[5] = 8;
  const regions: BpixRegion[] = [
    { LX: 2, LY: 3, DX: 3, DY: 1, DQ: 4 }, // x 2 … 4
    { LX: 4, LY: 2, DX: 2, DY: 2, DQ: 16 }, // x 4 … 5, y 2 … 3
    { LX: 9.5, LY: 3, DX: 1, DY: 1, DQ: 32 }, // x from 9.5 to 9.5: no integer pixel
    { LX: 0, LY: 0, DX: 0, DY: 5, DQ: 64 }, // no width
    { LX: 1020, LY: 1020, DX: 4, DY: 4, DQ: 2 },
  ];
  flagEvents(e, regions);
  // 9.5 rounds (floor(x + 0.5)) to 10, outside every region; NaN falls nowhere
  assert.deepEqual(Array.from(e.dq), [4, 4, 4 | 16, 16, 0, 8, 0, 2]);
});

test("DQICORR on events: many seeded regions flag as they do one at a time", () => {
  const random = new Random("cos-event-flags/1");
  const regions: BpixRegion[] = Array.from({ length: 60 }, () => ({
    LX: random.int(1100) - 50,
    LY: random.int(1100) - 50,
    DX: random.int(40),
    DY: random.int(12),
    DQ: 1 << random.int(14),
  }));
  const n = 50_000;
  const x = Array.from({ length: n }, () => random.uniform() * 1030 - 3);
  const y = Array.from({ length: n }, () => random.uniform() * 1030 - 3);
  const all = events(x, y);
  flagEvents(all, regions);
  const expected = new Int16Array(n);
  for (const region of regions) {
    const one = events(x, y);
    flagEvents(one, [region]);
    for (let k = 0; k < n; k++) expected[k] |= one.dq[k];
  }
  assert.deepEqual(all.dq, expected);
  assert.ok(expected.some((f) => f !== 0) && expected.some((f) => f === 0), "some events flagged, some not");
});
