/**
 * The CTE corrections' WebAssembly kernels (wasm/cte-kernels.ts, compiled by npm run build): the forward readout
 * of a column (ACS and WFC3/UVIS), a round of ACS's read-noise smoothing and WF3CTE's column noise mitigation. readout.ts, wfc3/cte-readout.ts and
 * smoothing.ts run them unless CALDP_WASM=0 chooses their TypeScript twins; both give the same bits
 * (test/calib/cte/cte-kernels.test.ts). A thread's readouts share one small memory (the column, its traps and the
 * trap model, copied in per call); the smoothing takes a memory of its own per image, dropped after it.
 */
import { chosenKernels, loadShippedWasm } from "../../../core/wasm.js";
import type { CteIterations, TrapModel } from "./trap-model.js";

interface Exports {
  memory: WebAssembly.Memory;
  acsReadout(...args: number[]): void;
  acsCorrectColumn(...args: number[]): void;
  uvisReadout(...args: number[]): void;
  smoothRound(...args: number[]): void;
  removeColumnReadNoise(...args: number[]): void;
}

const URL_ = new URL("cte-kernels.wasm", import.meta.url);
const HINT = "run npm run build, or set CALDP_WASM=0 for the TypeScript CTE kernels";

function chosen(): boolean | Error {
  const kernels = chosenKernels();
  return kernels instanceof Error ? kernels : kernels === "wasm";
}

let module: WebAssembly.Module | undefined;

function instance(): Exports {
  module ??= loadShippedWasm(URL_, HINT);
  return new WebAssembly.Instance(module, {}).exports as unknown as Exports;
}

function reserve(memory: WebAssembly.Memory, bytes: number): ArrayBuffer {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  return memory.buffer;
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * One thread's readout memory: [model: levels, charges, release, held][column f64][traps][bounds], then for
 * ACS's whole inversion [observed f64][previous f64].
 */
class ReadoutMemory {
  private readonly wasm = instance();
  private model: TrapModel | undefined;
  private rows = 0;
  private at = { levels: 0, charges: 0, release: 0, held: 0, column: 0, traps: 0, bounds: 0, observed: 0, previous: 0 };
  private column = new Float64Array(0);
  private traps32 = new Float32Array(0);
  private traps64 = new Float64Array(0);
  private observed = new Float64Array(0);

  /** Lays out the model and room for `rows` (copying the model in) when they changed. */
  private prepare(model: TrapModel, rows: number): void {
    if (model === this.model && rows <= this.rows) return;
    let end = 64;
    const take = (bytes: number) => {
      const offset = end;
      end = align(end + bytes);
      return offset;
    };
    const at = {
      levels: take(model.chargeLevels.byteLength),
      charges: take(model.trapCharges.byteLength),
      release: take(model.releaseProfile.length * 8),
      held: take(model.heldProfile.length * 8),
      column: take(rows * 8),
      traps: take(rows * 8),
      bounds: take(Math.ceil(rows / 32) * 8),
      observed: take(rows * 8),
      previous: take(rows * 8),
    };
    const buffer = reserve(this.wasm.memory, end);
    new Float64Array(buffer, at.levels, model.chargeLevels.length).set(model.chargeLevels);
    new Float64Array(buffer, at.charges, model.trapCharges.length).set(model.trapCharges);
    // The f32 profiles promoted once here (exactly) rather than at every use in the readouts.
    new Float64Array(buffer, at.release, model.releaseProfile.length).set(model.releaseProfile);
    new Float64Array(buffer, at.held, model.heldProfile.length).set(model.heldProfile);
    this.column = new Float64Array(buffer, at.column, rows);
    this.traps32 = new Float32Array(buffer, at.traps, rows);
    this.traps64 = new Float64Array(buffer, at.traps, rows);
    this.observed = new Float64Array(buffer, at.observed, rows);
    this.at = at;
    this.model = model;
    this.rows = rows;
  }

  /** readout.ts simulateColumnReadout: the first `rows` values of `column`, in place. */
  acs(column: Float64Array, traps: Float32Array, model: TrapModel, iterations: CteIterations, rows: number): void {
    this.prepare(model, rows);
    const { at } = this;
    const view = this.column.subarray(0, rows);
    view.set(column.subarray(0, rows));
    this.traps32.set(traps.subarray(0, rows));
    this.wasm.acsReadout(
      at.column,
      at.traps,
      at.bounds,
      rows,
      at.levels,
      at.charges,
      at.release,
      at.held,
      model.trapCount,
      model.profileLength,
      iterations.trailLength,
      iterations.parallelTransfers,
    );
    column.set(view);
  }

  /**
   * inversion.ts correctColumn in one call: `observed` (f64 or the smoothed f32 column) corrected into `out`
   * (its first `rows` values); `traps` lowered in place as FIXROCR lowers them.
   */
  acsCorrect(
    observed: Float64Array | Float32Array,
    traps: Float32Array,
    model: TrapModel,
    iterations: CteIterations,
    readNoise: number,
    out: Float64Array | Float32Array,
  ): void {
    const rows = observed.length;
    this.prepare(model, rows);
    const { at } = this;
    this.observed.subarray(0, rows).set(observed);
    const traps32 = this.traps32.subarray(0, rows);
    traps32.set(traps.subarray(0, rows));
    this.wasm.acsCorrectColumn(
      at.observed,
      at.column,
      at.previous,
      at.traps,
      at.bounds,
      rows,
      at.levels,
      at.charges,
      at.release,
      at.held,
      model.trapCount,
      model.profileLength,
      iterations.trailLength,
      iterations.parallelTransfers,
      iterations.forwardIterations,
      readNoise,
      iterations.fixReadoutCosmicRays ? 1 : 0,
      iterations.overSubtractionThreshold,
    );
    out.set(this.column.subarray(0, rows));
    if (iterations.fixReadoutCosmicRays) traps.set(traps32);
  }

  /** wfc3/cte-readout.ts uvisReadout: the whole column, in place. */
  uvis(column: Float64Array, density: Float64Array, model: TrapModel, transfers: number): void {
    const rows = column.length;
    this.prepare(model, rows);
    const { at } = this;
    const view = this.column.subarray(0, rows);
    view.set(column);
    this.traps64.subarray(0, rows).set(density.subarray(0, rows));
    this.wasm.uvisReadout(
      at.column,
      at.traps,
      at.bounds,
      rows,
      at.levels,
      at.charges,
      at.release,
      at.held,
      model.trapCount,
      model.profileLength,
      transfers,
    );
    column.set(view);
  }
}

/** One thread's memory for WF3CTE's column noise: [column][smooth][noise][spare smooth], f64 each. */
class NoiseMemory {
  private readonly wasm = instance();
  private rows = -1;
  private views = { column: new Float64Array(0), smooth: new Float64Array(0), noise: new Float64Array(0) };

  /** wfc3/cte-noise.ts removeColumnReadNoise: `smooth` and `noise` of `column`. */
  remove(column: Float64Array, smooth: Float64Array, readNoise: number, noise: Float64Array): void {
    const rows = column.length;
    const bytes = align(rows * 8);
    if (rows !== this.rows) {
      const buffer = reserve(this.wasm.memory, 64 + 4 * bytes);
      this.views = {
        column: new Float64Array(buffer, 64, rows),
        smooth: new Float64Array(buffer, 64 + bytes, rows),
        noise: new Float64Array(buffer, 64 + 2 * bytes, rows),
      };
      this.rows = rows;
    }
    this.views.column.set(column);
    this.wasm.removeColumnReadNoise(64, 64 + bytes, 64 + 2 * bytes, rows, readNoise, 64 + 3 * bytes);
    smooth.set(this.views.smooth);
    noise.set(this.views.noise);
  }
}

/** smoothing.ts smoothReadNoise's rounds, in a memory of its own: returns the smooth image. */
function smoothRounds(
  observed: Float32Array,
  rows: number,
  columns: number,
  readNoise: number,
  maxRounds: number,
): Float32Array {
  const wasm = instance();
  const size = rows * columns * 4;
  const at = { observed: 64, smooth: align(64 + size), adjustments: align(64 + size) + align(size) };
  const totalsAt = align(at.adjustments + 2 * rows * 4);
  const buffer = reserve(wasm.memory, totalsAt + 16);
  new Float32Array(buffer, at.observed, rows * columns).set(observed);
  const smooth = new Float32Array(buffer, at.smooth, rows * columns);
  smooth.set(observed);
  const totals = new Float64Array(buffer, totalsAt, 2);
  for (let round = 0; round < maxRounds; round++) {
    wasm.smoothRound(at.observed, at.smooth, at.adjustments, rows, columns, readNoise, totalsAt);
    if (readNoise - Math.sqrt(totals[0] / totals[1]) < 0.00001) break;
  }
  return smooth.slice();
}

export interface CteWasm {
  readout: ReadoutMemory;
  noise: NoiseMemory;
  smoothRounds: typeof smoothRounds;
}

let kernels: CteWasm | undefined;

/** The WebAssembly kernels of this thread (loaded on first use; a missing module is a WasmLoadError). */
export function cteWasm(): CteWasm {
  kernels ??= { readout: new ReadoutMemory(), noise: new NoiseMemory(), smoothRounds };
  return kernels;
}

const wanted = chosen();

/** The WebAssembly kernels when CALDP_WASM chooses them (the default), undefined for the TypeScript twins. */
export function chosenCteWasm(): CteWasm | undefined {
  if (wanted instanceof Error) throw wanted;
  return wanted ? cteWasm() : undefined;
}
