// The post-SM4 ACS/WFC electronics of the simulator on a small chip: stripes at the readout time of each
// pixel and common to the amps, cross-talk from the mirrored pixel, and a bias shift that calacs's
// correction (an independent implementation, src/calib/acs/bias-shift.ts) undoes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { removeBiasShift } from "../../src/calib/acs/bias-shift.js";
import { applyPostSm4Electronics, CROSS_TALK, postSm4Setup } from "../../src/sim/acs-post-sm4.js";
import { type AmpName, type ChipLayout, detectorModel } from "../../src/sim/detectors.js";
import { Random } from "../../src/sim/random.js";

const WIDTH = 30;
const ROWS = 10;

/** A chip of two amps WIDTH columns wide: C|D (bottom readout) or A|B (top readout). */
function chip(left: AmpName, right: AmpName, bias = 0): ChipLayout {
  const amp = (name: AmpName, rawX0: number) => ({
    amp: name,
    rawX0,
    rawX1: rawX0 + WIDTH,
    sciRawX0: rawX0,
    sciX0: rawX0,
    sciWidth: WIDTH,
    bias,
    gain: 2,
    readNoise: 5,
  });
  return {
    extver: 1,
    ccdchip: 1,
    rawNx: 2 * WIDTH,
    rawNy: ROWS,
    sciRawY0: 0,
    sciNx: 2 * WIDTH,
    sciNy: ROWS,
    amps: [amp(left, 0), amp(right, WIDTH)],
  };
}

const knots = Float64Array.from({ length: ROWS + 1 }, (_, i) => (i * 7) % 5);
const stripeOnly = { stripes: knots, crossTalk: false, biasShift: false };

test("stripes: the same function of readout time for every amp, read from the amp's corner", () => {
  const bottom = new Float64Array(2 * WIDTH * ROWS);
  const top = new Float64Array(2 * WIDTH * ROWS);
  applyPostSm4Electronics(chip("C", "D"), bottom, stripeOnly);
  applyPostSm4Electronics(chip("A", "B"), top, stripeOnly);
  // Amp row 3, column 20: t = 3 + 8.5/176, between knots 3 and 4.
  const t = 3 + (20 - 11.5) / (WIDTH + 146);
  const expected = knots[3] + (t - 3) * (knots[4] - knots[3]);
  const rawIndex = (y: number, x: number) => y * 2 * WIDTH + x;
  assert.equal(bottom[rawIndex(3, 20)], expected); // C: rows and columns from the bottom left
  assert.equal(bottom[rawIndex(3, 2 * WIDTH - 1 - 20)], expected); // D: columns from the right
  assert.equal(top[rawIndex(ROWS - 1 - 3, 20)], expected); // A: rows from the top
  assert.equal(top[rawIndex(ROWS - 1 - 3, 2 * WIDTH - 1 - 20)], expected); // B
  // Column 0 of row 0 is read before t = 0: the first segment extended.
  assert.equal(bottom[0], knots[0] + (-11.5 / 176) * (knots[1] - knots[0]));
});

test("cross-talk: −9.1e-5 × the pixel mirrored across the chip's row", () => {
  const signal = new Float64Array(2 * WIDTH * ROWS);
  signal[2 * 2 * WIDTH + 5] = 80000;
  const zero = new Float64Array(ROWS + 1);
  applyPostSm4Electronics(chip("C", "D"), signal, { stripes: zero, crossTalk: true, biasShift: false });
  assert.equal(signal[2 * 2 * WIDTH + 2 * WIDTH - 1 - 5], -CROSS_TALK * 80000);
  assert.equal(signal[2 * 2 * WIDTH + 5], 80000);
  assert.equal(signal.filter((v) => v !== 0).length, 2);
});

test("bias shift: calacs's correction recovers the analog signal the simulator started from", () => {
  const level = 4000;
  const layout = chip("C", "D", level / 2); // bias 2000 DN × gain 2
  const random = new Random(3);
  const original = Float64Array.from({ length: 2 * WIDTH * ROWS }, (_, i) =>
    i % 17 === 0 ? 30000 : 20 + 5 * random.normal(),
  );
  const signal = Float64Array.from(original);
  applyPostSm4Electronics(layout, signal, { stripes: new Float64Array(ROWS + 1), crossTalk: false, biasShift: true });
  // Amp C (left half, rows from the bottom): the recorded stream with its level, as calacs sees it.
  const dsiC = 12.432145e-3;
  const stream = new Float64Array(ROWS * WIDTH);
  for (let i = 0; i < ROWS; i++)
    for (let j = 0; j < WIDTH; j++) stream[i * WIDTH + j] = signal[i * 2 * WIDTH + j] + level;
  let shifted = 0;
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < WIDTH; j++)
      shifted = Math.max(shifted, Math.abs(stream[i * WIDTH + j] - level - original[i * 2 * WIDTH + j]));
  }
  assert.ok(shifted > 10, `the bias shift changed the signal by up to ${shifted} e`);
  removeBiasShift(stream, WIDTH, 2, level / (1 - 0.3 * dsiC));
  let worst = 0;
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < WIDTH; j++) {
      worst = Math.max(worst, Math.abs(stream[i * WIDTH + j] - level - original[i * 2 * WIDTH + j]));
    }
  }
  assert.ok(worst < 0.01, `largest difference after the correction ${worst} e`);
});

test("epoch: post-sm4 only for ACS/WFC, adds JWROTYPE = DS_INT", () => {
  const extra: [string, string | number | boolean, string][] = [];
  assert.equal(postSm4Setup(undefined, detectorModel("ACS", "WFC"), extra), false);
  assert.equal(postSm4Setup("pre-sm4", detectorModel("ACS", "WFC"), extra), false);
  assert.equal(extra.length, 0);
  assert.equal(postSm4Setup("post-sm4", detectorModel("ACS", "WFC"), extra), true);
  assert.deepEqual(
    extra.map(([k, v]) => [k, v]),
    [["JWROTYPE", "DS_INT"]],
  );
  assert.throws(() => postSm4Setup("post-sm4", detectorModel("ACS", "HRC"), []), /ACS\/WFC only/);
  assert.throws(() => postSm4Setup("2012", detectorModel("ACS", "WFC"), []), /pre-sm4 or post-sm4/);
});
