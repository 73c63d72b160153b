/**
 * Runs the drizzle oracle (Debian python3-drizzle's C kernels, test/peers/drizzle_oracle.py) and reads its raw
 * arrays; compares float images the way the tests report them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PYTHON, REPO } from "../../helpers/paths.js";
import { skipUnlessInstalled } from "../../helpers/skip.js";

const SCRIPT = join(REPO, "test", "peers", "drizzle_oracle.py");

/** Skip reason of the oracle tests on a machine without python3-drizzle and its test data (never in CI). */
export const ORACLE_MISSING = skipUnlessInstalled(
  existsSync("/usr/lib/python3/dist-packages/drizzle/cdrizzle.cpython-311-x86_64-linux-gnu.so") &&
    existsSync("/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits"),
  "python3-drizzle with python-drizzle-testdata",
);

export function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}
export function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
export function readI32(path: string): Int32Array {
  const b = readFileSync(path);
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function writeRaw(path: string, a: Float32Array | Float64Array | Int32Array): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** A temporary folder removed after `use` returns. */
export function withTempDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "caldp-drizzle-"));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestdataCase {
  meta: { op: "drizzle" | "blot"; kw: Record<string, number | string>; input: number[]; output: number[] };
  input: Float32Array;
  weights?: Float32Array;
  pixmap: Float64Array;
  /** What the C kernel wrote (sci, wht, ctx for drizzle; blot for blot). */
  c: { sci?: Float32Array; wht?: Float32Array; ctx?: Int32Array; blot?: Float32Array };
  /** The reference image shipped in python-drizzle-testdata. */
  reference: Float32Array;
}

/** One of python drizzle's own test flows on its real ACS/HRC flt, with what the C kernel got and gave. */
export function oracleTestdata(name: string): TestdataCase {
  return withTempDir((dir) => {
    const meta = JSON.parse(execFileSync(PYTHON, [SCRIPT, "testdata", name, dir], { encoding: "utf8" }));
    const op = meta.op as "drizzle" | "blot";
    return {
      meta,
      input: readF32(join(dir, "input.f4")),
      weights: op === "drizzle" ? readF32(join(dir, "weights.f4")) : undefined,
      pixmap: readF64(join(dir, "pixmap.f8")),
      c:
        op === "drizzle"
          ? { sci: readF32(join(dir, "sci.c")), wht: readF32(join(dir, "wht.c")), ctx: readI32(join(dir, "ctx.c")) }
          : { blot: readF32(join(dir, "blot.c")) },
      reference: readF32(join(dir, "reference.f4")),
    };
  });
}

export interface OracleAdd {
  input: Float32Array;
  weights?: Float32Array;
  width: number;
  height: number;
  pixmap: Float64Array;
  kw: Record<string, number | string>;
}

export interface OracleFrame {
  width: number;
  height: number;
  planes: number;
  adds: OracleAdd[];
}

export interface OracleFrameResult {
  sci: Float32Array;
  wht: Float32Array;
  ctx: Int32Array;
  /** [nmiss, nskip] of each tdriz call. */
  counts: [number, number][];
}

/** For each frame, the C kernel's tdriz calls in order onto it; one python process for all. */
export function oracleDrizzle(frames: OracleFrame[]): OracleFrameResult[] {
  return withTempDir((dir) => {
    let file = 0;
    const spec = {
      op: "drizzle",
      frames: frames.map((f) => ({
        width: f.width,
        height: f.height,
        planes: f.planes,
        adds: f.adds.map((a) => {
          const n = file++;
          writeRaw(join(dir, `in${n}.f4`), a.input);
          writeRaw(join(dir, `map${n}.f8`), a.pixmap);
          if (a.weights) writeRaw(join(dir, `wht${n}.f4`), a.weights);
          return {
            input: `in${n}.f4`,
            pixmap: `map${n}.f8`,
            weights: a.weights ? `wht${n}.f4` : null,
            width: a.width,
            height: a.height,
            kw: a.kw,
          };
        }),
      })),
    };
    writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
    const out = JSON.parse(execFileSync(PYTHON, [SCRIPT, "spec", join(dir, "spec.json")], { encoding: "utf8" }));
    return frames.map((_, n) => ({
      sci: readF32(join(dir, `sci${n}.f32`)),
      wht: readF32(join(dir, `wht${n}.f32`)),
      ctx: readI32(join(dir, `ctx${n}.i32`)),
      counts: out.counts[n],
    }));
  });
}

/** The C kernel's tblot of `source` through `pixmap` (one x,y per output pixel). */
export function oracleBlot(
  source: Float32Array,
  width: number,
  height: number,
  pixmap: Float64Array,
  outWidth: number,
  outHeight: number,
  kw: Record<string, number | string>,
): Float32Array {
  return withTempDir((dir) => {
    writeRaw(join(dir, "in.f4"), source);
    writeRaw(join(dir, "map.f8"), pixmap);
    const spec = { op: "blot", input: "in.f4", pixmap: "map.f8", width, height, outWidth, outHeight, kw };
    writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
    execFileSync(PYTHON, [SCRIPT, "spec", join(dir, "spec.json")], { encoding: "utf8" });
    return readF32(join(dir, "blot.f32"));
  });
}

export interface Difference {
  /** Pixels whose values differ beyond the tolerance, and the largest relative difference over all pixels. */
  bad: number;
  maxRelative: number;
  first: string;
}

/** |a - b| <= rtol·max(|a|, |b|) + atol for every pixel (equal infinities and NaN to NaN match). */
export function compareImages(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol = 0): Difference {
  let bad = 0;
  let maxRelative = 0;
  let first = "";
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    const diff = Math.abs(x - y);
    const size = Math.max(Math.abs(x), Math.abs(y));
    if (size > 0 && diff / size > maxRelative) maxRelative = diff / size;
    if (!(diff <= rtol * size + atol)) {
      if (bad === 0) first = `pixel ${k}: ${x} vs ${y}`;
      bad++;
    }
  }
  if (a.length !== b.length) {
    bad++;
    first = `lengths ${a.length} vs ${b.length}`;
  }
  return { bad, maxRelative, first };
}
