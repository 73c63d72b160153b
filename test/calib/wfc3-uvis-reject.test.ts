/**
 * WF3REJ on small hand-made stacks (hstcal wf3rej: rej_check.c, rej_init.c, rej_loop.c, rej_do.c): the per-amp
 * noise model in DN, the product's ERR, the CR flags written back, and the quirks kept for parity with
 * calwf3.e (SPILL thresholds of the rows below a hit, the minimum guess's amp asymmetry, a single exposed input).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CrrejParameters } from "../../src/calib/common/crrejtab.js";
import { rejectUvisChip } from "../../src/calib/wfc3/uvis-reject.js";
import { uvisInitialGuess } from "../../src/calib/wfc3/uvis-reject-guess.js";
import { type UvisNoise, uvisNoise } from "../../src/calib/wfc3/uvis-reject-noise.js";

const f = Math.fround;
const NX = 16;
const NY = 5;
const CR = 8192;

const parameters = (over: Partial<CrrejParameters> = {}): CrrejParameters => ({
  initgues: "minimum",
  skysub: "none",
  crsigmas: "6",
  sigmas: [6],
  crradius: 1,
  crthresh: 0.5555,
  scalense: 0,
  badinpdq: 0,
  crmask: true,
  meanexp: 10,
  ...over,
});

/** Both amps of UVIS1 read 3.1 e (A) and 3.05 e (B) with gains 1.5 and 2; the right amp starts at column 8. */
const noise: UvisNoise = uvisNoise([3.1, 3.05, 3.2, 3.15], [1.5, 2, 1.6, 1.7], 1, 8, NX);

function image(value: number, set: [number, number, number][] = []) {
  const sci = new Float32Array(NX * NY).fill(value);
  for (const [x, y, v] of set) sci[y * NX + x] = v;
  return { sci, err: new Float32Array(NX * NY), dq: new Uint16Array(NX * NY) };
}

test("WF3REJ noise: (READNSE/ATODGN)² and ATODGN of the chip's left and right amp, AMPX at most the width", () => {
  const uvis1 = uvisNoise([3.1, 3.05, 3.2, 3.15], [1.5, 2, 1.6, 1.7], 1, 2048, 4096);
  assert.deepEqual(uvis1.gain, [1.5, 2]);
  assert.equal(uvis1.readVariance[0], f(f(f(3.1) / 1.5) ** 2));
  assert.equal(uvis1.readVariance[1], f(f(f(3.05) / 2) ** 2));
  const uvis2 = uvisNoise([3.1, 3.05, 3.2, 3.15], [1.5, 2, 1.6, 1.7], 2, 2048, 512);
  assert.deepEqual(uvis2.gain, [f(1.6), f(1.7)]);
  assert.equal(uvis2.ampx, 512, "a subarray narrower than AMPX is all left amp");
  assert.deepEqual(uvisNoise([3, 3, 3, 3], [0, 0, 0, 0], 1, 10, 20).readVariance, [0, 0], "gain 0: no read noise");
});

test("WF3REJ product: SCI = mean rate × Σt, ERR = √Σ(RN²/g² + DN/g) per amp, no CR flag on a clean stack", () => {
  const images = [image(100), image(100)];
  const r = rejectUvisChip({ nx: NX, ny: NY, images, exptimes: [10, 10], parameters: parameters(), noise });
  assert.ok(r.sci.every((v) => v === 200));
  for (const [i, side] of [
    [3, 0],
    [12, 1],
  ] as const) {
    const variance = f(noise.readVariance[side] + f(100 / noise.gain[side]));
    const expected = f(f(Math.sqrt(f(variance + variance)) / 20) * 20);
    assert.equal(r.err[2 * NX + i], expected, `column ${i}`);
  }
  assert.equal(r.nrej, 0);
  assert.ok(r.dq.every((d) => d === 0));
  assert.ok(images.every((im) => im.dq.every((d) => d === 0)));
});

test("WF3REJ: a cosmic ray is left out of the sum and flagged 8192 in its input only", () => {
  const images = [image(100), image(100, [[5, 2, 1000]])];
  const r = rejectUvisChip({ nx: NX, ny: NY, images, exptimes: [10, 10], parameters: parameters(), noise });
  assert.equal(r.sci[2 * NX + 5], 200, "the other input's rate × Σt");
  assert.equal(r.dq[2 * NX + 5], 0, "one good input: no CR in the product");
  assert.equal(images[1].dq[2 * NX + 5], CR);
  assert.equal(images[0].dq[2 * NX + 5], 0);
  assert.ok(r.nrej >= 1);
});

test("WF3REJ quirk: a neighbour below a hit is tested against its own rate, so a negative one is always SPILL", () => {
  // Columns 5 of rows 1 and 3 are -5 DN in both inputs; input 2 has a cosmic ray between them (row 2).
  const dips: [number, number, number][] = [
    [5, 1, -5],
    [5, 3, -5],
  ];
  const images = [image(100, dips), image(100, [...dips, [5, 2, 1000]])];
  const r = rejectUvisChip({ nx: NX, ny: NY, images, exptimes: [10, 10], parameters: parameters(), noise });
  assert.equal(images[1].dq[2 * NX + 5], CR, "the hit");
  assert.equal(images[1].dq[3 * NX + 5], CR, "the row below: its threshold is its rate (-0.5), d² = 0 exceeds it");
  assert.equal(images[1].dq[1 * NX + 5], 0, "the row above: a noise-model threshold, d² = 0 stays below it");
  assert.equal(r.sci[3 * NX + 5], -10, "the SPILL pixel is left out: the other input's -5 DN × 2");
});

test("WF3REJ minimum guess: the left amp takes 0 for a flagged lower value, the right amp keeps image 0's flagged value", () => {
  const a = { sci: Float32Array.of(50, 50), dq: Uint16Array.of(4, 4), efac: 10, sky: 0 };
  const b = { sci: Float32Array.of(80, 80), dq: Uint16Array.of(0, 0), efac: 10, sky: 0 };
  const two = uvisNoise([3, 3, 3, 3], [1.5, 1.5, 1.5, 1.5], 1, 1, 2);
  const guess = uvisInitialGuess("minimum", [a, b], 4, two, 0, 2);
  assert.equal(guess.ave[0], 0, "left amp: image 0 flagged → 0");
  assert.equal(guess.ave[1], 5, "right amp: image 0's flagged 50 DN / 10 s is kept");
  const median = uvisInitialGuess("median", [a, b], 4, two, 0, 2);
  assert.deepEqual([...median.ave], [8, 8], "the median uses good inputs only");
});

test("WF3REJ with one exposed input: its SCI and ERR × Σt, unscaled, as hstcal writes them", () => {
  const images = [image(100), image(300)];
  images[0].err.fill(7);
  const r = rejectUvisChip({ nx: NX, ny: NY, images, exptimes: [10, 0], parameters: parameters(), noise });
  assert.equal(r.rejected, false);
  assert.ok(r.sci.every((v) => v === 1000));
  assert.ok(r.err.every((v) => v === 70));
  assert.equal(r.headerSource, 0);
});

test("WF3REJ SKYSUB mean: each input's sky is a 4σ resistant mean of its DQ-0 pixels, outliers left out", () => {
  const images = [image(100), image(140)];
  images.forEach((im) => {
    for (let k = 0; k < im.sci.length; k += 3) im.sci[k] += k % 2 === 0 ? 1 : -1;
    im.sci[7] = 20000; // a cosmic ray
    im.sci[9] = 5000;
    im.dq[9] = 4; // flagged: not read at all
  });
  const mean = (im: (typeof images)[number]) => {
    const kept = [...im.sci].filter((v, k) => im.dq[k] === 0 && v < 1000);
    return kept.reduce((a, v) => a + v, 0) / kept.length;
  };
  const r = rejectUvisChip({
    nx: NX,
    ny: NY,
    images,
    exptimes: [10, 10],
    parameters: parameters({ skysub: "mean" }),
    noise,
  });
  for (const [n, s] of r.sky.entries()) assert.ok(Math.abs(s - mean(images[n])) < 1e-4, `sky ${n}: ${s}`);
  assert.equal(r.skysum, f(r.sky[0] + r.sky[1]));
});
