/**
 * What every calibration program (calacs, calwf3, and the instruments to come) does around its steps: the
 * plan from the inputs (one association, or raw files each its own exposure), the refusal of another
 * instrument's data, the raw primary headers, and trailers written atomically (temporary name, renamed).
 */
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { CalibrationError } from "../calib/common/errors.js";
import type { SwitchState } from "../calib/common/switches.js";
import { FitsFile, type Header } from "../fits/index.js";
import { type Association, readAssociation } from "./association.js";
import type { ImageSetFile } from "./imset-io.js";
import { collectGarbage, type TaskFunction, type WorkerPool } from "./worker-pool.js";

export interface ProductPlan {
  root: string;
  /** The product's MEMTYPE, upper case (e.g. PROD-CRJ). */
  mtype: string;
}

export interface ProgramPlan {
  /** Exposures to calibrate, in association order. */
  roots: string[];
  /** The CR-SPLIT / RPT-OBS product, when the association asks for one and has two exposures or more. */
  product?: ProductPlan;
  association?: Association;
}

/** The exposures an association names, or the raw files given (a bare rootname stands for its raw file). */
export function planInputs(program: string, inputs: readonly string[], dir: string, rawSuffix = "_raw"): ProgramPlan {
  const other = inputs.find((n) => n.endsWith(".fits") && !n.endsWith("_asn.fits") && !n.endsWith(`${rawSuffix}.fits`));
  if (other !== undefined) {
    const takes = `an association (_asn.fits) or raw files (${rawSuffix}.fits)`;
    throw new CalibrationError("INVALID_VALUE", `${basename(other)}: ${program} takes ${takes}`);
  }
  const asn = inputs.filter((n) => n.endsWith("_asn.fits"));
  if (asn.length > 1)
    throw new CalibrationError("INVALID_VALUE", `${program} takes one association at a time, got ${asn.join(" ")}`);
  if (asn.length === 0) return { roots: inputs.map((n) => basename(n).replace(`${rawSuffix}.fits`, "")) };
  const association = readAssociation(join(dir, basename(asn[0])));
  const roots = association.exposures.map((m) => m.name);
  const product = association.product;
  const combine = (association.crcorr || association.rptcorr) && roots.length >= 2 && product;
  return {
    roots,
    product: combine ? { root: product.name, mtype: product.type.toUpperCase() } : undefined,
    association,
  };
}

/** The primary header of an exposure's raw file (`<root>_raw.fits` in `dir`; COS: `_rawtag`). */
export function readRawPrimary(dir: string, root: string, rawSuffix = "_raw"): Header {
  const file = FitsFile.open(join(dir, `${root}${rawSuffix}.fits`));
  try {
    return file.hdus[0].header.clone();
  } finally {
    file.close();
  }
}

/**
 * Refuses raw files of another instrument before anything is calibrated (without this, calacs found no
 * ACS switch in a STIS header and reported NOTHING_TO_DO).
 */
export function requireInstrument(
  program: string,
  instrument: string,
  dir: string,
  roots: readonly string[],
  rawSuffix = "_raw",
): void {
  for (const root of roots) {
    const found = readRawPrimary(dir, root, rawSuffix).get("INSTRUME");
    const name = typeof found === "string" ? found.trim().toUpperCase() : undefined;
    if (name !== instrument) {
      const value = found === undefined ? "missing" : `'${String(found).trim()}'`;
      throw new CalibrationError(
        "INVALID_VALUE",
        `${root}${rawSuffix}.fits: INSTRUME is ${value}: ${program} calibrates ${instrument} data only`,
      );
    }
  }
}

/**
 * Steps of the tables the native engine does not run yet, with what the trailer says: a PERFORM switch of
 * one is turned OMIT (the program goes on without it). calacs runs PCTECORR; calwf3 does not yet.
 */
const NOT_NATIVE_YET: Readonly<Record<string, string>> = {
  PCTECORR: "pixel-based CTE correction is not in the native engine yet: no _flc/_crc products",
};

/**
 * Turns OMIT the PERFORM switches of steps the engine does not run yet, each with a trailer line; `runs`
 * names those the caller's program does run (calacs: PCTECORR).
 */
export function omitNotNativeYet(switches: object, trailer: string[], runs: readonly string[] = []): void {
  const states = switches as Record<string, SwitchState>;
  for (const [name, why] of Object.entries(NOT_NATIVE_YET)) {
    if (states[name] !== "PERFORM" || runs.includes(name)) continue;
    trailer.push(`${name}: ${why}`);
    states[name] = "OMIT";
  }
}

/** Writes a trailer (`.tra`) under a temporary name in the same folder and renames it into place. */
export function writeTrailer(dir: string, name: string, lines: readonly string[]): void {
  const path = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, `${lines.join("\n")}\n`, { flag: "wx" });
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Runs one phase of a program (a round of tasks on the pool: ACSCCD, ACSREJ, WF3CCD, WF3REJ, WF3IR) and
 * logs its wall and CPU time (CPU of the whole process: the worker threads' work included); returns the
 * phase's result and that line, for the trailers of the exposures it ran on.
 */
export async function timedPhase<T>(
  phase: string,
  on: string,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<{ value: T; line: string }> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  const line = `${phase} ${on} (wall ${seconds(performance.now() - wall)}, CPU ${seconds((used.user + used.system) / 1000)})`;
  log(line);
  return { value, line };
}

/** One product's share of a round: its tasks' arguments, and what to do once all of them are done. */
export interface ProductTasks<A, R> {
  args: A[];
  /** Writes the product (its results in task order); called as soon as its last task is done. */
  finish: (results: R[]) => void;
}

/**
 * Runs a round of tasks for several products on the program's pool; each product is finished as soon as
 * its own tasks are done while the workers go on with the others, and its results are then dropped, so
 * that memory holds the products in progress, not all of them.
 */
export async function runProductRound<A, R>(
  pool: WorkerPool,
  task: TaskFunction<A, R>,
  products: readonly ProductTasks<A, R>[],
): Promise<void> {
  const owner = products.flatMap((p, n) => p.args.map((_, k) => ({ n, k })));
  const done = finishWhenDone<ProductTasks<A, R>, R>(products, (p) => p.args.length);
  await pool.each(
    task,
    products.flatMap((p) => p.args),
    (result, index) => done(owner[index]!, result),
  );
}

/**
 * Collects each product's results (task k of product n) and, with its last one, finishes it and lets its
 * results go.
 */
function finishWhenDone<P extends { finish: (results: R[]) => void }, R>(
  products: readonly P[],
  taskCount: (product: P) => number,
): (at: { n: number; k: number }, result: R) => void {
  const pending = products.map(taskCount);
  const results = products.map((p) => new Array<R>(taskCount(p)));
  return ({ n, k }, result) => {
    results[n]![k] = result;
    if (--pending[n]! > 0) return;
    products[n]!.finish(results[n]!);
    results[n] = [];
    collectGarbage();
  };
}

/** Drops a written product's pixel arrays (its headers stay). */
export function dropPixels(file: ImageSetFile): void {
  for (const hdus of file.imsets) {
    hdus.set = { ...hdus.set, sci: new Float32Array(0), err: new Float32Array(0), dq: new Uint16Array(0) };
  }
}

/** One image set's task in a round run chip by chip: its CCDCHIP, and its argument once the chip's references are loaded. */
export interface ChipTask<A, L> {
  chip: number;
  args: (loaded: L) => A;
}

export interface ProductChipTasks<A, R, L> {
  tasks: ChipTask<A, L>[];
  /** Writes the product (its results in task order); called as soon as its last task is done. */
  finish: (results: R[]) => void;
}

/**
 * `runProductRound` one CCDCHIP at a time: a chip's references are loaded (`load`) just before its image
 * sets run and dropped once they are done, so that the round holds one chip's references, not all of
 * them (a full-frame reference is ~84 MB a chip). A product is finished when its last image set is done.
 */
export async function runProductRoundByChip<A, R, L>(
  pool: WorkerPool,
  task: TaskFunction<A, R>,
  products: readonly ProductChipTasks<A, R, L>[],
  load: (chip: number) => Promise<L>,
): Promise<void> {
  const chips = [...new Set(products.flatMap((p) => p.tasks.map((t) => t.chip)))];
  const done = finishWhenDone<ProductChipTasks<A, R, L>, R>(products, (p) => p.tasks.length);
  const runChip = async (chip: number) => {
    const owner = products.flatMap((p, n) => p.tasks.flatMap((t, k) => (t.chip === chip ? [{ n, k }] : [])));
    const loaded = await load(chip);
    await pool.each(
      task,
      owner.map(({ n, k }) => products[n]!.tasks[k]!.args(loaded)),
      (result, index) => done(owner[index]!, result),
    );
  };
  for (const chip of chips) {
    await runChip(chip);
    // The chip's references go before the next chip's are read.
    collectGarbage();
  }
}

/** The chip tasks of a file's image sets: image set k's argument is `all(loaded)[k]`. */
export function chipTasks<A, L>(file: ImageSetFile, all: (loaded: L) => A[]): ChipTask<A, L>[] {
  return file.imsets.map((hdus, k) => ({ chip: hdus.set.chip, args: (loaded: L) => all(loaded)[k]! }));
}
