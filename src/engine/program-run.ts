/**
 * The program skeleton every calibration program runs on (calacs, calwf3; STIS, COS and CTE next): a
 * program is a description (its instrument and, per detector, how to prepare an exposure and its phases
 * in order), and `runProgram` does the rest: the plan from the association, the refusal of another
 * instrument's raws, "nothing to do", ONE worker pool for the whole run, each phase logged and timed
 * (its line in the trailers of what it ran on), products and trailers written atomically as soon as a
 * phase has them (trailers by the skeleton after each phase, so that they always end with what has
 * been done), and the list of what was written. Adding a phase is one entry in a detector's list
 * (PCTECORR: between ACSCCD and ACS2D); adding an instrument is one description.
 */
import { availableParallelism } from "node:os";
import { CalibrationError } from "../calib/common/errors.js";
import { logMemory } from "../core/memory-log.js";
import type { Header } from "../fits/index.js";
import type { Association } from "./association.js";
import { ChipStore, removeDeadChipStores } from "./chip-store.js";
import type { ImageSetFile } from "./imset-io.js";
import {
  type ProductPlan,
  planInputs,
  readRawPrimary,
  requireInstrument,
  timedPhase,
  writeTrailer,
} from "./program.js";
import { writeProduct } from "./program-files.js";
import type { Env } from "./reference-files.js";
import { collectGarbage, taskModule, WorkerPool } from "./worker-pool.js";

// Workers cache the references their tasks load (cachedReference): dropped after each detector's run.
const clearReferences = taskModule<typeof import("./program-files.js")>(new URL("./program-files.js", import.meta.url))(
  "clearCachedReferences",
);

/** One exposure as a phase sees it: its rootname and its trailer's lines (written with its product). */
export interface Exposure {
  root: string;
  trailer: string[];
}

/** The exposures of one detector in a run, and the association's product once a phase has made it. */
export interface DetectorRun<M extends Exposure> {
  members: M[];
  /** The CR-SPLIT / RPT-OBS product the association asks for, if any. */
  product?: ProductPlan;
  association?: Association;
  /** The product's image sets, once a phase made them (ACSREJ's, WF3REJ's _crj; ACSSUM's _sfl). */
  combined?: ImageSetFile;
  /** The product's trailer, once a phase opened it. */
  productTrailer?: string[];
}

/** What a phase may use: the folder, references, log, the run's pool, and the atomic writers. */
export interface ProgramContext {
  dir: string;
  /** Where products and trailers go (default: `dir`; calcos' -o). */
  outDir: string;
  env: Env;
  log: (line: string) => void;
  pool: WorkerPool;
  /** Where image sets wait between phases (hidden in `dir`, removed at the end of the run). */
  store: ChipStore;
  /** Writes an image-set product (CAL_VER, FILENAME set; temporary name, renamed) and lists it. */
  writeProduct: (name: string, file: ImageSetFile) => void;
  /** Lists a product a phase wrote through its own atomic writer (WF3IR's MultiAccum files). */
  wrote: (name: string) => void;
}

export interface Phase<M extends Exposure> {
  /** hstcal's name of the phase (ACSCCD, ACSREJ, ACS2D, WF3IR …): its log line and timing. */
  name: string;
  /** Whether the phase runs on this run (default: always), e.g. ACSREJ only for a CR-SPLIT product. */
  when?: (run: DetectorRun<M>) => boolean;
  /** "exposure": the phase runs and is timed once per member (WF3IR); default: once on all members. */
  each?: "exposure";
  /** What the log line says it runs on (default: the members' raw files). */
  on?: (run: DetectorRun<M>) => string;
  run: (run: DetectorRun<M>, ctx: ProgramContext) => Promise<void>;
}

/** How one detector of an instrument is calibrated. */
export interface DetectorProgram<M extends Exposure> {
  /** Whether an exposure belongs to this detector, from its raw primary header. */
  accepts: (primary: Header) => boolean;
  /** Reads the exposure's switches and resolves its references; undefined when it has nothing to do. */
  prepare: (root: string, ctx: Omit<ProgramContext, "pool">) => M | undefined;
  /** Threads worth starting for these members (the run's pool takes the largest wish, up to the cores). */
  workers: (members: readonly M[], product?: ProductPlan) => number;
  phases: readonly Phase<M>[];
}

export interface ProgramDescription {
  /** The program's name in messages (calacs, calwf3). */
  name: string;
  /** INSTRUME of the raws it calibrates. */
  instrument: string;
  calVer: string;
  /** What ends the name of an exposure's raw file (default `_raw`; COS TIME-TAG: `_rawtag`). */
  rawSuffix?: string;
  // biome-ignore lint/suspicious/noExplicitAny: each detector has its own member type
  detectors: readonly DetectorProgram<any>[];
}

export interface ProgramOptions {
  /** Folder of the inputs and outputs. */
  dir: string;
  /** Folder of the outputs when not `dir` (calcos' -o). */
  outDir?: string;
  env: Env;
  /** One line of the log. */
  log: (line: string) => void;
  /** Worker threads (default: the machine's cores). */
  workers?: number;
}

export interface ProgramResult {
  /** Files written (basenames): each exposure's in plan order, then the association's product. */
  outputs: string[];
  /** Exposures with no calibration switch PERFORM. */
  nothingToDo: string[];
}

const raws = (members: readonly Exposure[], suffix = "_raw") => members.map((m) => `${m.root}${suffix}.fits`).join(" ");

/** Calibrates the inputs (an association or raw files in `options.dir`) with the program described. */
export async function runProgram(
  program: ProgramDescription,
  inputs: readonly string[],
  options: ProgramOptions,
): Promise<ProgramResult> {
  const { dir, env, log } = options;
  const outDir = options.outDir ?? dir;
  const suffix = program.rawSuffix ?? "_raw";
  const plan = planInputs(program.name, inputs, dir, suffix);
  requireInstrument(program.name, program.instrument, dir, plan.roots, suffix);
  removeDeadChipStores(dir, log);
  const outputs: string[] = [];
  const nothingToDo: string[] = [];
  const writers = {
    dir,
    store: new ChipStore(dir),
    outDir,
    env,
    log,
    writeProduct: (name: string, file: ImageSetFile) => outputs.push(writeProduct(outDir, name, file, program.calVer)),
    wrote: (name: string) => outputs.push(name),
  };
  const runs = program.detectors.map((detector) => ({ detector, members: [] as Exposure[] }));
  for (const root of plan.roots) {
    const primary = readRawPrimary(dir, root, suffix);
    const run = runs.find((r) => r.detector.accepts(primary));
    if (!run) {
      const found = `DETECTOR '${String(primary.get("DETECTOR") ?? "").trim()}'`;
      throw new CalibrationError("INVALID_VALUE", `${root}${suffix}.fits: ${program.name} has no program for ${found}`);
    }
    const member = run.detector.prepare(root, writers);
    if (member) run.members.push(member);
    else {
      log(`${root}: no calibration switch is PERFORM: nothing to do`);
      nothingToDo.push(root);
    }
  }
  const active = runs.filter((r) => r.members.length > 0);
  if (active.length > 0) {
    const wished = Math.max(...active.map((r) => r.detector.workers(r.members, plan.product)));
    const pool = new WorkerPool(Math.min(options.workers ?? availableParallelism(), wished));
    try {
      for (const { detector, members } of active) {
        await runPhases(
          detector,
          { members, product: plan.product, association: plan.association },
          { ...writers, pool },
          suffix,
        );
        await pool.onEveryWorker(clearReferences, {});
      }
    } finally {
      await pool.close();
      writers.store.remove();
    }
  }
  const ordered = inPlanOrder(outputs, plan.roots);
  for (const name of ordered) log(`wrote ${name}`);
  return { outputs: ordered, nothingToDo };
}

/** Products are written as their tasks end, in any order: listed by exposure (stable), the product last. */
function inPlanOrder(names: readonly string[], roots: readonly string[]): string[] {
  const rank = (name: string) => {
    const n = roots.findIndex((root) => name.startsWith(`${root}_`));
    return n < 0 ? roots.length : n;
  };
  return [...names].sort((a, b) => rank(a) - rank(b));
}

/**
 * The detector's phases in order, each logged and timed; its line ends the trailers of what it ran on,
 * which are then written (again) under their final names.
 */
async function runPhases<M extends Exposure>(
  detector: DetectorProgram<M>,
  run: DetectorRun<M>,
  ctx: ProgramContext,
  suffix: string,
): Promise<void> {
  for (const phase of detector.phases) {
    if (phase.when && !phase.when(run)) continue;
    const parts = phase.each === "exposure" ? run.members.map((m) => ({ ...run, members: [m] })) : [run];
    for (const part of parts) {
      const on = phase.on?.(part) ?? raws(part.members, suffix);
      ctx.log(`${phase.name}: ${on}`);
      const { line } = await timedPhase(phase.name, on, ctx.log, () => phase.run(part, ctx));
      if (part !== run) Object.assign(run, { combined: part.combined, productTrailer: part.productTrailer });
      for (const m of part.members) {
        m.trailer.push(line);
        writeTrailer(ctx.outDir, `${m.root}.tra`, m.trailer);
      }
      if (run.product && run.productTrailer) {
        run.productTrailer.push(line);
        writeTrailer(ctx.outDir, `${run.product.root}.tra`, run.productTrailer);
      }
      collectGarbage();
      logMemory(ctx.log, `after ${phase.name}${part === run ? "" : ` of ${part.members[0].root}`}`);
    }
  }
}
