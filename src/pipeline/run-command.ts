import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { SubprocessFailure } from "../core/errors.js";
import type { Logger } from "../core/log.js";

export interface RunCommandOptions {
  log: Logger;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Non-zero statuses that mean "nothing to do" (calcos 5, runsinglehap 55/65): logged, not failures. */
  ignoreExitCodes?: readonly number[];
  /** Called once the child exists, e.g. to let a resource meter watch it. */
  onSpawn?: (child: ChildProcess) => void;
}

const TAIL_LINES = 50;

/**
 * CALDP's Manager.run: runs a program with stdout and stderr merged line by line into the log (`echo`),
 * waits for it, and resolves with its exit status if it is 0 or ignored. Otherwise rejects with a
 * SubprocessFailure carrying the status or signal and the last output lines; a spawn failure (ENOENT,
 * ENOMEM) rejects with the system error itself.
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions): Promise<number> {
  const { log } = options;
  const tail: string[] = [];
  const keep = (line: string) => {
    log.echo(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    child.once("spawn", () => options.onSpawn?.(child));
    const streams = [child.stdout, child.stderr].map((stream) => {
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on("line", keep);
      return new Promise<void>((done) => lines.once("close", done));
    });
    child.once("error", reject);
    child.once("close", async (exitCode, signal) => {
      await Promise.all(streams);
      const commandLine = [command, ...args].join(" ");
      if (signal === null && exitCode === 0) return resolve(0);
      if (signal === null && exitCode !== null && options.ignoreExitCodes?.includes(exitCode)) {
        log.info(`Ignoring error status = ${exitCode}`);
        return resolve(exitCode);
      }
      reject(new SubprocessFailure(commandLine, { exitCode, signal }, tail.join("\n")));
    });
  });
}
