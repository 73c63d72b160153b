/**
 * A read's SAMP and TIME as one value (the raws' constant-value extensions) or per pixel (multiaccum.ts
 * ReadPlane): ZOFFCORR, UNITCORR and CRCORR give the same bits either way, and a per-pixel zeroth-read
 * TIME makes the later reads' TIME per pixel.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { WF3_DQ } from "../../src/calib/wfc3/dq.js";
import { type BandRead, rejectBand } from "../../src/calib/wfc3/ir-crcorr.js";
import { toCountRates } from "../../src/calib/wfc3/ir-unit.js";
import { subtractZeroRead } from "../../src/calib/wfc3/ir-zoff.js";
import { type MultiAccum, type MultiAccumRead, planeAt } from "../../src/calib/wfc3/multiaccum.js";

const NX = 6;
const NY = 5;
const N = NX * NY;
const TIMES = [0.7, 2.9, 27.9, 52.9, 77.9, 102.9];

/** Reads of counts 40·t + a jump in pixel 7 and a saturated first read in pixel 9; TIME and SAMP as asked. */
function reads(perPixel: boolean): MultiAccumRead[] {
  return TIMES.map((t, s) => {
    const sci = Float32Array.from({ length: N }, (_, k) => 40 * t + 3 * k + (k === 7 && s >= 3 ? 900 : 0));
    const dq = new Uint16Array(N);
    if (s === 1) dq[9] = WF3_DQ.SATPIXEL;
    const time = Math.fround(t);
    return {
      sci,
      err: sci.map((v) => Math.sqrt(Math.abs(v) + 25)),
      dq,
      samp: perPixel ? new Int16Array(N).fill(s) : s,
      time: perPixel ? new Float32Array(N).fill(time) : time,
      samptime: t,
    };
  });
}

const ramp = (r: MultiAccumRead[]): MultiAccum => ({
  nx: NX,
  ny: NY,
  reads: r,
  border: { x: [1, 1], y: [1, 1] },
  ltv: [0, 0],
  chip: 1,
});

const pixels = (plane: Float32Array | Int16Array | number) => Array.from({ length: N }, (_, k) => planeAt(plane, k));

test("ZOFFCORR and UNITCORR: one TIME per read gives the bits of TIME per pixel", () => {
  const [one, each] = [ramp(reads(false)), ramp(reads(true))];
  for (const m of [one, each]) {
    const zero = m.reads[0];
    // the original zeroth read, as WF3IR keeps it (ZOFFCORR changes the read itself too)
    const time = typeof zero.time === "number" ? zero.time : Float32Array.from(zero.time);
    subtractZeroRead(m, { sci: Float32Array.from(zero.sci), time, samptime: zero.samptime });
    toCountRates(m, 2.88);
  }
  one.reads.forEach((read, s) => {
    assert.equal(typeof read.time, "number", `read ${s} keeps one TIME`);
    assert.equal(read.time, Math.fround(Math.fround(TIMES[s]) - Math.fround(TIMES[0])));
    assert.deepEqual(pixels(read.time), pixels(each.reads[s].time), `read ${s} TIME`);
    assert.deepEqual(Array.from(read.sci), Array.from(each.reads[s].sci), `read ${s} SCI`);
    assert.deepEqual(Array.from(read.err), Array.from(each.reads[s].err), `read ${s} ERR`);
  });
});

test("ZOFFCORR: a zeroth read with TIME per pixel makes every read's TIME per pixel", () => {
  const m = ramp(reads(false));
  const zeroTime = Float32Array.from({ length: N }, (_, k) => 0.5 + k / 64);
  subtractZeroRead(m, { sci: Float32Array.from(m.reads[0].sci), time: zeroTime, samptime: 0.5 });
  m.reads.forEach((read, s) => {
    assert.ok(read.time instanceof Float32Array, `read ${s}`);
    const expected = Array.from(zeroTime, (z) => Math.fround(Math.fround(TIMES[s]) - z));
    assert.deepEqual(Array.from(read.time), expected);
  });
});

test("CRCORR: one SAMP and TIME per read gives the fit, flags and output of them per pixel", () => {
  const band = (perPixel: boolean): BandRead[] => reads(perPixel).map(({ samptime: _, ...r }) => r);
  const parameters = { nx: NX, ny: NY, x0: 1, x1: NX - 1, meanGain: 2.5, thresh: 4, badinpdq: 39, sampzero: 0.7 };
  for (const countRates of [false, true]) {
    const input = { ...parameters, zsigDone: true, countRates };
    const [one, each] = [rejectBand({ ...input, reads: band(false) }), rejectBand({ ...input, reads: band(true) })];
    assert.ok(one.readDq[TIMES.length - 1][7] & WF3_DQ.DATAREJECT, "the jump is flagged");
    assert.equal(one.samp[9], 1, "the pixel saturated in read 1 takes the zeroth read");
    for (const plane of ["sci", "err", "dq", "samp", "time"] as const) {
      assert.deepEqual(Array.from(one[plane]), Array.from(each[plane]), `${plane} (count rates ${countRates})`);
    }
    one.readDq.forEach((dq, s) => {
      assert.deepEqual(Array.from(dq), Array.from(each.readDq[s]), `read ${s} DQ`);
    });
  }
});
