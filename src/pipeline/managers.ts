/**
 * What each kind of dataset runs (CALDP's instrument managers, contract §5): which files get best references
 * and version keywords, the stage-1 and stage-2 programs, the exit statuses that mean "nothing to do".
 * The `hstcal` engine runs the STScI programs from PATH; the `native` engine calls caldp's own calibration.
 */
import { existsSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import type { Dataset } from "../core/dataset.js";
import { Stage1Error } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { rewriteHeaders } from "../fits/index.js";
import { runCommand } from "./run-command.js";

export type EngineName = "native" | "hstcal";

export interface StageContext {
  dataset: Dataset;
  /** Where the inputs are and calibration runs. */
  dir: string;
  /** Input files, absolute and sorted. */
  files: string[];
  log: Logger;
  env: NodeJS.ProcessEnv;
}

export interface Manager {
  instrument: string;
  /** Files that get best references and version keywords. */
  rawFiles(files: readonly string[]): string[];
  /** Runs before stage 1 (COS: RANDSEED). */
  prepare?(ctx: StageContext): void;
  stage1(ctx: StageContext, engine: EngineName): Promise<void>;
  stage2(ctx: StageContext, engine: EngineName): Promise<void>;
  /** Files removed before the outputs are copied. */
  deleteEndings: string[];
}

const names = (files: readonly string[]) => files.map((f) => basename(f));
const containingRaw = (files: readonly string[]) => files.filter((f) => basename(f).includes("_raw"));
const asnOrRaw = (files: readonly string[]) => {
  const asn = files.filter((f) => f.endsWith("_asn.fits"));
  return names(asn.length > 0 ? asn : containingRaw(files));
};

async function hstcal(program: string, args: string[], ctx: StageContext, ignore: number[] = []): Promise<void> {
  await runCommand(program, args, { log: ctx.log, cwd: ctx.dir, env: ctx.env, ignoreExitCodes: ignore });
}

async function native(instrument: string, inputs: string[], ctx: StageContext): Promise<void> {
  const { NATIVE_PROGRAMS } = await import("../engine/native.js");
  const program = NATIVE_PROGRAMS[instrument];
  if (!program) {
    throw new Stage1Error(
      `the native engine does not calibrate ${instrument.toUpperCase()} data yet (dataset ${ctx.dataset.name})`,
      { hint: "run with CALDP_ENGINE=hstcal and the STScI programs on PATH" },
    );
  }
  await program(inputs, ctx);
}

function imagingManager(instrument: "acs" | "wfc3", program: string): Manager {
  return {
    instrument,
    rawFiles: containingRaw,
    deleteEndings: [],
    async stage1(ctx, engine) {
      const inputs = asnOrRaw(ctx.files);
      if (engine === "hstcal") await hstcal(program, inputs, ctx);
      else await native(instrument, inputs, ctx);
    },
    async stage2(ctx, engine) {
      const inputs = asnOrRaw(ctx.files);
      if (engine === "native") return await (await import("./stage2-native.js")).nativeStage2(ctx, inputs);
      // runastrodriz takes a second positional argument as `newpath`: one input per call.
      for (const input of inputs) await hstcal("runastrodriz", ["-n", "1", input], ctx);
    },
  };
}

const cos: Manager = {
  instrument: "cos",
  rawFiles: containingRaw,
  deleteEndings: [],
  prepare(ctx) {
    for (const file of containingRaw(ctx.files)) {
      rewriteHeaders(file, (h, hdu) => {
        if (hdu.index === 0) h.set("RANDSEED", 1);
      });
    }
  },
  async stage1(ctx, engine) {
    const asn = ctx.files.filter((f) => f.endsWith("_asn.fits"));
    const inputs = names(asn.length > 0 ? asn : containingRaw(ctx.files).slice(0, 1));
    if (engine === "hstcal") await hstcal("calcos", inputs, ctx, [5]);
    else await native("cos", inputs, ctx);
  },
  async stage2() {},
};

const stisRaw = (files: readonly string[]) => {
  const raw = files.filter((f) => f.endsWith("_raw.fits"));
  return raw.length > 0 ? raw : files.filter((f) => f.endsWith("_wav.fits"));
};

const stis: Manager = {
  instrument: "stis",
  rawFiles: (files) => files.filter((f) => /_(raw|wav|tag)\.fits$/.test(f)),
  deleteEndings: ["_epc.fits"],
  async stage1(ctx, engine) {
    const inputs = names(stisRaw(ctx.files));
    if (engine === "hstcal") await hstcal("cs0.e", ["-tv", ...inputs], ctx);
    else await native("stis", inputs, ctx);
  },
  async stage2() {},
};

const MANAGERS: Record<string, Manager> = {
  acs: imagingManager("acs", "calacs.e"),
  wfc3: imagingManager("wfc3", "calwf3.e"),
  cos,
  stis,
};

/** The manager of an ipst dataset; SVM/MVM and other instruments are refused with a clear stage-1 error. */
export function managerFor(dataset: Dataset): Manager {
  const manager = dataset.type === "ipst" ? MANAGERS[dataset.instrument ?? ""] : undefined;
  if (!manager) {
    throw new Stage1Error(
      `${dataset.type.toUpperCase()} dataset ${dataset.name} (${dataset.instrument}) is not supported yet`,
    );
  }
  return manager;
}

/** Removes the files CALDP deletes before output (STIS _epc). */
export function deleteEndings(dir: string, files: readonly string[], endings: readonly string[], log: Logger): void {
  for (const file of files) {
    if (!endings.some((e) => file.endsWith(e))) continue;
    const path = join(dir, basename(file));
    if (existsSync(path)) {
      log.info(`Deleting ${basename(file)}`);
      rmSync(path);
    }
  }
}
