/**
 * The image arithmetic and statistics' WebAssembly SIMD kernels (wasm/image-kernels.ts, built by npm run build)
 * give the same bits as their TypeScript loops (CALDP_WASM=0): subtractImage, divideImage in its three divisor
 * modes, imageStatistics and the dark's meanOfGoodPixels on random values of all magnitudes with zeros, -0, subnormals, NaN and infinities,
 * every DQ bit, widths that are not multiples of 8, sections placed inside a larger reference and images longer
 * than one run of the kernels. A NaN is compared as a NaN, not by its bits: where two different NaNs meet (NaN +
 * NaN), which one comes out depends on the operand order the compiler chose, in JavaScript as in the C programs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { meanOfGoodPixels } from "../../src/calib/acs/dark.js";
import { type DivisorScale, divideImage, subtractImage } from "../../src/calib/common/arithmetic.js";
import { imageKernels } from "../../src/calib/common/image-kernels.js";
import { createImageSet, type ImageSet, type Section } from "../../src/calib/common/imset.js";
import { imageStatistics } from "../../src/calib/common/statistics.js";
import { mulberry32 as random } from "../helpers/mulberry32.js";

const SPECIAL = [0, -0, 1e-45, -3e-39, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.4e38];

function randomSet(seed: number, nx: number, ny: number): ImageSet {
  const next = random(seed);
  const value = () => {
    const u = next();
    if (u < 0.03) return SPECIAL[Math.floor(next() * SPECIAL.length)]!;
    if (u < 0.08) return 0;
    return (next() - 0.3) * 10 ** Math.floor(next() * 8 - 2);
  };
  const set = createImageSet(nx, ny);
  for (let k = 0; k < nx * ny; k++) {
    set.sci[k] = value();
    set.err[k] = next() < 0.1 ? value() : Math.abs(value());
    set.dq[k] = next() < 0.7 ? 0 : 1 << Math.floor(next() * 16);
  }
  return set;
}

const copy = (s: ImageSet): ImageSet => ({ ...s, sci: s.sci.slice(), err: s.err.slice(), dq: s.dq.slice() });
/** The bits of each float, every NaN as the one canonical NaN. */
const bits = (a: Float32Array) =>
  Uint32Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, k) => (Number.isNaN(a[k]) ? 0x7fc00000 : b));

/** Runs `op` on a copy of `a` with the WebAssembly kernels and on another with the TypeScript loops. */
function bothWays<T>(a: ImageSet, op: (set: ImageSet) => T): { wasm: ImageSet; ts: ImageSet; results: T[] } {
  const saved = process.env["CALDP_WASM"];
  const wasm = copy(a);
  const ts = copy(a);
  try {
    process.env["CALDP_WASM"] = "1";
    assert.ok(imageKernels(), "the WebAssembly kernels load (npm run build)");
    const fromWasm = op(wasm);
    process.env["CALDP_WASM"] = "0";
    assert.equal(imageKernels(), undefined);
    return { wasm, ts, results: [fromWasm, op(ts)] };
  } finally {
    if (saved === undefined) delete process.env["CALDP_WASM"];
    else process.env["CALDP_WASM"] = saved;
  }
}

function assertSameBits(wasm: ImageSet, ts: ImageSet, what: string): void {
  assert.ok(wasm.sci !== ts.sci);
  for (const [name, x, y] of [
    ["SCI", bits(wasm.sci), bits(ts.sci)],
    ["ERR", bits(wasm.err), bits(ts.err)],
    ["DQ", wasm.dq, ts.dq],
  ] as const) {
    for (let k = 0; k < x.length; k++) {
      if (x[k] !== y[k])
        assert.fail(`${what}: ${name}[${k}] ${x[k]!.toString(16)} (wasm) != ${y[k]!.toString(16)} (ts)`);
    }
  }
}

// [nx, ny, reference nx, reference ny, x0, y0]: whole images (one run or several) and sections inside a reference
const SHAPES = [
  [1, 1, 1, 1, 0, 0],
  [13, 7, 13, 7, 0, 0],
  [9, 5, 21, 11, 3, 4],
  [37, 3, 37, 10, 0, 6],
  [4096, 9, 4096, 9, 0, 0],
  [300, 70, 310, 75, 10, 5],
] as const;

for (const [nx, ny, rnx, rny, x0, y0] of SHAPES) {
  const place = `${nx}x${ny} at (${x0}, ${y0}) of ${rnx}x${rny}`;
  const a = randomSet(nx * 31 + ny, nx, ny);
  const section = (): Section => ({ set: randomSet(rnx * 7 + rny, rnx, rny), x0, y0 });
  const b = section();

  test(`subtractImage: the WebAssembly kernel gives the TypeScript loop's bits, ${place}`, () => {
    for (const scale of [1, 0.37, -2.5e3]) {
      const { wasm, ts } = bothWays(a, (set) => subtractImage(set, b, "test", scale));
      assertSameBits(wasm, ts, `subtract × ${scale}, ${place}`);
    }
  });

  test(`divideImage: the WebAssembly kernel gives the TypeScript loop's bits, ${place}`, () => {
    const divisors: (DivisorScale | undefined)[] = [undefined, { scale: 0.013, add: 1 }, { divideBy: 1.7 }];
    for (const divisor of divisors) {
      const { wasm, ts } = bothWays(a, (set) => divideImage(set, b, "test", divisor));
      assertSameBits(wasm, ts, `divide ${JSON.stringify(divisor)}, ${place}`);
    }
  });

  test(`imageStatistics: the WebAssembly kernel gives the TypeScript loop's values, ${nx}x${ny}`, () => {
    // finite, positive errors for most pixels so that the sums are numbers; then the raw random set (NaN sums)
    const finite = copy(a);
    for (let k = 0; k < finite.sci.length; k++) {
      if (!Number.isFinite(finite.sci[k]!)) finite.sci[k] = k;
      if (!Number.isFinite(finite.err[k]!)) finite.err[k] = 0.5;
    }
    for (const [set, sdqflags] of [
      [finite, 65535],
      [finite, 0],
      [finite, 0x10000 | 4],
      [a, 31],
    ] as const) {
      const { results } = bothWays(set, (s) => imageStatistics(s, sdqflags));
      assert.deepEqual(results[0], results[1], `statistics with SDQFLAGS ${sdqflags}, ${nx}x${ny}`);
    }
  });

  test(`meanOfGoodPixels: the WebAssembly kernel gives the TypeScript loop's mean, ${place}`, () => {
    const finite = section();
    finite.set.sci = finite.set.sci.map((v, k) => (Math.abs(v) < 1e30 ? v : k));
    for (const [where, sdqflags] of [
      [finite, 65535],
      [finite, 8 | 0x10000],
      [b, 0],
    ] as const) {
      const { results } = bothWays(a, () => meanOfGoodPixels(where, nx, ny, 812.5, sdqflags));
      if (where === finite) assert.ok(Number.isFinite(results[0]), `a finite mean with SDQFLAGS ${sdqflags}, ${place}`);
      assert.equal(results[0], results[1], `mean with SDQFLAGS ${sdqflags}, ${place}`);
    }
  });
}

test("divideImage: a zero divisor leaves SCI and ERR and flags CALIBDEFECT in every lane and the tail", () => {
  const a = createImageSet(11, 1, { sci: Float32Array.from({ length: 11 }, (_, i) => i + 1) });
  a.err.fill(2);
  const b = createImageSet(11, 1, { sci: Float32Array.from({ length: 11 }, (_, i) => (i % 3 === 0 ? 0 : 2)) });
  b.err.fill(0);
  const { wasm, ts } = bothWays(a, (set) => divideImage(set, { set: b, x0: 0, y0: 0 }));
  assertSameBits(wasm, ts, "zero divisors");
  assert.deepEqual(Array.from(wasm.dq), [512, 0, 0, 512, 0, 0, 512, 0, 0, 512, 0]);
  assert.deepEqual(Array.from(wasm.sci), [1, 1, 1.5, 4, 2.5, 3, 7, 4, 4.5, 10, 5.5]);
  assert.deepEqual(Array.from(wasm.err), [2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1]);
});
