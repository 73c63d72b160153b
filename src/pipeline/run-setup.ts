/**
 * What caldp-process does before its steps run: checks that the output location can be written, takes the
 * dataset's lock there, clears what a killed earlier run left (temporary files, scratch folders, logs and
 * metrics of the working folder, the local S3 staging folder) and creates this run's scratch folder.
 */
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "../core/dataset.js";
import { CaldpError, CmdlineError } from "../core/errors.js";
import type { OutputLocation } from "./locations.js";
import { describeFailure } from "./map-failure.js";
import { removeStaleTemps } from "./output-writes.js";
import { LOG_FILES } from "./outputs.js";
import { lockPath, RunLock } from "./run-lock.js";
import { createScratch, removeStaleScratch, scratchRoot } from "./scratch.js";

export interface RunSetup {
  lock: RunLock;
  scratchDir: string;
}

/**
 * An output location that cannot take the products: CMDLINE_ERROR (2), because the command names a place
 * that is unusable before anything is processed, and running it again unchanged cannot succeed (the batch
 * rules retry 25/26, not 2).
 */
export class OutputLocationError extends CmdlineError {}

function usable(what: string, path: string, make: () => void): void {
  try {
    make();
  } catch (error) {
    if (error instanceof CaldpError) throw error;
    throw new OutputLocationError(`${what} ${path} cannot be used: ${describeFailure(error)}`, {
      cause: error,
      hint: "give a writable folder (file:<dir>) as the output, or fix its permissions",
    });
  }
}

function mkdirAsFolder(path: string): void {
  mkdirSync(path, { recursive: true });
  if (!statSync(path).isDirectory()) throw new Error(`${path} is not a directory`);
}

export function prepareRun(
  dataset: Dataset,
  where: OutputLocation,
  cwd: string,
  env: NodeJS.ProcessEnv,
  inputDir: string | undefined,
  warn: (line: string) => void,
): RunSetup {
  const root = where.localOutputRoot;
  usable("output folder", root, () => mkdirAsFolder(root));
  usable("product folder", where.productDir, () => {
    const stat = statSync(where.productDir, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) throw new Error(`${where.productDir} exists and is not a directory`);
  });
  let lock: RunLock | undefined;
  usable("output folder", root, () => {
    lock = RunLock.acquire(lockPath(root, dataset.name), env, warn);
  });
  if (!lock) throw new Error("unreachable: no lock");
  try {
    const product = where.productDir;
    const dirs = [product, join(product, "previews"), join(product, "logs"), join(product, "env")];
    for (const temp of removeStaleTemps([...dirs, join(cwd, "messages")]))
      warn(`removed ${temp} (left by a killed run)`);
    if (where.s3Output) rmSync(product, { recursive: true, force: true });
    for (const name of LOG_FILES) rmSync(join(cwd, name), { force: true });
    const base = scratchRoot(env, where, inputDir);
    for (const stale of removeStaleScratch(base, env, dataset.name)) warn(`removed ${stale} (left by a killed run)`);
    let scratchDir = "";
    usable(env.CALDP_HOME ? "CALDP_HOME" : "scratch folder in", base, () => {
      scratchDir = createScratch(base, env, dataset.name);
    });
    return { lock, scratchDir };
  } catch (error) {
    lock.release();
    throw error;
  }
}
