// WF3CTE's pieces on single columns and small images, with expectations worked out by hand from hstcal's
// wf3cte.c (sim_colreadout_l_uvis_w, rm_rnZ_colj, sub_ctecor_v2c, find_raz2rnoival, makeRAZ, findPostScanBias).
import assert from "node:assert/strict";
import { test } from "node:test";
import { trapModelFromProfiles } from "../../../src/calib/common/cte/trap-model.js";
import { correctUvisColumn, uvisColumnScratch } from "../../../src/calib/wfc3/cte-column.js";
import { imageReadNoise, removeColumnReadNoise } from "../../../src/calib/wfc3/cte-noise.js";
import {
  chipsToRaz,
  densityColumn,
  postScanBias,
  RAZ_COLUMNS,
  RAZ_ROWS,
  razToChips,
  UVIS_AMP_COLUMNS,
  UVIS_CHIP_COLUMNS,
} from "../../../src/calib/wfc3/cte-raz.js";
import { uvisReadout, uvisTransfer } from "../../../src/calib/wfc3/cte-readout.js";
import { Random } from "../../../src/sim/random.js";

// One trap at 5 e- releasing half its charge on the first shift after capture, a quarter on each of the next two.
const release = (values: number[]) => [...values, ...new Array(100 - values.length).fill(0)];
const oneTrap = trapModelFromProfiles([5], [release([0.5, 0.25, 0.25])]);
const column = (values: Record<number, number>, rows = 12) => {
  const c = new Float64Array(rows);
  for (const [k, v] of Object.entries(values)) c[Number(k)] = v;
  return c;
};
function near(actual: ArrayLike<number>, expected: number[], what: string): void {
  for (const [k, e] of expected.entries()) {
    assert.ok(Math.abs(actual[k] - e) < 1e-12, `${what} row ${k}: ${actual[k]} ≠ ${e}`);
  }
}

test("readout: a trap takes DPDE_W × density from a pixel that reaches it and releases it along RPROF", () => {
  const c = column({ 1: 100 });
  uvisTransfer(c, new Float64Array(12).fill(1), oneTrap, 1);
  near(c, [0, 99, 0.5, 0.25, 0.25, 0], "single source");
});

test("readout: row 0 is never read through the traps; the capture is 1/PCTENPAR per transfer", () => {
  const c = column({ 0: 100, 1: 100 });
  uvisTransfer(c, new Float64Array(12).fill(1), oneTrap, 2);
  // Row 0 keeps its 100; row 1 loses 1/2; the trail gets 0.25, 0.125, 0.125.
  near(c, [100, 99.5, 0.25, 0.125, 0.125, 0], "half capture");
});

test("readout: a refilled trap first hands back its release of the shift and what it still holds (CPROF)", () => {
  const c = column({ 1: 100, 3: 100 });
  uvisTransfer(c, new Float64Array(12).fill(1), oneTrap, 1);
  // Row 3: + RPROF[1] (0.25) + CPROF[1] (0.25, held after two shifts) − 1 captured again.
  near(c, [0, 99, 0.5, 99.5, 0.5, 0.25, 0.25, 0], "refill");
  const total = c.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(total - 200) < 1e-12, "charge is conserved");
});

test("readout: where the density drops along the column, the charge held drops with it", () => {
  const density = new Float64Array(12).fill(1);
  density[3] = 0.5;
  density[4] = 0.5;
  const c = column({ 1: 100 });
  uvisTransfer(c, density, oneTrap, 1);
  // From row 3 on the trap holds 0.5: releases 0.25 × 0.5 and 0.25 × 0.5.
  near(c, [0, 99, 0.5, 0.125, 0.125, 0], "density drop");
});

test("readout: pixels below every trap level are left alone; PCTENPAR transfers are applied in turn", () => {
  const faint = column({ 1: 4, 2: 3 });
  uvisReadout(faint, new Float64Array(12).fill(1), oneTrap, 7);
  near(faint, [0, 4, 3, 0], "below the trap");
  const once = column({ 1: 100 });
  uvisReadout(once, new Float64Array(12).fill(1), oneTrap, 1);
  near(once, [0, 99, 0.5, 0.25, 0.25], "one transfer");
});

test("read-noise mitigation: nothing to do without positive pixels, and sources far above the noise are kept", () => {
  const smooth = new Float64Array(RAZ_ROWS);
  const empty = new Float64Array(RAZ_ROWS).fill(-3);
  removeColumnReadNoise(empty, smooth, 5);
  assert.deepEqual([...smooth], [...empty]);
  // A flat column with one 1000 e- pixel: every |pixel − mean of neighbours| is 0 or ≥ 495 > 6 × 5 e-.
  const bright = new Float64Array(RAZ_ROWS).fill(10);
  bright[100] = 1000;
  removeColumnReadNoise(bright, smooth, 5);
  assert.deepEqual([...smooth], [...bright]);
});

test("read-noise mitigation: a bump of 2 e- under a 5 e- noise is spread out, its charge kept", () => {
  const c = new Float64Array(RAZ_ROWS).fill(10);
  c[100] = 12;
  const smooth = new Float64Array(RAZ_ROWS);
  removeColumnReadNoise(c, smooth, 5);
  assert.ok(smooth[100] < 11, `the bump is flattened: ${smooth[100]}`);
  let moved = 0;
  for (let j = 2; j <= 2047; j++) moved += smooth[j] - c[j];
  // Moved, not lost, but for what the mitigation pushes past its rows 2..2047 (hstcal does not apply that part).
  assert.ok(Math.abs(moved) < 1e-3, `charge moved, not lost: ${moved}`);
});

test("column correction: the trails the readout made are taken back to the charge before readout", () => {
  const traps = trapModelFromProfiles(
    [2, 8, 18, 32, 50, 200, 800],
    [0, 1, 2, 3, 4, 5, 6].map((w) => release(Array.from({ length: 60 }, (_, t) => Math.exp(-t / (2 + w)) / (2 + w)))),
  );
  const truth = new Float64Array(RAZ_ROWS).fill(30);
  truth[1200] = 3000;
  truth[1900] = 800;
  const density = densityColumn(0.9);
  const observed = Float64Array.from(truth);
  uvisReadout(observed, density, traps, 7);
  const settings = { model: traps, forwardIterations: 5, parallelTransfers: 7, threshold: -10, readNoise: 0 };
  const corrected = correctUvisColumn(observed, Float64Array.from(density), settings, uvisColumnScratch(RAZ_ROWS));
  let before = 0;
  let after = 0;
  for (let j = 0; j < RAZ_ROWS; j++) {
    before = Math.max(before, Math.abs(observed[j] - truth[j]));
    after = Math.max(after, Math.abs(corrected[j] - truth[j]));
  }
  assert.ok(before > 2, `the readout trails the sources: ${before} e-`);
  assert.ok(after < 0.05 * before, `corrected within 5% of the trail: ${after} e- (trail ${before} e-)`);
});

test("RAZ layout: amps C, D, A, B side by side, each turned to read out at its lower left", () => {
  const cd = new Float32Array(UVIS_CHIP_COLUMNS * RAZ_ROWS);
  const ab = new Float32Array(UVIS_CHIP_COLUMNS * RAZ_ROWS);
  cd[0] = 1; // C's amp corner
  cd[UVIS_CHIP_COLUMNS - 1] = 2; // D's: the chip's right end of row 0
  ab[(RAZ_ROWS - 1) * UVIS_CHIP_COLUMNS] = 3; // A's: top left of chip 1
  ab[RAZ_ROWS * UVIS_CHIP_COLUMNS - 1] = 4; // B's: top right
  const raz = chipsToRaz(cd, ab);
  for (const [quad, value] of [1, 2, 3, 4].entries()) assert.equal(raz[quad * UVIS_AMP_COLUMNS * RAZ_ROWS], value);
  const cd2 = new Float32Array(cd.length);
  const ab2 = new Float32Array(ab.length);
  razToChips(raz, cd2, ab2);
  assert.deepEqual([cd2, ab2], [cd, ab]);
});

test("overscan level: the resistant mean of each amp's serial virtual overscan (RAZ columns 2075–2102)", () => {
  const raz = new Float32Array(RAZ_COLUMNS * RAZ_ROWS);
  [100, 200, 300, 400].forEach((level, quad) => {
    for (let i = 2075; i < UVIS_AMP_COLUMNS; i++) {
      const base = (quad * UVIS_AMP_COLUMNS + i) * RAZ_ROWS;
      for (let j = 0; j < RAZ_ROWS; j++) raz[base + j] = level + (j % 2 === 0 ? 1 : -1);
      raz[base + 7] = 1e6; // an outlier the clipping rejects
    }
  });
  const levels = postScanBias(raz);
  for (const [quad, l] of levels.entries()) assert.ok(Math.abs(l - 100 * (quad + 1)) < 0.01, `amp ${quad}: ${l}`);
});

test("image read noise: about σ for Gaussian noise; 9.75 when the background sits on 0", () => {
  const random = new Random("wf3cte-noise");
  const raz = new Float32Array(RAZ_COLUMNS * RAZ_ROWS);
  for (let k = 0; k < raz.length; k++) raz[k] = 100 + 6 * random.normal();
  const sigma = imageReadNoise(raz);
  assert.ok(Math.abs(sigma - 6) < 0.4, `σ 6 e- estimated as ${sigma}`);
  assert.equal(imageReadNoise(new Float32Array(RAZ_COLUMNS * RAZ_ROWS).fill(0.01)), 9.75);
});
