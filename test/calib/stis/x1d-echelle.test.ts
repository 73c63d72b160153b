// The echelle pieces of calstis6 on data made here: SmoothBack's 31-column running average for a MAMA echelle (with
// BoxcarFilter's skipped column), gcrosscor.c's offset analysis (2σ rejection, twice; a failed search takes the
// mean), the orders on the image and one order's extraction from a small image (the trace at the nominal row, the offset added).
// (The whole echelle x1d against cs0.e is test/parity/stis-echelle.test.ts.)
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  boxcarAverage,
  extractEchelleOrder,
  globalOffsets,
  ordersOnDetector,
  searchOrder,
} from "../../../src/calib/stis/x1d-echelle.js";
import type { X1dExposure, X1dTables } from "../../../src/calib/stis/x1d-spectrum.js";

const f = Math.fround;

test("boxcarAverage: a constant stays constant; a ramp's windows as BoxcarFilter takes them (column w/2 skipped)", () => {
  assert.deepEqual(Array.from(boxcarAverage(new Float32Array(100).fill(3.5), 31)), new Array(100).fill(3.5));
  const ramp = Float32Array.from({ length: 100 }, (_, i) => i);
  const out = boxcarAverage(ramp, 31);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  assert.equal(out[0], f(mean(range(0, 14))), "columns 0…14");
  assert.equal(out[1], f(mean([...range(0, 14), 16])), "column 15 is never added");
  assert.equal(out[16], f(mean([...range(0, 14), ...range(16, 31)])));
  // by column 32, columns 0…15 were taken away, 15 among them though never added: 16…47 less 15, over 31
  assert.equal(out[32], f((range(16, 47).reduce((a, b) => a + b, 0) - 15) / 31));
  // the window runs past the end: nothing more added, the oldest still taken away
  assert.ok(Number.isFinite(out[99]) && out[99] > out[80]);
});

test("globalOffsets: the mean of the found offsets after 2σ rejection; failed or rejected orders take it", () => {
  const { mean, offsets } = globalOffsets([-0.05, -0.06, -0.04, -0.05, undefined, -0.05, 3]);
  assert.ok(Math.abs(mean - -0.05) < 1e-12, `${mean}`);
  assert.deepEqual(offsets, [-0.05, -0.06, -0.04, -0.05, mean, -0.05, mean]);
  const all = globalOffsets([0.1, 0.2, 0.3]);
  assert.deepEqual(all.offsets, [0.1, 0.2, 0.3], "none further than 2σ");
  assert.ok(Math.abs(all.mean - 0.2) < 1e-12);
  assert.deepEqual(globalOffsets([0.4]), { mean: 0, offsets: [0.4] }, "one order: no mean (cs6 returns 0)");
});

const [nx, ny] = [64, 40];

/** A 64 × 40 image with a flat spectrum in rows 19–21 (2.5, 6, 2.5 counts) on 1 count of background; SHIFTA2 1. */
function exposure(): X1dExposure {
  const sci = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) sci[y * nx + x] = y === 20 ? 6 : y === 19 || y === 21 ? 2.5 : 1;
  return {
    image: { nx, ny, sci, err: new Float32Array(nx * ny).fill(1), dq: new Uint16Array(nx * ny) },
    lt: { ltv: [0, 0], ltm: [1, 1] },
    exptime: 1,
    sdqflags: 0,
    shifta1: 0,
    shifta2: 1,
    cd: [1e-5, 1e-5],
    crpix1: 1,
    crval1: 1400,
    optElem: "E140M",
    cenwave: 1425,
    hfactor: 1,
    mama: true,
    noise: { meandark: 0, readnse: 0, atodgain: 1, ncombine: 1, exptime: 1 },
  };
}

/** An order whose SPTRCTAB row is at `a2center` (zero-indexed reference rows). */
function order(a2center: number): X1dTables {
  return {
    traces: [{ a2center, a2displ: new Float64Array(nx) }],
    extraction: {
      EXTRSIZE: 3,
      BK1SIZE: 3,
      BK2SIZE: 3,
      BK1OFFST: -8,
      BK2OFFST: 8,
      BKTCOEFF: [0],
      NCOEFFBK: 0,
      BACKORD: 0,
      MAXSRCH: 4,
    },
    aperture: { offset: [0, 0], width1: 0.2, refOffset1: 0 },
    backcorr: true,
  };
}

test("the orders on the image (nominal row truncated), stopping at the first one off it after one on it", () => {
  const rows = [-5, -1.5, 10, 20, 39, 50, 30];
  const kept = ordersOnDetector(rows, exposure(), order);
  assert.deepEqual(kept, [-1.5, 10, 20], "nominal rows −0.5 (row 0), 11, 21 on; 40 off; 31 after it left out");
});

test("one order: found near its nominal row, the box along the trace there, the offset in OFFSET and A2CENTER", () => {
  const [e, tables] = [exposure(), order(18)];
  const offset = searchOrder(e, tables);
  assert.ok(offset !== undefined && Math.abs(offset - 1) < 1e-9, `nominal row 19, spectrum at 20: ${offset}`);
  const row = extractEchelleOrder(e, tables, 100, offset);
  assert.equal(row.offset, offset);
  assert.ok(Math.abs(row.a2center - 21) < 1e-9, `${row.a2center}`);
  for (let x = 0; x < nx; x++) {
    assert.ok(Math.abs(row.gross[x] - 11) < 1e-5, `gross ${row.gross[x]}`);
    assert.ok(Math.abs(row.net[x] - 8) < 1e-5, `net ${row.net[x]}`);
  }
});
