/**
 * ACSREJ's and WF3REJ's iterations keep each image's rates and masks for the 2·CRRADIUS + 1 rows a hit can
 * reach only: on images with cosmic rays, bad pixels and a sky, every output (average, ERR, DQ, rejections, the
 * CR flags written into the inputs) equals the whole-image implementation's (test/calib/oracles), bit for bit,
 * across radii (0, fractional, wider than the image), CRMASK, shading, an unexposed input and a DARK; with the
 * WebAssembly kernels and with the TypeScript ones (CALDP_WASM=0).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type LoopImage, type LoopParameters, rejectionIterations } from "../../src/calib/common/cr-reject-loop.js";
import { type UvisLoopParameters, uvisRejectionIterations } from "../../src/calib/wfc3/uvis-reject-loop.js";
import { uvisNoise } from "../../src/calib/wfc3/uvis-reject-noise.js";
import { mulberry32 as random } from "../helpers/mulberry32.js";
import { rejectionIterations as wholeImageAcsrej } from "./oracles/whole-image-acsrej-loop.js";
import { uvisRejectionIterations as wholeImageWf3rej } from "./oracles/whole-image-wf3rej-loop.js";

interface Scene {
  nx: number;
  ny: number;
  images: LoopImage[];
}

/** `count` exposures of one sky and stars, with noise, cosmic rays (single pixels and trails) and bad pixels. */
function scene(seed: number, nx: number, ny: number, efacs: number[]): Scene {
  const next = random(seed);
  const truth = new Float32Array(nx * ny);
  for (let k = 0; k < truth.length; k++) truth[k] = 20 + (next() < 0.02 ? 500 * next() : 0);
  const images = efacs.map((efac, n) => {
    const sci = new Float32Array(nx * ny);
    const err = new Float32Array(nx * ny);
    const dq = new Uint16Array(nx * ny);
    for (let k = 0; k < sci.length; k++) {
      const expected = truth[k]! * Math.max(efac, 1);
      sci[k] = expected + Math.sqrt(expected) * (next() + next() + next() - 1.5) * 2;
      err[k] = Math.sqrt(expected + 25);
      if (next() < 0.01) dq[k] = [4, 16, 32, 256][Math.floor(next() * 4)]!;
      if (next() < 0.015) {
        const length = 1 + Math.floor(next() * 4);
        for (let t = 0; t < length && k + t * nx < sci.length; t++) sci[k + t * nx]! += 2000 * next() + 200;
      }
    }
    return { sci, err, dq, efac, sky: 10 + n };
  });
  return { nx, ny, images };
}

const copies = (images: LoopImage[]) =>
  images.map((i) => ({ ...i, sci: i.sci.slice(), err: i.err.slice(), dq: i.dq.slice() }));

const acsParameters = (crradius: number, extra: Partial<LoopParameters> = {}): LoopParameters => ({
  sigmas: [6, 5, 4],
  crradius,
  crthresh: 0.5,
  scalense: 2,
  badinpdq: 0x7fff & ~8192,
  biasOrDark: false,
  crmask: true,
  ...extra,
});

function shading(nx: number, ny: number): Float32Array {
  const next = random(99);
  return Float32Array.from({ length: nx * ny }, () => 0.2 * next());
}

const acsCases: [string, number, number, number[], number, Partial<LoopParameters>][] = [
  ["CRRADIUS 2.1, two images", 37, 29, [100, 100], 2.1, {}],
  ["CRRADIUS 1.5, four images, CRMASK off", 24, 31, [50, 60, 50, 40], 1.5, { crmask: false }],
  ["CRRADIUS 0", 19, 11, [100, 100], 0, {}],
  ["CRRADIUS 3 on a 5-row image (the ring wider than the image)", 23, 5, [100, 80, 100], 3, {}],
  ["CRRADIUS 1 on one row", 40, 1, [100, 100], 1, {}],
  ["an unexposed input, shading", 33, 17, [100, 0, 90], 2, { shading: true } as never],
  ["a DARK, one sigma", 16, 21, [100, 100], 1.2, { biasOrDark: true, sigmas: [4] }],
];

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
const KERNELS = ["wasm", "typescript"] as const;

for (const [name, nx, ny, efacs, crradius, extra] of acsCases) {
  for (const kernels of KERNELS)
    test(`ACSREJ line-buffered iterations (${kernels}) equal the whole-image ones: ${name}`, () => {
      const { images } = scene(nx * 1000 + ny, nx, ny, efacs);
      const withShading = (extra as { shading?: unknown }).shading === true;
      const p = acsParameters(crradius, { ...extra, shading: withShading ? shading(nx, ny) : undefined, kernels });
      const guess = () => Float32Array.from(images[0]!.sci, (v) => (v - 10) / Math.max(efacs[0]!, 1));
      const [a, b] = [copies(images), copies(images)];
      const [aveA, aveB] = [guess(), guess()];
      const ours = rejectionIterations(nx, ny, a, aveA, p);
      const oracle = wholeImageAcsrej(nx, ny, b, aveB, p);
      assert.ok(oracle.nrej > 0, "the scene has rejections");
      assert.equal(ours.nrej, oracle.nrej);
      assert.deepEqual(bits(aveA), bits(aveB), "average");
      assert.deepEqual(bits(ours.err), bits(oracle.err), "ERR");
      assert.deepEqual(ours.dq, oracle.dq, "DQ");
      for (const [n, image] of a.entries()) assert.deepEqual(image.dq, b[n]!.dq, `input ${n}'s DQ (CR flags)`);
    });
}

const uvisParameters = (crradius: number, extra: Partial<UvisLoopParameters> = {}): UvisLoopParameters => ({
  sigmas: [6, 5, 4],
  crradius,
  crthresh: 0.5,
  scalense: 2,
  badinpdq: 0x7fff & ~8192,
  minimumGuess: true,
  noise: uvisNoise([3.1, 3.05, 3.2, 3.15], [1.5, 2, 1.6, 1.7], 1, 20, 41),
  crmask: true,
  ...extra,
});

const uvisCases: [string, number, number, number[], number, Partial<UvisLoopParameters>][] = [
  ["CRRADIUS 2.1, minimum guess", 41, 27, [100, 100], 2.1, {}],
  ["CRRADIUS 1.5, median guess, four images, CRMASK off", 41, 33, [50, 60, 50, 40], 1.5, { minimumGuess: false }],
  ["CRRADIUS 0", 41, 9, [100, 100], 0, {}],
  ["CRRADIUS 3 on a 4-row image", 41, 4, [100, 100, 100], 3, {}],
  ["an unexposed input, shading", 41, 18, [100, 0, 90], 2, { shading: true } as never],
];

for (const [name, nx, ny, efacs, crradius, extra] of uvisCases) {
  for (const kernels of KERNELS)
    test(`WF3REJ line-buffered iterations (${kernels}) equal the whole-image ones: ${name}`, () => {
      const { images } = scene(nx * 7 + ny, nx, ny, efacs);
      const withShading = (extra as { shading?: unknown }).shading === true;
      const p = uvisParameters(crradius, { ...extra, shading: withShading ? shading(nx, ny) : undefined, kernels });
      const guess = () => Float32Array.from(images[0]!.sci, (v) => (v - 10) / Math.max(efacs[0]!, 1));
      const variance = () => Float32Array.from(images[0]!.sci, (v) => Math.abs(v) / 1e4 + 0.01);
      const [a, b] = [copies(images), copies(images)];
      const ours = uvisRejectionIterations(nx, ny, a, guess(), variance(), p);
      const oracle = wholeImageWf3rej(nx, ny, b, guess(), variance(), p);
      assert.ok(oracle.nrej > 0, "the scene has rejections");
      assert.equal(ours.nrej, oracle.nrej);
      assert.deepEqual(bits(ours.ave), bits(oracle.ave), "average");
      assert.deepEqual(bits(ours.err), bits(oracle.err), "ERR");
      assert.deepEqual(ours.dq, oracle.dq, "DQ");
      for (const [n, image] of a.entries()) assert.deepEqual(image.dq, b[n]!.dq, `input ${n}'s DQ (CR flags)`);
    });
}
