import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../../src/calib/common/imset.js";
import { CALIBDEFECT } from "../../../src/calib/stis/absolute-flux.js";
import { fluxCalibrate } from "../../../src/calib/stis/x2d-flux.js";
import { scaleGrid, traceAt, traceOf, type X2dGrid } from "../../../src/calib/stis/x2d-geometry.js";
import {
  DATAMASKED,
  DETECTORPROB,
  maskBeyondSlit,
  type RectifyInput,
  rectify,
} from "../../../src/calib/stis/x2d-rectify.js";
import { mulberry32 } from "../../helpers/mulberry32.js";

const N = 16;
/** Output pixel i ↔ wavelength i ↔ input column i (pixel = 1 + λ − 1), row j ↔ input row j. */
const grid: X2dGrid = { sporder: 1, a2center: 0, npix: [N, N], crpix: [0, 0], crval: [0, 0], cdelt: [1, 0.05] };
const identity: RectifyInput = {
  grid,
  dispersion: [{ OPT_ELEM: "G", CENWAVE: 1, A2CENTER: 1, REF_APER: "S", NCOEFF: 5, COEFF: [1, 0, 0, 0, 1] }],
  incidence: { OPT_ELEM: "G", CENWAVE: 1, SPORDER: 1, NCOEFF1: 0, COEFF1: [], NCOEFF2: 0, COEFF2: [] },
  delta: 0,
  traces: [{ a1center: 0, a2center: 0, a2displ: new Float64Array(N) }],
  slit: { width: [0.2, 50], angle: 0.315, bars: [] },
  shifta1: 0,
  offset2: 0,
  ltm: [1, 1],
  ltv: [0, 0],
  hfactor: 1,
};

function image() {
  const random = mulberry32(5);
  const set = createImageSet(N, N);
  for (let k = 0; k < N * N; k++) {
    set.sci[k] = Math.fround(100 * random());
    set.err[k] = Math.fround(1 + random());
  }
  set.dq[3 * N + 4] = 16;
  return set;
}

test("on an identity dispersion and a flat trace, rectification copies the image", () => {
  const input = image();
  const out = rectify(input, identity);
  assert.deepEqual(Array.from(out.sci), Array.from(input.sci));
  assert.deepEqual(Array.from(out.err), Array.from(input.err));
  // calstis ORs the DQ of the four pixels around, weighted or not: the flag at (4, 3) reaches (3..4, 2..3)
  const flagged = Array.from(out.dq, (v, k) => (v ? k : -1)).filter((k) => k >= 0);
  assert.deepEqual(flagged, [2 * N + 3, 2 * N + 4, 3 * N + 3, 3 * N + 4]);
});

test("half a pixel of SHIFTA1 averages neighbours, ERR as the weighted variance, DQ OR-ed, the edge off the image flagged", () => {
  const input = image();
  const out = rectify(input, { ...identity, shifta1: -0.5 });
  const at = (j: number, i: number) => j * N + i;
  // pixel = λ − 0.5: output column i samples input columns i − 1 and i, except column 0 (input −0.5 rounds to 0)
  const k = at(3, 5);
  assert.ok(Math.abs(out.sci[k] - (input.sci[at(3, 4)] + input.sci[at(3, 5)]) / 2) < 1e-4);
  const variance = (input.err[at(3, 4)] ** 2 + input.err[at(3, 5)] ** 2) / 2;
  assert.ok(Math.abs(out.err[k] - Math.sqrt(variance)) < 1e-5);
  assert.equal(out.dq[k], 16);
  assert.equal(out.dq[at(3, 6)], 0);
  const far = rectify(input, { ...identity, shifta1: -2 });
  assert.equal(far.dq[at(3, 0)], DETECTORPROB);
  assert.equal(far.sci[at(3, 0)], 0);
});

test("the trace moves the rows sampled; SHIFTA2 moves the trace's row", () => {
  const input = image();
  const displ = new Float64Array(N).fill(2);
  const out = rectify(input, { ...identity, traces: [{ a1center: 0, a2center: 0, a2displ: displ }] });
  assert.equal(out.sci[4 * N + 7], input.sci[6 * N + 7]);
  const shifted = rectify(input, { ...identity, offset2: 3 });
  assert.equal(shifted.sci[4 * N + 7], input.sci[7 * N + 7]);
});

test("rows beyond the ends of a short slit and behind its bars are DATAMASKED", () => {
  const g = { ...grid, npix: [4, 100] as [number, number], crpix: [0, 50] as [number, number] };
  const maskedRows = (slit: { width: [number, number]; bars: { location: number; width: number }[] }) => {
    const set = createImageSet(4, 100);
    maskBeyondSlit(set, g, { ...slit, angle: 0.315 });
    return Array.from({ length: 100 }, (_, j) => j).filter((j) => (set.dq[j * 4] & DATAMASKED) !== 0);
  };
  // 2 arcsec at 0.05 arcsec/pixel: the 40 rows around row 50 (ends at 29.5 and 70.5 rounded) stay unmasked
  const short = maskedRows({ width: [0.2, 2], bars: [] });
  assert.deepEqual(short, [
    ...Array.from({ length: 30 }, (_, j) => j),
    ...Array.from({ length: 28 }, (_, j) => 72 + j),
  ]);
  // a slit longer than half the image: only its bar, 0.2 arcsec wide 1 arcsec above the centre (rows 68 to 72)
  assert.deepEqual(maskedRows({ width: [0.2, 50], bars: [{ location: 1, width: 0.2 }] }), [68, 69, 70, 71, 72]);
});

test("ScaleWCS halves the grid of a 2×2-binned input and shrinks it for a subarray", () => {
  const full: X2dGrid = { ...grid, npix: [1024, 1024], crpix: [511.5, 511], cdelt: [2.7, 0.05] };
  const binned = scaleGrid(full, { ltm: [0.5, 0.5], ltv: [-0.5, -0.5], nx: 512, ny: 512 });
  assert.deepEqual(binned.grid.npix, [512, 512]);
  assert.deepEqual(binned.grid.cdelt, [5.4, 0.1]);
  assert.deepEqual(binned.grid.crpix, [255.25, 255]);
  assert.deepEqual(binned.plateScale, [0.1, 0.1]);
  const sub = scaleGrid(full, { ltm: [1, 1], ltv: [0, -400], nx: 1024, ny: 100 });
  assert.deepEqual(sub.grid.npix, [1024, 100]);
});

test("traces rotate with DEGPERYR and interpolate between their rows", () => {
  const rotated = traceOf({ A1CENTER: 3, A2CENTER: 10, NELEM: 4, A2DISPL: [0, 0, 0, 0], MJD: 0, DEGPERYR: 45 }, 365.25);
  assert.deepEqual(
    Array.from(rotated.a2displ, (v) => Math.round(v * 1e12) / 1e12),
    [2, 1, 0, -1],
  );
  const a = { a1center: 0, a2center: 0, a2displ: Float64Array.of(0, 0) };
  const b = { a1center: 0, a2center: 10, a2displ: Float64Array.of(1, 2) };
  assert.deepEqual(Array.from(traceAt([a, b], 5).a2displ), [0.5, 1]);
  assert.deepEqual(Array.from(traceAt([a, b], 20).a2displ), [1, 2]);
});

test("FLUXCORR scales each column by h c / (R λ A t Δλ Δs w), and flags a column of no wavelength", () => {
  const set = createImageSet(3, 2);
  set.sci.fill(1000);
  set.err.fill(10);
  const g: X2dGrid = { ...grid, npix: [3, 2], crval: [2000, 0], crpix: [1, 0], cdelt: [2000, 0.05] };
  const flat = { wl: [1000, 9000], value: [0.1, 0.1] };
  const keywords = fluxCalibrate(set, {
    grid: g,
    response: flat,
    pct: { wl: [1000, 9000], value: [1, 1] },
    slit: { wl: [1000, 9000], value: [0.5, 0.5] },
    slitWidth: 0.2,
    plateScale: [0.05, 0.05],
    atodgain: 4,
    exptime: 100,
    hfactor: 1,
  });
  // columns at 0, 2000 and 4000 Å
  const expected = (wl: number) =>
    (6.6260755e-27 * 2.99792458e10 * 4) / (45238.93416 * 100 * 2000 * 0.05 * 0.2 * 0.1 * wl * 1e-8);
  assert.ok(Math.abs(set.sci[1] / (1000 * expected(2000)) - 1) < 1e-6, `${set.sci[1]}`);
  assert.ok(Math.abs(set.err[5] / (10 * expected(4000)) - 1) < 1e-6);
  assert.equal(set.sci[0], 1000);
  assert.deepEqual(Array.from(set.dq), [CALIBDEFECT, 0, 0, CALIBDEFECT, 0, 0]);
  // DIFF2PT: CDELT2 · width / mean throughput over the columns (the flagged one counts as 0)
  assert.ok(Math.abs((keywords.DIFF2PT as number) - (0.05 * 0.2) / ((0.5 * 2) / 3)) < 1e-8);
  assert.equal(keywords.BUNIT, "erg /s /cm**2 /angstrom /arcsec**2");
});
