// When the wavecal lamp was on (calib/cos/flash-times.ts, calcos' getStartStopTimes and findFlash): commanded
// times from the AUTO keywords or a uniform spacing, clipped to the events; actual times from the count rate in
// the WCA rows; nothing found in a faint exposure.
import assert from "node:assert/strict";
import { test } from "node:test";
import { commandedFlashes, findFlashes, timeRange } from "../../../src/calib/cos/flash-times.js";
import { mulberry32 } from "../../helpers/mulberry32.js";

const cards = (values: Record<string, number>) => (k: string) => values[k];

test("AUTO flashes from LMP_ONn/LMPOFFn, clipped to the events, those outside dropped", () => {
  const card = cards({ NUMFLASH: 3, LMP_ON1: -5, LMPOFF1: 7, LMP_ON2: 100, LMPOFF2: 112, LMP_ON3: 400, LMPOFF3: 412 });
  assert.deepEqual(commandedFlashes(card, true, 0.5, 300), [
    { on: 0.5, off: 7 },
    { on: 100, off: 112 },
  ]);
});

test("uniformly spaced flashes: the first, its duration and the spacing of the first two", () => {
  const card = cards({ NUMFLASH: 3, LMP_ON1: 10, LMPOFF1: 22, LMPDUR1: 12, LMP_ON2: 110 });
  assert.deepEqual(commandedFlashes(card, false, 0, 250), [
    { on: 10, off: 22 },
    { on: 110, off: 122 },
    { on: 210, off: 222 },
  ]);
  assert.deepEqual(commandedFlashes(cards({}), true, 0, 250), []);
});

/** Background events everywhere, lamp events in rows 700–720 between on and off. */
function events(flashes: [number, number][], lampRate: number, seed = 1) {
  const random = mulberry32(seed);
  const t: number[] = [];
  const y: number[] = [];
  for (let s = 0; s < 300; s += 1 / 100) {
    t.push(s + random() / 100);
    y.push(Math.floor(random() * 1024));
  }
  for (const [on, off] of flashes) {
    for (let s = on; s < off; s += 1 / lampRate) {
      t.push(s + random() / lampRate);
      y.push(700 + Math.floor(random() * 20));
    }
  }
  const order = t.map((_, i) => i).sort((a, b) => t[a] - t[b]);
  return { time: Float32Array.from(order, (i) => t[i]), rawy: Int16Array.from(order, (i) => y[i]) };
}

test("the actual flashes: first and last 0.2 s bins above half the lamp's rate, the middle event's time", () => {
  const e = events(
    [
      [20.3, 31.9],
      [220.1, 232.5],
    ],
    2000,
  );
  const commanded = [
    { on: 20, off: 32 },
    { on: 220, off: 232 },
  ];
  const found = findFlashes(e.time, e.rawy, { low: 650, high: 1023 }, commanded);
  assert.equal(found.length, 2);
  for (const [k, [on, off]] of [
    [20.3, 31.9],
    [220.1, 232.5],
  ].entries()) {
    assert.ok(Math.abs(found[k].on - on) <= 0.2, `on ${found[k].on} vs ${on}`);
    assert.ok(Math.abs(found[k].off - off) <= 0.2, `off ${found[k].off} vs ${off}`);
    const [i0, i1] = timeRange(e.time, found[k].on, found[k].off);
    assert.equal(found[k].median, e.time[(i0 + i1) >> 1]);
  }
});

test("a flash commanded but absent from the data, and an exposure too faint to show any: none found", () => {
  const e = events([[20.3, 31.9]], 2000);
  const found = findFlashes(e.time, e.rawy, { low: 650, high: 1023 }, [
    { on: 20, off: 32 },
    { on: 220, off: 232 },
  ]);
  assert.equal(found.length, 1, "the second flash has no lamp events above the cutoff");
  const faint = events([], 2000);
  const sparse = { time: faint.time.filter((_, i) => i % 20 === 0), rawy: faint.rawy.filter((_, i) => i % 20 === 0) };
  assert.deepEqual(findFlashes(sparse.time, sparse.rawy, { low: 650, high: 1023 }, [{ on: 20, off: 32 }]), []);
});
