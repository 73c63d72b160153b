/**
 * The STIS CCD steps on hand-computed cases: the overscan layout of each readout and amp (findover.c), the
 * bias level of a full frame with a line along the columns and a drift along the rows (BLEVCORR), the
 * CCDTAB row, the sky mode, the image sets calstis1 refuses, PHOTMODE, and calstis2 on a 5×5 pair.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { createImageSet } from "../../../src/calib/common/imset.js";
import { badImsetReason } from "../../../src/calib/stis/basic2d.js";
import { blevcorr } from "../../../src/calib/stis/blevcorr.js";
import { ccdParameters, type StisCcdRow } from "../../../src/calib/stis/ccdtab.js";
import type { StisCrrejParameters } from "../../../src/calib/stis/crrej-params.js";
import { crMode } from "../../../src/calib/stis/crrej-sky.js";
import { ccdPhotmode } from "../../../src/calib/stis/history.js";
import { ocrreject } from "../../../src/calib/stis/ocrreject.js";
import { findOverscan } from "../../../src/calib/stis/overscan.js";

test("overscan layout: full frame amps D and A, a subarray, a 2×2 binned frame, one too small", () => {
  assert.deepEqual(findOverscan("D", 1062, 1044, [1, 1]), {
    trim: { x1: 19, x2: 19, y1: 20, y2: 0 },
    biassect: [1, 15],
    vx: [19, 1042],
    vy: [0, 19],
  });
  assert.deepEqual(findOverscan("A", 1062, 1044, [1, 1]), {
    trim: { x1: 19, x2: 19, y1: 0, y2: 20 },
    biassect: [1046, 1060],
    vx: [19, 1042],
    vy: [1024, 1043],
  });
  // Subarray (ny ≤ 1024): one column less each side, no virtual overscan (vy empty for amp D).
  assert.deepEqual(findOverscan("D", 1060, 100, [1, 1]), {
    trim: { x1: 18, x2: 18, y1: 0, y2: 0 },
    biassect: [0, 13],
    vx: [18, 1041],
    vy: [0, -1],
  });
  assert.deepEqual(findOverscan("D", 531, 522, [2, 2]), {
    trim: { x1: 10, x2: 10, y1: 10, y2: 0 },
    biassect: [0, 6],
    vx: [10, 520],
    vy: [0, 9],
  });
  assert.equal(findOverscan("D", 100, 100, [1, 1]), undefined);
});

test("BLEVCORR: line of the serial overscan medians along the columns, drift from the virtual overscan", () => {
  const nx = 1062;
  const ny = 1044;
  const raw = createImageSet(nx, ny, { geometry: { ltv: [19, 20], ltm: [1, 1] } });
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const level = 100 + 0.01 * (y - 20);
      const science = x >= 19 && x < 1043 && y >= 20;
      const virtual = x >= 19 && x < 1043 && y < 20;
      raw.sci[y * nx + x] = level + (science ? 50 : 0) + (virtual ? 0.002 * (x - 530) : 0);
    }
  }
  raw.sci[5 * nx + 600] = 10000; // a hot pixel in the virtual overscan: replaced by its line's local median
  const r = blevcorr(raw, { ccdamp: "D", bin: [1, 1], sdqflags: 0, ccdbias: 1500, blevClip: 50 });
  // The 21-pixel window (590…610) holds the hot pixel itself: its median is the value at x = 601.
  assert.ok(Math.abs(raw.sci[5 * nx + 600]! - (99.85 + 0.002 * 71)) < 1e-4, `replaced by ${raw.sci[5 * nx + 600]}`);
  assert.equal(r.fromOverscan, true);
  assert.equal(r.driftcorr, true);
  assert.deepEqual([r.set.nx, r.set.ny, ...r.set.geometry.ltv], [1024, 1024, 0, 0]);
  // Out pixel (i, j) = 150 + 0.01 j − (100 + 0.01 j) − 0.002 (i + 11): the drift is zero at the bias section's centre.
  for (const [i, j] of [
    [0, 0],
    [511, 700],
    [1023, 1023],
  ] as const) {
    const expected = 50 - 0.002 * (i + 11);
    assert.ok(Math.abs(r.set.sci[j * 1024 + i]! - expected) < 1e-4, `(${i}, ${j}): ${r.set.sci[j * 1024 + i]}`);
  }
  // MEANBLEV: mean over the lines of the bias level plus the drift at the middle column (512 + 11) × 0.002.
  assert.ok(Math.abs(r.meanblev - (100 + 0.01 * 511.5 + 0.002 * 523)) < 1e-3, String(r.meanblev));
});

test("BLEVCORR of a frame too small for the overscan: the CCDTAB bias, untrimmed", () => {
  const set = createImageSet(4, 3, { sci: new Float32Array(12).fill(1600) });
  const r = blevcorr(set, { ccdamp: "D", bin: [1, 1], sdqflags: 0, ccdbias: 1510.5, blevClip: 50 });
  assert.equal(r.fromOverscan, false);
  assert.equal(r.set.nx, 4);
  assert.ok(r.set.sci.every((v) => v === 89.5));
});

test("CCDTAB: the row of amp, gain, offset and binning; none is TABLE_ROW_MISSING naming what was asked", () => {
  const row = (gain: number, atodgain: number): StisCcdRow => ({
    CCDAMP: "D",
    CCDGAIN: gain,
    CCDOFFST: 3,
    BINAXIS1: 1,
    BINAXIS2: 1,
    ATODGAIN: atodgain,
    CCDBIAS: 1510.3,
    READNSE: 5.4,
    SATURATE: 33000,
  });
  const rows = [row(1, 1.0), row(4, 4.08)];
  const p = ccdParameters(rows, { ccdamp: "D", ccdgain: 4, ccdoffst: 3, bin: [1, 1] }, "CCDTAB x_ccd.fits");
  assert.deepEqual(p, {
    atodgain: Math.fround(4.08),
    readnoise: Math.fround(5.4),
    ccdbias: Math.fround(1510.3),
    saturate: 33000,
    blevClip: 50,
  });
  assert.throws(
    () => ccdParameters(rows, { ccdamp: "A", ccdgain: 1, ccdoffst: 3, bin: [1, 1] }, "CCDTAB x_ccd.fits"),
    (e: unknown) =>
      e instanceof CalibrationError &&
      e.code === "TABLE_ROW_MISSING" &&
      e.message === "CCDTAB x_ccd.fits: no row for CCDAMP A, CCDGAIN 1, CCDOFFST 3, BINAXIS 1x1",
  );
});

test("sky mode: the peak bin refined by a parabola (cr_mode.c); bad image sets; PHOTMODE", () => {
  // Peak at bin 1 (5), neighbours 1 and 3: 10 + (1 + 1 + 0.5 × (4 − 2) / 6 − 0.5) = 11.6667.
  assert.ok(Math.abs(crMode(Int32Array.of(1, 5, 3), 1, 10) - 11.666667) < 1e-5);
  assert.equal(crMode(Int32Array.of(7, 5, 3), 1, -2), -1.5);
  const flat = createImageSet(2, 2, { sci: Float32Array.of(3, 3, 3, 3) });
  assert.equal(badImsetReason(flat, 10), "all values = 3");
  assert.equal(badImsetReason(flat, 0), "exptime = 0");
  assert.equal(badImsetReason(createImageSet(2, 1, { sci: Float32Array.of(1, 2) }), 10), undefined);
  const mode = {
    aperture: "52X2",
    ccdgain: 4,
    optElem: "G430L",
    obstype: "SPECTROSCOPIC",
    cenwave: 4300,
    expstart: 52000.123456,
  };
  assert.equal(ccdPhotmode(mode), "STIS 52X2 A2D4 G430L CCD 4300 MJD#52000.1235");
});

test("calstis2 on a 5×5 pair: a cosmic ray in the second image set is rejected and flagged in its DQ", () => {
  const image = (center: number) => {
    const sci = new Float32Array(25).fill(100);
    sci[12] = center;
    return { sci, dq: new Uint16Array(25), exptime: 10, noise: 1, gain: 1 };
  };
  const images = [image(100), image(1000)];
  const params: StisCrrejParameters = {
    initial: "minimum",
    sky: "none",
    sigmasText: "4",
    sigmas: [4],
    rej: 1,
    psigma: 0.5,
    scalenoise: 0,
    badbits: 0,
    mask: true,
    meanexp: 10,
  };
  const r = ocrreject(5, 5, images, params);
  assert.equal(r.nrej, 1);
  assert.ok(
    r.sci.every((v) => v === 200),
    "100 DN per 10 s, 20 s in all",
  );
  // ERR: √(1 + 100) / 10 × 20 where one image set is left, √(2 × 101) / 20 × 20 elsewhere.
  assert.ok(Math.abs(r.err[12]! - Math.sqrt(101) * 2) < 1e-4);
  assert.ok(Math.abs(r.err[0]! - Math.sqrt(202)) < 1e-4);
  assert.equal(r.dq[12], 0, "the product's CR flag only where every image set was masked");
  assert.equal(images[1]!.dq[12], 8192);
  assert.equal(images[0]!.dq[12], 0);
  assert.equal(r.exptot, 20);
});

test("calstis2 with INITGUES = median on three 5×5 image sets: the median ignores the cosmic ray, which is rejected", () => {
  const image = (center: number, level = 100) => {
    const sci = new Float32Array(25).fill(level);
    sci[12] = center;
    return { sci, dq: new Uint16Array(25), exptime: 10, noise: 1, gain: 1 };
  };
  // the cosmic ray in the middle image set, so that only a median guess that sorts sets it aside
  const images = [image(101, 101), image(5000, 102), image(99, 99)];
  const params: StisCrrejParameters = {
    initial: "median",
    sky: "none",
    sigmasText: "4",
    sigmas: [4],
    rej: 1,
    psigma: 0.5,
    scalenoise: 0,
    badbits: 0,
    mask: true,
    meanexp: 10,
  };
  const r = ocrreject(5, 5, images, params);
  assert.equal(r.nrej, 1, "only the cosmic ray");
  assert.equal(images[1]!.dq[12], 8192);
  assert.ok(Math.abs(r.sci[12]! - 300) < 1e-3, `(101 + 99) / 20 s × 30 s = 300, got ${r.sci[12]}`);
  assert.ok(Math.abs(r.sci[0]! - 302) < 1e-3, `(102 + 101 + 99) / 30 s × 30 s = 302, got ${r.sci[0]}`);
});
