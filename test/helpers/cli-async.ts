import { spawn } from "node:child_process";
import { join } from "node:path";
import { type CliResult, TSX } from "./cli.js";
import { REPO } from "./paths.js";

/** Runs a CLI entry point (src/cli/<name>.ts) as a real subprocess without blocking other tests. */
export function runCliAsync(
  name: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, join(REPO, "src", "cli", `${name}.ts`), ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}
