/**
 * CRCORR split across threads (ir-crcorr.ts `rows`, `out`, `next`): blocks of rows taken from a shared
 * counter and written in place give exactly the image and read flags of one pass over the whole band,
 * also for pixels with jumps, spikes and a saturated first read.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { WF3_DQ } from "../../src/calib/wfc3/dq.js";
import { type BandRead, type CrBandInput, rejectBand } from "../../src/calib/wfc3/ir-crcorr.js";

const TIMES = [0, 2.9, 27.9, 52.9, 77.9, 102.9, 127.9, 152.9, 177.9];
const NX = 13;
const NY = 11;

/** Counts rate·t + noise, a jump in every 7th pixel, a spike in every 11th, read 1 saturated in pixel 5. */
function band(): BandRead[] {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed / 2147483648 - 0.5) * 8;
  };
  return TIMES.map((t, s) => {
    const n = NX * NY;
    const read: BandRead = {
      sci: new Float32Array(n),
      err: new Float32Array(n),
      dq: new Uint16Array(n),
      time: new Float32Array(n).fill(t),
      samp: new Int16Array(n).fill(s),
    };
    for (let k = 0; k < n; k++) {
      const counts =
        (1 + (k % 5)) * t + noise() + (k % 7 === 3 && s >= 4 ? 600 : 0) + (k % 11 === 2 && s === 5 ? 400 : 0);
      read.sci[k] = t ? counts / t : 0;
      read.err[k] = t ? 10 / t : 0;
      if (k === 5 && s === 1) read.dq[k] = WF3_DQ.SATPIXEL;
    }
    return read;
  });
}

const PARAMETERS = {
  nx: NX,
  ny: NY,
  x0: 1,
  x1: NX - 1,
  meanGain: 2.5,
  thresh: 4,
  badinpdq: 39,
  zsigDone: true,
  sampzero: 2.88,
  countRates: true,
};

function inPlace(reads: BandRead[]) {
  const last = reads[reads.length - 1];
  return {
    sci: Float32Array.from(last.sci),
    err: Float32Array.from(last.err),
    dq: Uint16Array.from(last.dq),
    samp: Int16Array.from(last.samp),
    time: Float32Array.from(last.time),
  };
}

function assertSame(
  whole: ReturnType<typeof rejectBand>,
  out: ReturnType<typeof inPlace>,
  reads: BandRead[],
  what: string,
): void {
  for (const plane of ["sci", "err", "dq", "samp", "time"] as const) {
    assert.deepEqual(Array.from(out[plane]), Array.from(whole[plane]), `${what}: ${plane}`);
  }
  reads.forEach((read, s) => {
    assert.deepEqual(Array.from(read.dq), Array.from(whole.readDq[s]), `${what}: read ${s} DQ`);
  });
}

test("CRCORR on row ranges or blocks from a shared counter, in place, equals one pass", () => {
  const whole = rejectBand({ ...PARAMETERS, reads: band() });
  assert.ok(
    whole.readDq[TIMES.length - 1].some((d) => d & WF3_DQ.DATAREJECT),
    "jumps were flagged",
  );
  assert.ok(
    whole.readDq[5].some((d) => d & WF3_DQ.DETECTORPROB),
    "spikes were flagged",
  );
  assert.ok(whole.samp[5] === 1, "the pixel saturated in read 1 takes the zeroth read");

  // Two row ranges, as two threads given fixed halves.
  const reads = band();
  const out = inPlace(reads);
  const top = rejectBand({ ...PARAMETERS, reads, rows: [0, 5], out });
  rejectBand({ ...PARAMETERS, reads, rows: [5, NY], out });
  assert.equal(top.sci, out.sci, "the result is written where `out` points");
  assertSame(whole, out, reads, "row ranges");

  // Blocks of 3 rows from a shared counter: every block is fitted once, whoever takes it.
  const shared = band();
  const sharedOut = inPlace(shared);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const task: CrBandInput = { ...PARAMETERS, reads: shared, rows: [0, NY], out: sharedOut, next, blockRows: 3 };
  const curved = rejectBand(task).curved + rejectBand(task).curved;
  assert.equal(curved, whole.curved);
  assertSame(whole, sharedOut, shared, "shared counter");
});
