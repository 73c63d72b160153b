// BOXCAR extraction pieces (calib/cos/boxcar.ts, poisson-interval.ts): the frequentist interval of a real-valued
// count against astropy's, calcos' band extraction and background smoothing, and a whole extraction of a
// synthetic image whose every column is known.
import assert from "node:assert/strict";
import { test } from "node:test";
import { boxcarExtract, extractBand, smoothBackground } from "../../../src/calib/cos/boxcar.js";
import { frequentistErrors } from "../../../src/calib/cos/poisson-interval.js";

test("frequentist errors of real-valued counts equal astropy's poisson_conf_interval (sigma 1)", () => {
  // astropy 5.2.1: n − lower, upper − n
  const astropy: [number, number, number][] = [
    [0.3, 0.29849077781155736, 1.9993698619643927],
    [2.5, 1.4720048653694067, 2.783478177386315],
    [137.25, 11.70109147188802, 12.743852261089728],
    [5000.7, 70.71326934171066, 71.72034275915394],
    [123456.5, 351.36329720768845, 352.36472035334737],
  ];
  for (const [n, lower, upper] of astropy) {
    const [ours_lower, ours_upper] = frequentistErrors(n);
    assert.equal(ours_lower, Math.fround(lower), `lower, n = ${n}`);
    assert.equal(ours_upper, Math.fround(upper), `upper, n = ${n}`);
  }
  assert.equal(frequentistErrors(0)[0], 0, "no lower error at zero counts");
  assert.ok(Math.abs(frequentistErrors(0)[1] - 1.84102165) < 1e-6);
});

test("extractBand: rows nint(b − h/2 + slope·x) upward per column; off the image is one error naming the band", () => {
  const nx = 4;
  const ny = 10;
  const data = Float32Array.from({ length: nx * ny }, (_, k) => k); // value = row * nx + column
  const band = extractBand({ data, nx, ny }, 0.5, 3, 0, 3, "here");
  // column i: rows nint(2 + 0.5 i) … + 2
  assert.deepEqual(
    band.map((r) => Array.from(r)),
    [
      [8, 13, 14, 19],
      [12, 17, 18, 23],
      [16, 21, 22, 27],
    ],
  );
  assert.throws(
    () => extractBand({ data, nx, ny }, 0, 9, 0, 3, "NUVA of X"),
    /NUVA of X: the band at y = 9 \(height 3\)/,
  );
  assert.throws(() => extractBand({ data, nx, ny }, 0, 0.4, 0, 3, "low"), /extends beyond the image/);
});

test("smoothBackground: a running mean over width pixels, narrower at the ends", () => {
  const data = Float32Array.from([0, 3, 6, 9, 12]);
  smoothBackground(data, 3);
  assert.deepEqual(Array.from(data), [1.5, 3, 6, 9, 10.5]);
  const flat = new Float32Array(7).fill(2.5);
  smoothBackground(flat, 4);
  assert.deepEqual(Array.from(flat), new Array(7).fill(2.5));
});

test("boxcarExtract: GROSS, background scaled to the box, NET = ε (GROSS − BKG), errors and serious DQ", () => {
  const nx = 8;
  const ny = 40;
  const counts = new Float32Array(nx * ny).fill(0.01); // background 0.01 per pixel
  const flt = new Float32Array(nx * ny);
  for (let x = 0; x < nx; x++) for (let y = 18; y <= 22; y++) counts[y * nx + x] += 0.2 * (x + 1);
  for (let k = 0; k < flt.length; k++) flt[k] = Math.fround(counts[k] * 1.25); // ε = 1.25 everywhere
  const dq = new Int16Array(nx * ny);
  dq[20 * nx + 3] = 16; // serious: DQ_WGT 0 in column 3
  dq[19 * nx + 5] = 4; // not serious: ORed into DQ only
  dq[5 * nx + 6] = 16; // a bad background pixel: left out, the rest rescaled
  const row = { slope: 0, bSpec: 20, height: 5, bBkg1: 5, bBkg2: 34, bHgt1: 3, bHgt2: 3, bWidth: 1 };
  const exptime = 100;
  const s = boxcarExtract(
    {
      flt: { data: flt, nx, ny },
      counts: { data: counts, nx, ny },
      dq: { data: dq, nx, ny },
      row,
      xOffset: 0,
      shift1: 0,
      shift2: 0,
      sdqflags: 16,
      snrFf: 0,
      exptime,
      backcorr: true,
      detectorX: nx,
    },
    "test",
  );
  for (let x = 0; x < nx; x++) {
    const gross = 5 * (0.01 + 0.2 * (x + 1));
    assert.ok(Math.abs(s.gross[x] - gross) < 1e-6, `GROSS ${x}`);
    assert.ok(Math.abs(s.background[x] - 0.05) < 1e-8, `BACKGROUND ${x}: 6 rows of 0.01 scaled to 5`);
    assert.ok(Math.abs(s.net[x] - 1.25 * (gross - 0.05)) < 1e-5, `NET ${x}`);
    const variance = 1.25 ** 2 * gross * exptime + 1.25 ** 2 * s.background[x] * exptime * (5 / 6);
    assert.ok(Math.abs(s.varianceCounts[x] + s.varianceBkg[x] - variance) < 1e-4 * variance);
    assert.ok(Math.abs(s.error[x] - frequentistErrors(variance)[1] / exptime) < 1e-5 * s.error[x]);
  }
  assert.deepEqual(Array.from(s.dqWgt), [1, 1, 1, 0, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(s.dq), [0, 0, 0, 16, 0, 4, 0, 0]);
  assert.equal(s.location, 20);
});
