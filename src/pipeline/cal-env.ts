/** `<ds>_cal_env.txt`: per-dataset KEY=VALUE overrides passed to the calibration programs (CALDP set_env_vars). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../core/log.js";

export function calEnvPath(dir: string, dataset: string): string {
  return join(dir, `${dataset}_cal_env.txt`);
}

/** The valid pairs of the file (none when it is absent); a line without exactly one '=' is logged and skipped. */
export function readCalEnv(dir: string, dataset: string, log: Logger): Record<string, string> {
  const path = calEnvPath(dir, dataset);
  if (!existsSync(path)) return {};
  const pairs: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const parts = line.split("=");
    if (parts.length !== 2) {
      log.info(`${line} is not a valid key=value pair`);
      continue;
    }
    pairs[parts[0].trim()] = parts[1].trim();
  }
  return pairs;
}
