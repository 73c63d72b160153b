/**
 * calstis4's shift along a long slit from its occulting bars, on rectified lamp images whose bars are displaced by a
 * known number of rows. On cs0.e 3.5.0's own rectified wavecal of the long-slit case (o8ss01010_w2d_tmp.fits, kept
 * with cs0.e -s; after the cosmic-ray flagging) spatialShift gives bars of -1.2170 (weight 0.94918) and -1.2702
 * (0.96399) and -1.2438280520446927 rows, which hstio writes as cs4's SHIFTA2 = -1.243828052045.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { invertSlit, type SpatialShiftInput, spatialShift } from "../../../src/calib/stis/wavecal-bars.js";

const nx = 400;
const ny = 1024;
const cdelt = 0.05078 / 3600;
const bars = [
  { location: Math.fround(-11.618), width: Math.fround(0.5) },
  { location: Math.fround(11.861), width: Math.fround(0.86) },
];
const options: SpatialShiftInput = {
  columns: [10, nx - 11],
  rows: [10, ny - 11],
  weightRows: [30, ny - 31],
  crpix: 511,
  cdelt,
  bars,
  spRange: 41,
  sdqflags: 31743 & ~(8 | 16 | 1024),
};

/** How much of row j's pixel the bars leave open when they sit `shift` rows from their APDESTAB places. */
function openFraction(j: number, shift: number): number {
  let open = 1;
  for (const bar of bars) {
    const centre = options.crpix + bar.location / (cdelt * 3600) + shift;
    const half = bar.width / (cdelt * 3600) / 2;
    const covered = Math.max(0, Math.min(j + 0.5, centre + half) - Math.max(j - 0.5, centre - half));
    open -= covered;
  }
  return open;
}

/** Lamp lines every 25 columns on a slit lit 30 % more at its middle than at its ends, with fixed noise. */
function slitImage(shift: number) {
  const sci = new Float32Array(nx * ny);
  let seed = 777;
  const noise = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed / 2 ** 32 - 0.5) * 4;
  };
  for (let j = 0; j < ny; j++) {
    const illumination = (1 - 0.3 * ((j - 512) / 512) ** 2) * openFraction(j, shift);
    for (let i = 0; i < nx; i++) {
      const line = 400 * Math.exp(-0.5 * (((i % 25) - 12) / 1.2) ** 2);
      sci[j * nx + i] = 15 + line * illumination + noise();
    }
  }
  return { nx, ny, sci, dq: new Int32Array(nx * ny) };
}

test("the bars' displacement is found to 0.03 row, each bar with a weight near one", () => {
  for (const shift of [-1.2, 0, 0.63, 3.4, -7.5]) {
    const found = spatialShift(slitImage(shift), options);
    assert.ok(found.shift !== undefined && Math.abs(found.shift - shift) < 0.03, `${shift}: ${JSON.stringify(found)}`);
    for (const bar of found.bars) assert.ok(bar.weight > 0.8 && bar.weight < 1.2, `${shift}: weight ${bar.weight}`);
  }
});

test("the inverted slit is about one inside a bar and about zero on the open slit", () => {
  const image = slitImage(0);
  const v = new Float64Array(ny);
  for (let j = 0; j < ny; j++) v[j] = image.sci[j * nx + 12] - 15;
  const q = new Int32Array(ny);
  const inv = invertSlit(v, q)!;
  const barRow = Math.round(options.crpix + bars[1].location / 0.05078);
  assert.ok(inv[barRow] > 0.5, `bar row ${barRow}: ${inv[barRow]}`);
  assert.ok(Math.abs(inv[300]) < 0.05 && Math.abs(inv[800]) < 0.05, `${inv[300]} ${inv[800]}`);
  assert.equal(invertSlit(v, new Int32Array(ny).fill(4)), undefined);
});

test("bars beyond SP_RANGE, or a slit without its bars, give no shift", () => {
  // 25 rows is beyond ±20 lags
  assert.equal(spatialShift(slitImage(25), options).shift, undefined);
  const open = slitImage(0);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) open.sci[j * nx + i] = open.sci[512 * nx + i];
  }
  assert.equal(spatialShift(open, options).shift, undefined);
});
