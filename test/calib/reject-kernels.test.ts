/**
 * The CR rejections' WebAssembly SIMD kernels (wasm/reject-kernels.ts, built by npm run build) give the same bits
 * as their TypeScript twins (CALDP_WASM=0): each kernel on the same memory contents (random values, zeros, -0,
 * subnormals, NaN and infinities, every DQ bit), and ACSREJ's and WF3REJ's whole iterations on edge scenes —
 * all zeros, every pixel saturated, every pixel rejected, widths 1 to 13 (not multiples of 4), non-finite
 * pixels. Which kernels run by default follows CALDP_WASM, in a child process.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { type LoopImage, type LoopParameters, rejectionIterations } from "../../src/calib/common/cr-reject-loop.js";
import { Arena, type RejectMemory, rejectMemory } from "../../src/calib/common/reject-kernels.js";
import { uvisRejectionIterations } from "../../src/calib/wfc3/uvis-reject-loop.js";
import { uvisNoise } from "../../src/calib/wfc3/uvis-reject-noise.js";
import { mulberry32 as random } from "../helpers/mulberry32.js";
import { REPO } from "../helpers/paths.js";

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const SPECIAL = [0, -0, 1e-45, -3e-39, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.4e38];

/** Random floats of all magnitudes and signs, with a sprinkling of the special values. */
function floats(next: () => number, length: number): Float32Array {
  return Float32Array.from({ length }, () => {
    const u = next();
    if (u < 0.05) return SPECIAL[Math.floor(next() * SPECIAL.length)]!;
    if (u < 0.1) return 0;
    return (next() - 0.3) * 10 ** Math.floor(next() * 8 - 2);
  });
}

/** Lays out the same regions in a memory of each kind, fills them alike, runs `kernel` on both, compares. */
function bothKinds(
  seed: number,
  sizes: Record<string, [number, 2 | 4]>,
  run: (m: RejectMemory, at: Record<string, number>) => void,
) {
  const results = (["wasm", "typescript"] as const).map((kind) => {
    const memory = rejectMemory(kind);
    assert.equal(memory.kind, kind);
    const arena = new Arena(memory);
    const at = Object.fromEntries(
      Object.entries(sizes).map(([name, [length, bytes]]) => [name, arena.take(length, bytes)]),
    );
    arena.commit();
    const next = random(seed);
    const views = Object.entries(sizes).map(([name, [length, bytes]]) => {
      const view = bytes === 4 ? arena.f32(at[name]!, length) : arena.u16(at[name]!, length);
      if (view instanceof Float32Array) view.set(floats(next, length));
      else
        for (let i = 0; i < length; i++)
          view[i] = next() < 0.5 ? 0 : [2, 4, 8, 16, 256, 8192, 0xffff][Math.floor(next() * 7)]!;
      return [name, view] as const;
    });
    run(memory, at);
    return Object.fromEntries(views.map(([name, v]) => [name, v instanceof Float32Array ? bits(v) : Array.from(v)]));
  });
  assert.deepEqual(results[0], results[1]);
}

for (const n of [1, 3, 4, 7, 8, 13, 64, 101]) {
  test(`each kernel gives the TypeScript twin's bits on ${n} columns`, () => {
    const ring = 5 * n;
    const row: [number, 4] = [n, 4];
    bothKinds(n, { sci: row, rates: row }, (m, at) => m.kernels.loadRates(at.sci!, at.rates!, n, 12.5, 3));
    bothKinds(n + 1, { err: row, spill: row }, (m, at) => m.kernels.spillFromErrors(at.err!, at.spill!, n, 25, 9));
    bothKinds(n + 2, { mask: [n, 2], snapshot: [n, 2] }, (m, at) =>
      m.kernels.excludeFlagged(at.mask!, at.snapshot!, n, 0x7fff & ~8192),
    );
    const rings = { rates: [ring, 4], err: [ring, 4], spill: [ring, 4], ave: [ring, 4], mask: [ring, 2] } as const;
    for (const shading of [false, true]) {
      bothKinds(n + 3, { ...rings, shadcorr: row }, (m, at) =>
        m.kernels.testRowAcs(
          n,
          9,
          5,
          4,
          2,
          4.41,
          0.25,
          16,
          0.02,
          Math.fround(1.7),
          Math.fround(2.89),
          at.rates!,
          at.err!,
          at.spill!,
          at.ave!,
          at.mask!,
          shading ? at.shadcorr! : 0,
        ),
      );
    }
    bothKinds(n + 4, { ...rings, thresh: row }, (m, at) =>
      m.kernels.testRowThresholds(n, 3, 5, 1, 2, 2.25, -1, at.rates!, at.spill!, at.ave!, at.mask!, at.thresh!),
    );
    const sums = { rates: row, mask: [n, 2], err: row, sum: row, efacsum: row, err2: row } as const;
    for (const withErr of [false, true]) {
      bothKinds(n + 5, sums, (m, at) =>
        m.kernels.accumulateRow(n, 14, 100, at.rates!, at.mask!, at.err!, at.sum!, at.efacsum!, withErr ? at.err2! : 0),
      );
    }
    const average = { sum: row, efacsum: row, err2: row, shading: row, ave: row, errOut: row } as const;
    for (const [last, acs, shading] of [
      [true, true, false],
      [true, false, true],
      [false, true, true],
      [true, true, true],
    ]) {
      bothKinds(n + 6, average, (m, at) =>
        m.kernels.averageRow(
          n,
          last!,
          acs!,
          200,
          at.sum!,
          at.efacsum!,
          at.err2!,
          shading ? at.shading! : 0,
          at.ave!,
          at.errOut!,
        ),
      );
    }
    bothKinds(n + 7, { ave: row, shadcorr: row, thresh: row, spill: row }, (m, at) => {
      const half = n >> 1;
      m.kernels.noiseThresholds(
        0,
        half,
        400,
        12,
        25,
        0.03,
        160000,
        4.2,
        1.5,
        at.ave!,
        at.shadcorr!,
        at.thresh!,
        at.spill!,
      );
      m.kernels.noiseThresholds(
        half,
        n,
        400,
        12,
        25,
        0.03,
        160000,
        3.9,
        1.6,
        at.ave!,
        at.shadcorr!,
        at.thresh!,
        at.spill!,
      );
    });
    for (const flagged of [0, n - (n % 8)]) {
      const dqs = { snapshot: [n, 2], dq2: [n, 2], dq: [n, 2], mask: [n, 2], inputDq: [n, 2] } as const;
      const counts: number[] = [];
      bothKinds(n + 8, dqs, (m, at) => {
        counts.push(m.kernels.flagRow(n, at.snapshot!, at.dq2!, at.dq!, at.mask!, at.inputDq!, flagged));
      });
      assert.equal(counts[0], counts[1], "rejections");
    }
  });
}

type Fill = "random" | "zeros" | "saturated" | "all rejected" | "non-finite";

/** Two or three exposures of nx × ny filled as `fill` says. */
function images(nx: number, ny: number, fill: Fill, efacs: number[]): LoopImage[] {
  const next = random(nx * 31 + ny);
  return efacs.map((efac, n) => {
    const npix = nx * ny;
    const sci = new Float32Array(npix);
    const err = new Float32Array(npix);
    const dq = new Uint16Array(npix);
    for (let k = 0; k < npix; k++) {
      if (fill === "zeros") continue;
      const value = fill === "all rejected" ? (n + 1) * 1e5 : 100 + 10 * (next() - 0.5) + (next() < 0.05 ? 3000 : 0);
      sci[k] = fill === "non-finite" && next() < 0.1 ? SPECIAL[Math.floor(next() * SPECIAL.length)]! : value;
      err[k] = fill === "all rejected" ? 1 : Math.sqrt(Math.abs(value) + 16);
      dq[k] = fill === "saturated" ? 256 : next() < 0.02 ? 4 : 0;
    }
    return { sci, err, dq, efac, sky: fill === "zeros" ? 0 : 5 + n };
  });
}

const copies = (list: LoopImage[]) =>
  list.map((i) => ({ ...i, sci: i.sci.slice(), err: i.err.slice(), dq: i.dq.slice() }));
const FILLS: Fill[] = ["random", "zeros", "saturated", "all rejected", "non-finite"];

for (const fill of FILLS) {
  test(`ACSREJ and WF3REJ give the same bits with either kernels: ${fill} images, widths 1 to 13`, () => {
    let rejected = 0;
    for (const [nx, ny, crradius] of [
      [1, 6, 1.5],
      [3, 5, 2],
      [5, 7, 0],
      [6, 4, 2.5],
      [9, 9, 1],
      [13, 8, 3],
    ] as const) {
      const source = images(nx, ny, fill, [100, 80, 100]);
      const shading = fill === "random" ? Float32Array.from({ length: nx * ny }, (_, k) => 0.01 * (k % 7)) : undefined;
      const guess = () => new Float32Array(nx * ny).fill(fill === "zeros" ? 0 : 1);
      const acs = (kernels: RejectMemory["kind"]) => {
        const list = copies(source);
        const ave = guess();
        const p: LoopParameters = {
          sigmas: [6, 5, 4],
          crradius,
          crthresh: 0.5,
          scalense: 2,
          badinpdq: 0x7fff & ~8192,
          biasOrDark: false,
          crmask: true,
          shading,
          kernels,
        };
        const result = rejectionIterations(nx, ny, list, ave, p);
        return {
          nrej: result.nrej,
          ave: bits(ave),
          err: bits(result.err),
          dq: Array.from(result.dq),
          flags: list.map((i) => Array.from(i.dq)),
        };
      };
      const uvis = (kernels: RejectMemory["kind"]) => {
        const list = copies(source);
        const p = {
          sigmas: [5, 4],
          crradius,
          crthresh: 0.6,
          scalense: 3,
          badinpdq: 0x7fff & ~8192,
          minimumGuess: true,
          noise: uvisNoise([3, 3, 3.2, 3.1], [1.5, 1.6, 1.5, 1.6], 2, 2, nx),
          shading,
          crmask: true,
          kernels,
        };
        const result = uvisRejectionIterations(nx, ny, list, guess(), new Float32Array(nx * ny).fill(0.5), p);
        return {
          nrej: result.nrej,
          ave: bits(result.ave),
          err: bits(result.err),
          dq: Array.from(result.dq),
          flags: list.map((i) => Array.from(i.dq)),
        };
      };
      const [acsWasm, uvisWasm] = [acs("wasm"), uvis("wasm")];
      assert.deepEqual(acsWasm, acs("typescript"), `ACSREJ ${nx}×${ny}`);
      assert.deepEqual(uvisWasm, uvis("typescript"), `WF3REJ ${nx}×${ny}`);
      rejected += acsWasm.nrej + uvisWasm.nrej;
      if (fill === "all rejected") assert.equal(acsWasm.nrej, 3 * nx * ny, "every pixel of every image rejected");
      if (fill === "saturated" || fill === "zeros") assert.equal(acsWasm.nrej, 0);
    }
    if (fill === "random" || fill === "non-finite") assert.ok(rejected > 0, "the scenes have rejections");
  });
}

test("CALDP_WASM chooses the kernels; a value other than 0 or 1 is an error naming it", () => {
  const script = `import { rejectMemory } from "./src/calib/common/reject-kernels.ts"; console.log(rejectMemory().kind);`;
  const run = (value: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: REPO,
      env: { ...process.env, CALDP_WASM: value },
      encoding: "utf8",
      timeout: 30_000,
    });
  assert.equal(run("").stdout.trim(), "wasm");
  assert.equal(run("1").stdout.trim(), "wasm");
  assert.equal(run("0").stdout.trim(), "typescript");
  const bad = run("yes");
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /CALDP_WASM=yes: expected 0 \(TypeScript kernels\) or 1/);
});
