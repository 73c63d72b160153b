/**
 * The CR rejections' per-row kernels (ACSREJ cr-reject-loop.ts, WF3REJ wfc3/uvis-reject-loop.ts): the
 * WebAssembly SIMD module `npm run build` compiles from wasm/reject-kernels.ts, loaded synchronously when this
 * module loads, or their TypeScript twins (reject-kernels-ts.ts) with CALDP_WASM=0. The kernels work on
 * byte offsets into one memory per thread; a loop lays out its rings and row buffers there with an Arena.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GenericError } from "../../core/errors.js";
import { typeScriptRejectMemory } from "./reject-kernels-ts.js";

/** Offsets are in bytes; 0 stands for "none" where a buffer is optional. f32 arguments must be Math.fround'ed. */
export interface RejectKernels {
  loadRates(sci: number, rates: number, n: number, sky: number, efac: number): void;
  spillFromErrors(err: number, spill: number, n: number, sig2: number, exp2n: number): void;
  excludeFlagged(mask: number, snapshot: number, n: number, dqpat: number): void;
  testRowAcs(
    n: number,
    ny: number,
    ringRows: number,
    line: number,
    width: number,
    rej2: number,
    psig2: number,
    sig2: number,
    scale: number,
    efacn: number,
    exp2n: number,
    rates: number,
    err: number,
    spill: number,
    ave: number,
    mask: number,
    shadcorr: number,
  ): void;
  testRowThresholds(
    n: number,
    ny: number,
    ringRows: number,
    line: number,
    width: number,
    rej2: number,
    psig2: number,
    rates: number,
    spill: number,
    ave: number,
    mask: number,
    thresh: number,
  ): void;
  accumulateRow(
    n: number,
    maskdq: number,
    efacn: number,
    rates: number,
    mask: number,
    err: number,
    sum: number,
    efacsum: number,
    err2: number,
  ): void;
  averageRow(
    n: number,
    last: boolean,
    acs: boolean,
    exptot: number,
    sum: number,
    efacsum: number,
    err2: number,
    shading: number,
    ave: number,
    errOut: number,
  ): void;
}

export interface RejectMemory {
  kernels: RejectKernels;
  kind: "wasm" | "typescript";
  /** Grows the memory to at least `bytes` (views made before may be detached) and returns its buffer. */
  reserve(bytes: number): ArrayBuffer;
}

const WASM_FILE = "reject-kernels.wasm";

/** Next to this module in dist; from src (tsx), in dist's twin of this folder. */
function wasmPath(): string {
  const here = fileURLToPath(new URL(WASM_FILE, import.meta.url));
  const built = here.replace(/([/\\])src([/\\]calib[/\\]common[/\\])/, "$1dist$2");
  return existsSync(here) || built === here ? here : built;
}

function wasmRejectMemory(module: WebAssembly.Module): RejectMemory {
  const instance = new WebAssembly.Instance(module, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  return {
    kernels: instance.exports as unknown as RejectKernels,
    kind: "wasm",
    reserve(bytes) {
      const missing = bytes - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / 65536));
      return memory.buffer;
    },
  };
}

function loadWasmModule(): WebAssembly.Module | Error {
  const path = wasmPath();
  try {
    return new WebAssembly.Module(readFileSync(path));
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : (error as Error).message;
    return new GenericError(
      `${path}: the WebAssembly CR-rejection kernels cannot be loaded (${cause}); run npm run build, or set CALDP_WASM=0 for the TypeScript kernels`,
    );
  }
}

function chooseKernels(): "wasm" | "typescript" | Error {
  const setting = process.env["CALDP_WASM"] ?? "";
  if (setting === "0") return "typescript";
  if (setting === "" || setting === "1") return "wasm";
  return new GenericError(`CALDP_WASM=${setting}: expected 0 (TypeScript kernels) or 1 (WebAssembly, the default)`);
}

const chosen = chooseKernels();
const wasmModule = chosen === "wasm" ? loadWasmModule() : undefined;
const memories = new Map<string, RejectMemory>();

/** This thread's memory and kernels: the ones CALDP_WASM chooses, or `kind`. */
export function rejectMemory(kind?: "wasm" | "typescript"): RejectMemory {
  const want = kind ?? chosen;
  if (want instanceof Error) throw want;
  let memory = memories.get(want);
  if (memory) return memory;
  if (want === "typescript") memory = typeScriptRejectMemory();
  else {
    const module = wasmModule ?? loadWasmModule();
    if (module instanceof Error) throw module;
    memory = wasmRejectMemory(module);
  }
  memories.set(want, memory);
  return memory;
}

/** Regions of a RejectMemory, 16-byte aligned after a first unused block (offset 0 means "none"). */
export class Arena {
  private end = 64;
  private buffer: ArrayBuffer | undefined;
  constructor(readonly memory: RejectMemory) {}

  /** The offset of `length` elements of `bytes` each. */
  take(length: number, bytes: 2 | 4): number {
    const offset = this.end;
    this.end = Math.ceil((offset + length * bytes) / 16) * 16;
    return offset;
  }

  /** Reserves what was taken; call before making views. */
  commit(): void {
    this.buffer = this.memory.reserve(this.end);
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.buffer!, offset, length);
  }

  u16(offset: number, length: number): Uint16Array {
    return new Uint16Array(this.buffer!, offset, length);
  }
}
