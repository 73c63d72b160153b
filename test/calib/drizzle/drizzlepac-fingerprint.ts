/** The shapes shared by the drizzlepac cases, their oracle run and the test, and the fingerprint kept of an output. */
import { createHash } from "node:crypto";

export type RawArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface DrizzlepacCase {
  name: string;
  /** The oracle's case: op and parameters; `files` are written beside the spec under these names. */
  spec: Record<string, unknown>;
  files: Record<string, RawArray>;
  /** Our outputs, by the oracle's array names, and the tolerance each is compared with (0 = identical bytes). */
  ours(): Record<string, RawArray>;
  /** For the kernels: our output with python drizzle 1.13.4's map reading, to measure how far it is from theirs. */
  legacy?(): Record<string, RawArray>;
  /** Our scalar results (image statistics), compared with the oracle's with the same tolerance. */
  oursStats?(): Record<string, number>;
  /** Our sky values per image and chip, compared with the oracle's exactly. */
  oursSky?(): number[][];
  rtol: number;
}

export function concat<T extends Float32Array | Uint8Array>(arrays: T[]): T {
  const out = new (arrays[0].constructor as new (n: number) => T)(arrays.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** What is kept of an output: its hash, sums and 64 samples (enough to find any disagreement, small to commit). */
export interface Fingerprint {
  sha256: string;
  length: number;
  sum: number;
  sumAbs: number;
  samples: number[];
}

export function fingerprint(a: RawArray): Fingerprint {
  const sha256 = createHash("sha256")
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest("hex");
  let sum = 0;
  let sumAbs = 0;
  for (const v of a) {
    if (Number.isNaN(v)) continue;
    sum += v;
    sumAbs += Math.abs(v);
  }
  const samples: number[] = [];
  for (let s = 0; s < 64; s++) samples.push(a[Math.floor(((s + 0.5) * a.length) / 64)]);
  return { sha256, length: a.length, sum, sumAbs, samples };
}
