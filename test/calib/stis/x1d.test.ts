// The pieces of calstis6 on small images made here: Interp2D's weights and flags, the SPTRCTAB rows (selection,
// sorting, rotation, interpolation on A2CENTER), the search for the spectrum across the dispersion, the unweighted
// box with fractional end rows and a flagged pixel replaced, the background median window, the polynomial fit and
// the Q factor. (The whole of calstis6 against cs0.e is test/parity/stis-longslit-x1d*.test.ts.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { polynomialFit, runningMedian } from "../../../src/calib/stis/x1d-background.js";
import { extractSpectrum } from "../../../src/calib/stis/x1d-extract.js";
import { qFactor } from "../../../src/calib/stis/x1d-flux.js";
import { DETECTORPROB, interpolate2d, type X1dImage } from "../../../src/calib/stis/x1d-image.js";
import { extractFirstOrder } from "../../../src/calib/stis/x1d-spectrum.js";
import { crossCorrelate, type TraceTableRow, traceAt, traceRows } from "../../../src/calib/stis/x1d-trace.js";

const lt = { ltv: [0, 0] as [number, number], ltm: [1, 1] as [number, number] };

function image(nx: number, ny: number, value: (x: number, y: number) => number): X1dImage {
  const sci = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) sci[y * nx + x] = value(x, y);
  return { nx, ny, sci, err: new Float32Array(nx * ny).fill(2), dq: new Uint16Array(nx * ny) };
}

test("Interp2D: bilinear, flagged neighbours left out, all flagged → nearest pixel, outside → DETECTORPROB", () => {
  const im = image(4, 4, (x, y) => x + 10 * y);
  assert.equal(interpolate2d(im, 0, 1.25, 2.5).sci, Math.fround(26.25));
  im.dq[2 * 4 + 1] = 8; // (1, 2): flagged, its weight goes to the three others
  const oneOut = interpolate2d(im, 8, 1.5, 2.5);
  assert.equal(oneOut.dq, 8);
  assert.ok(Math.abs(oneOut.sci - (22 + 31 + 32) / 3) < 1e-5, `${oneOut.sci}`);
  for (const at of [2 * 4 + 2, 3 * 4 + 1, 3 * 4 + 2]) im.dq[at] = 8;
  assert.equal(interpolate2d(im, 8, 1.5, 2.5).sci, 32, "NINT(1.5), NINT(2.5): pixel (2, 3)");
  assert.deepEqual(interpolate2d(im, 0, -0.6, 1), { sci: 0, err: 0, dq: DETECTORPROB });
  assert.equal(interpolate2d(im, 0, -0.4, 1).dq & DETECTORPROB, 0, "NINT(−0.4) = 0 is on the image");
});

const row = (a2center: number, displ: number[], more: Partial<TraceTableRow> = {}): TraceTableRow => ({
  OPT_ELEM: "G430L",
  CENWAVE: 4300,
  SPORDER: 1,
  A1CENTER: 3,
  A2CENTER: a2center,
  NELEM: displ.length,
  A2DISPL: displ,
  ...more,
});
const key = { optElem: "G430L", cenwave: 4300, sporder: 1, expstart: 50365.25 };

test("SPTRCTAB rows: chosen by grating, central wavelength and order, sorted, rotated, interpolated on A2CENTER", () => {
  const { traces } = traceRows(
    [row(300, [1, 1, 1, 1]), row(100, [0, 0, 0, 0]), row(200, [9, 9, 9, 9], { CENWAVE: 4301 })],
    key,
    "T",
  );
  assert.deepEqual(
    traces.map((t) => t.a2center),
    [99, 299],
  );
  assert.deepEqual([...traceAt(traces, 149).a2displ], [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual([...traceAt(traces, 50).a2displ], [0, 0, 0, 0], "below the first row: the first row's");
  assert.deepEqual([...traceAt(traces, 400).a2displ], [1, 1, 1, 1]);
  // a year at 45°/yr: tan 45° = 1 row per column about the middle column (nelem / 2)
  const rotated = traceRows([row(100, [0, 0, 0, 0], { MJD: 50000, DEGPERYR: 45 })], key, "T");
  assert.ok(Math.abs(rotated.rotation - 45) < 1e-12);
  rotated.traces[0].a2displ.forEach((v, i) => {
    assert.ok(Math.abs(v - (2 - i)) < 1e-12, `${i}: ${v}`);
  });
  assert.throws(() => traceRows([row(100, [0])], { ...key, cenwave: 7751 }, "SPTRCTAB oref$x_1dt.fits"), {
    message: "SPTRCTAB oref$x_1dt.fits: no row for OPT_ELEM G430L, CENWAVE 7751, SPORDER 1",
  });
  assert.throws(() => traceRows([row(100, [0]), row(100, [1])], key, "T"), /T: duplicate A2CENTER 100/);
});

const ridge = (center: number) => image(40, 60, (_, y) => 5 + 100 * Math.exp(-0.5 * ((y - center) / 1.2) ** 2));
const flat = traceRows([row(31, new Array(40).fill(0), { A1CENTER: 20 })], key, "T").traces;
const search = (nominal: number, maxsearch: number) => ({
  ...lt,
  nominal,
  maxsearch,
  sdqflags: 0,
  avoid: [0, 0] as [number, number],
  threshold: 0,
});

test("the search finds a ridge within MAXSRCH by a parabola through its peak, and fails at the search's ends", () => {
  const offset = crossCorrelate(ridge(33.3), flat, search(30, 8));
  assert.ok(offset !== undefined && Math.abs(offset - 3.3) < 0.15, `offset ${offset}`);
  assert.equal(crossCorrelate(ridge(45), flat, search(30, 8)), undefined, "peak at the end of the search");
  assert.equal(crossCorrelate(ridge(45), flat, search(30, 0)), 0, "MAXSRCH 0: the nominal row");
});

test("the box: fractional end rows, a flagged pixel replaced by its neighbours' mean and flagged 4096", () => {
  const im = image(3, 20, (x, y) => (y === 10 && x === 1 ? 1000 : 1 + y));
  im.dq[10 * 3 + 1] = 16;
  const box = { extrsize: 3.5, bktcoeff: [], smoothed: true };
  const trace = { a1center: 1, a2center: 10, a2displ: new Float64Array(3) };
  const plain = extractSpectrum(im, trace, 10.2, { ...lt, box, sdqflags: 0, exptime: 2 });
  // rows 8.45 … 11.95: 0.05 of row 8 (7.5 … 8.5), rows 9 to 11, 0.45 of row 12 (values 1 + row), per second
  const expected = (0.05 * 9 + 10 + 11 + 12 + 0.45 * 13) / 2;
  assert.ok(Math.abs(plain.gross[0] - expected) < 1e-5, `${plain.gross[0]}, expected ${expected}`);
  assert.equal(plain.dq[1], 16, "not serious for the pipeline (SDQFLAGS unused): summed, its flag kept");
  assert.ok(Math.abs(plain.extrlocy[0] - 11.2) < 1e-5);
  const cleaned = extractSpectrum(im, trace, 10.2, { ...lt, box, sdqflags: 16, exptime: 2 });
  assert.ok(Math.abs(cleaned.gross[1] - expected) < 1e-5, `${cleaned.gross[1]}: row 10 from rows 9 and 11`);
  assert.equal(cleaned.dq[1], 4096);
});

test("the background's running median: five columns at the start, then ten, shrinking at the end", () => {
  const values = Float32Array.from({ length: 20 }, (_, i) => i);
  const m = runningMedian(values, 9);
  assert.deepEqual([...m.slice(0, 7)], [2, 2.5, 3, 3.5, 4, 4.5, 5.5]);
  assert.deepEqual([...m.slice(-3)], [15.5, 16, 16.5]);
});

test("polynomialFit recovers a cubic; the Q factor is 1 above 3425 Å and grows below", () => {
  const x = Array.from({ length: 30 }, (_, i) => i * 10);
  const cubic = (v: number) => 3 - 0.2 * v + 1e-3 * v * v - 2e-6 * v * v * v;
  const fit = polynomialFit(x, x.map(cubic), 3);
  for (const v of [0, 55, 290]) assert.ok(Math.abs(fit(v) - cubic(v)) < 1e-9, `${v}`);
  const noise = { meandark: 1.8, readnse: 5.4, atodgain: 1, ncombine: 2, exptime: 200 };
  assert.equal(qFactor(4000, 7, 30, noise), 1);
  // Q(2900 Å) = 1.1934 (linear in the table): √(((30·200 + 1.8·7)/2 + 5.4²·7) / ((30·200/Q + 1.8·7)/2 + 5.4²·7))
  assert.ok(Math.abs(qFactor(2900, 7, 30, noise) - 1.08556) < 1e-4, `${qFactor(2900, 7, 30, noise)}`);
  assert.equal(qFactor(2900, 7, -5, noise), 1, "no counts: nothing to correct");
});

test("no spectrum within MAXSRCH (a blank image: no peak) is an error naming the imset, the range and the row", () => {
  const blank = image(40, 60, () => 3);
  const extraction = { EXTRSIZE: 7, BK1SIZE: 5, BK2SIZE: 5, BK1OFFST: -20, BK2OFFST: 20 };
  const tables = {
    traces: flat,
    extraction: { ...extraction, BKTCOEFF: [0], NCOEFFBK: 1, BACKORD: 0, MAXSRCH: 8 },
    aperture: { offset: [0, 0] as [number, number], width1: 0.2, refOffset1: 0 },
    backcorr: true,
  };
  const exposure = {
    image: blank,
    lt,
    exptime: 100,
    sdqflags: 31743,
    shifta1: 0,
    shifta2: 0.5,
    cd: [-1.4e-5, 1.4e-5] as [number, number],
    crpix1: 20,
    crval1: 150,
    optElem: "G430L",
    cenwave: 4300,
    hfactor: 1,
    noise: { meandark: 0, readnse: 5, atodgain: 1, ncombine: 1, exptime: 100 },
  };
  assert.throws(() => extractFirstOrder(exposure, tables, "x_crj.fits[SCI,1]"), {
    name: "CalibrationError",
    message: "x_crj.fits[SCI,1]: no spectrum found within MAXSRCH 8 of row 31.50",
  });
  const found = extractFirstOrder({ ...exposure, image: ridge(33.3) }, tables, "x");
  assert.ok(Math.abs(found.a2center - 34.3) < 0.15, `A2CENTER ${found.a2center}`);
});
