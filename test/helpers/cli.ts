import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./paths.js";

/** tsx as a file URL, so that a CLI run from any folder (and its child steps) can load TypeScript. */
export const TSX = import.meta.resolve("tsx");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI entry point (src/cli/<name>.ts) as a real subprocess. */
export function runCli(
  name: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, ["--import", TSX, join(REPO, "src", "cli", `${name}.ts`), ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
