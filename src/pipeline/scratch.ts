/**
 * The scratch folder a run calibrates in: `$CALDP_HOME/caldp-scratch-<ds>-<host>-<pid>` when CALDP_HOME is
 * set, else the same name (hidden) next to the products (see scratchRoot). The user's input folder is only
 * read. Scratch folders of this dataset left by a run that
 * died on this host are removed by the next run; the folder is removed at the end of the run, except after a
 * failure with CALDP_KEEP_SCRATCH=1.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { OutputLocation } from "./locations.js";
import { hostId, isAlive } from "./run-lock.js";

const PREFIX = "caldp-scratch-";

/**
 * Where the scratch folder goes: CALDP_HOME, else the local output folder (the file: output, `<cwd>/outputs`
 * for s3:), else, when that is the file: input folder itself (output `none` or the same folder), inside the
 * dataset's product folder, so that nothing but the products' folder and the lock is created in it.
 */
export function scratchRoot(env: NodeJS.ProcessEnv, where: OutputLocation, inputDir: string | undefined): string {
  if (env.CALDP_HOME) return env.CALDP_HOME;
  return where.localOutputRoot === inputDir ? where.productDir : where.localOutputRoot;
}

function scratchName(root: string, env: NodeJS.ProcessEnv, dataset: string, host: string, pid: number): string {
  return `${env.CALDP_HOME && root === env.CALDP_HOME ? "" : "."}${PREFIX}${dataset}-${host}-${pid}`;
}

/** Removes scratch folders of `dataset` in `root` whose run (host, pid) is dead on this host; returns them. */
export function removeStaleScratch(root: string, env: NodeJS.ProcessEnv, dataset: string): string[] {
  const host = hostId(env);
  const pattern = new RegExp(`^\\.?${PREFIX}${dataset.replace(/[^a-zA-Z0-9]/g, "\\$&")}-(.+)-(\\d+)$`);
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || m[1] !== host || Number(m[2]) === process.pid || isAlive(Number(m[2]))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(join(root, name));
  }
  return removed;
}

/** Creates this run's scratch folder (a stale one of the same name is emptied first). */
export function createScratch(root: string, env: NodeJS.ProcessEnv, dataset: string): string {
  const dir = join(root, scratchName(root, env, dataset, hostId(env), process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function keepScratchOnFailure(env: NodeJS.ProcessEnv): boolean {
  return env.CALDP_KEEP_SCRATCH === "1";
}
