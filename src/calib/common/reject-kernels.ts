/**
 * The CR rejections' per-row kernels (ACSREJ cr-reject-loop.ts, WF3REJ wfc3/uvis-reject-loop.ts): the
 * WebAssembly SIMD module `npm run build` compiles from wasm/reject-kernels.ts, loaded synchronously when this
 * module loads, or their TypeScript twins (reject-kernels-ts.ts) with CALDP_WASM=0. The kernels work on
 * byte offsets into one memory per thread; a loop lays out its rings and row buffers there with an Arena.
 */
import { chosenKernels, loadShippedWasm } from "../../core/wasm.js";
import type { RejectKernels, RejectMemory } from "./reject-kernel-types.js";
import { typeScriptRejectMemory } from "./reject-kernels-ts.js";

export type { RejectKernels, RejectMemory } from "./reject-kernel-types.js";

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

const WASM_URL = new URL("reject-kernels.wasm", import.meta.url);
const HINT = "run npm run build, or set CALDP_WASM=0 for the TypeScript CR-rejection kernels";

function loadWasmModule(): WebAssembly.Module | Error {
  try {
    return loadShippedWasm(WASM_URL, HINT);
  } catch (error) {
    return error as Error;
  }
}

const chosen = chosenKernels();
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
