/**
 * The WebAssembly SIMD twins of the image arithmetic (arithmetic.ts) and statistics (statistics.ts): the module
 * `npm run build` compiles from wasm/image-kernels.ts, one instance per thread, fed runs of up to RUN pixels
 * copied into its memory and back (a copy costs far less than the scalar loop it replaces). undefined with
 * CALDP_WASM=0: the callers then run their TypeScript loops, which give the same bits.
 */
import { chosenKernels, loadShippedWasm } from "../../core/wasm.js";
import type { ImageSet, Section } from "./imset.js";

interface Exports {
  memory: WebAssembly.Memory;
  subtractRun(n: number, k: number, ...offsets: number[]): void;
  divideRun(n: number, mode: number, scale: number, add: number, by: number, ...offsets: number[]): void;
  statisticsRun(n: number, sdqflags: number, sci: number, err: number, dq: number, acc: number): void;
  scaledSumRun(n: number, k: number, mask: number, sci: number, dq: number, acc: number): void;
}

const RUN = 16384;
// The layout of the module's memory: a's and b's SCI, ERR (float32) and DQ (uint16) runs, then the accumulators.
const A_SCI = 1024;
const A_ERR = A_SCI + 4 * RUN;
const B_SCI = A_ERR + 4 * RUN;
const B_ERR = B_SCI + 4 * RUN;
const A_DQ = B_ERR + 4 * RUN;
const B_DQ = A_DQ + 2 * RUN;
const ACC = B_DQ + 2 * RUN;
const END = ACC + 8 * 16;

export interface ImageKernels {
  /** a -= k × b over a's size (k already float). */
  subtract(a: ImageSet, b: Section, k: number): void;
  /** a /= divisor (mode 0: b's SCI, 1: SCI × scale + add, 2: SCI / by; all already float). */
  divide(a: ImageSet, b: Section, mode: number, scale: number, add: number, by: number): void;
  /** Adds the set's pixels to statistics.ts's accumulators (`acc`, 10 slots, changed in place). */
  statistics(set: ImageSet, sdqflags: number, acc: Float64Array): void;
  /** The sum of k × SCI (each rounded to float) and the count of the nx × ny pixels of `b` without `mask` in DQ. */
  scaledSum(b: Section, nx: number, ny: number, k: number, mask: number): { sum: number; good: number };
}

type Visit = (aStart: number, bStart: number, length: number) => void;

function runsOf(aStart: number, bStart: number, n: number, visit: Visit): void {
  for (let done = 0; done < n; done += RUN) visit(aStart + done, bStart + done, Math.min(RUN, n - done));
}

/** Calls `visit` for runs of at most RUN pixels covering `a` and its place in `b`. */
function eachRun(a: { nx: number; ny: number }, b: Section, visit: Visit): void {
  if (b.x0 === 0 && b.set.nx === a.nx) runsOf(0, b.y0 * a.nx, a.nx * a.ny, visit);
  else for (let j = 0; j < a.ny; j++) runsOf(j * a.nx, (j + b.y0) * b.set.nx + b.x0, a.nx, visit);
}

function instantiate(module: WebAssembly.Module): ImageKernels {
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
  const missing = END - exports.memory.buffer.byteLength;
  if (missing > 0) exports.memory.grow(Math.ceil(missing / 65536));
  const buffer = exports.memory.buffer;
  const f32 = new Float32Array(buffer);
  const u16 = new Uint16Array(buffer);
  const acc = new Float64Array(buffer, ACC, 10);
  const load = (a: ImageSet, b: Section, aStart: number, bStart: number, n: number) => {
    f32.set(a.sci.subarray(aStart, aStart + n), A_SCI >> 2);
    f32.set(a.err.subarray(aStart, aStart + n), A_ERR >> 2);
    u16.set(a.dq.subarray(aStart, aStart + n), A_DQ >> 1);
    f32.set(b.set.sci.subarray(bStart, bStart + n), B_SCI >> 2);
    f32.set(b.set.err.subarray(bStart, bStart + n), B_ERR >> 2);
    u16.set(b.set.dq.subarray(bStart, bStart + n), B_DQ >> 1);
  };
  const save = (a: ImageSet, aStart: number, n: number) => {
    a.sci.set(f32.subarray(A_SCI >> 2, (A_SCI >> 2) + n), aStart);
    a.err.set(f32.subarray(A_ERR >> 2, (A_ERR >> 2) + n), aStart);
    a.dq.set(u16.subarray(A_DQ >> 1, (A_DQ >> 1) + n), aStart);
  };
  const offsets = [A_SCI, A_ERR, A_DQ, B_SCI, B_ERR, B_DQ];
  return {
    subtract(a, b, k) {
      eachRun(a, b, (aStart, bStart, n) => {
        load(a, b, aStart, bStart, n);
        exports.subtractRun(n, k, ...offsets);
        save(a, aStart, n);
      });
    },
    divide(a, b, mode, scale, add, by) {
      eachRun(a, b, (aStart, bStart, n) => {
        load(a, b, aStart, bStart, n);
        exports.divideRun(n, mode, scale, add, by, ...offsets);
        save(a, aStart, n);
      });
    },
    statistics(set, sdqflags, into) {
      acc.set(into);
      for (let start = 0; start < set.sci.length; start += RUN) {
        const n = Math.min(RUN, set.sci.length - start);
        f32.set(set.sci.subarray(start, start + n), A_SCI >> 2);
        f32.set(set.err.subarray(start, start + n), A_ERR >> 2);
        u16.set(set.dq.subarray(start, start + n), A_DQ >> 1);
        exports.statisticsRun(n, sdqflags & 0xffff, A_SCI, A_ERR, A_DQ, ACC);
      }
      into.set(acc);
    },
    scaledSum(b, nx, ny, k, mask) {
      acc.fill(0);
      eachRun({ nx, ny }, b, (_, bStart, n) => {
        f32.set(b.set.sci.subarray(bStart, bStart + n), B_SCI >> 2);
        u16.set(b.set.dq.subarray(bStart, bStart + n), B_DQ >> 1);
        exports.scaledSumRun(n, k, mask & 0xffff, B_SCI, B_DQ, ACC);
      });
      return { sum: acc[0]!, good: acc[1]! };
    },
  };
}

const HINT = "run npm run build, or set CALDP_WASM=0 for the TypeScript image arithmetic";
let kernels: ImageKernels | undefined;

/** This thread's WebAssembly image kernels, or undefined when CALDP_WASM=0 asks for the TypeScript loops. */
export function imageKernels(): ImageKernels | undefined {
  const chosen = chosenKernels();
  if (chosen instanceof Error) throw chosen;
  if (chosen === "typescript") return undefined;
  kernels ??= instantiate(loadShippedWasm(new URL("image-kernels.wasm", import.meta.url), HINT));
  return kernels;
}
