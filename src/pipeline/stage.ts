import { performance } from "node:perf_hooks";
import { stackTracesWanted } from "../core/debug.js";
import type { CaldpError } from "../core/errors.js";
import { EXIT_CODES, type ExitName, explain } from "../core/exit-codes.js";
import type { Logger } from "../core/log.js";
import { describeChain, mapFailure } from "./map-failure.js";
import { simulatedErrorCode, simulateFailure } from "./simulate.js";

export interface StageOptions {
  /** What runs, for the log: "stage1 calacs.e j8cb010b0_asn.fits". */
  name: string;
  /** The exit code (or name) this block maps unexplained failures to. */
  code: number | ExitName;
  log: Logger;
  /** First line of the fatal report and of the error message; default `<name> failed`. */
  failureMessage?: string;
  /** Where CALDP_SIMULATE_ERROR and CALDP_DEBUG are read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

const reported = new WeakSet<CaldpError>();

/**
 * Runs one named step: logs its start and end with the elapsed time, applies CALDP_SIMULATE_ERROR, and on
 * failure writes the fatal report and throws the mapped CaldpError (CALDP's exit_on_exception). A CaldpError
 * coming out of an inner runStage is passed on without a second report.
 */
export async function runStage<T>(options: StageOptions, body: () => T | Promise<T>): Promise<T> {
  const { name, code, log } = options;
  const message = options.failureMessage ?? `${name} failed`;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(3)} s`;
  log.info(`${name} started`);
  try {
    simulateFailure(simulatedErrorCode(options.env ?? process.env), code, log);
    const result = await body();
    log.info(`${name} completed in ${elapsed()}`);
    return result;
  } catch (error) {
    const mapped = mapFailure(error, code, message);
    if (!reported.has(mapped)) reportFatal(log, mapped, message, stackTracesWanted(options.env));
    log.error(`${name} failed after ${elapsed()}`);
    throw mapped;
  }
}

/**
 * The fatal report: the `Fatal Exception` divider, the message, each cause (with the stacks when `stacks`,
 * CALDP_DEBUG) with `ERROR - ` in front of every line, any `EXIT - Killed by UNIX signal ...` line, then
 * `EXIT - NAME[code]: text`.
 */
export function reportFatal(
  log: Logger,
  error: CaldpError,
  message: string = error.message,
  stacks = stackTracesWanted(),
): void {
  log.divider("Fatal Exception", { level: "error" });
  const chain = describeChain(error);
  log.error(error.message.startsWith(message) ? chain : `${message}: ${chain}`);
  // the error's own text (its first line is the summary above), then each cause
  for (const line of causeLines(error, stacks).slice(1)) log.error(line);
  if (error.hint) log.error(`Hint: ${error.hint}`);
  for (const detail of error.exitDetails) log.echo(detail);
  log.echo(explain(error.code));
  reported.add(error);
}

function causeLines(failure: unknown, stacks: boolean): string[] {
  const lines: string[] = [];
  for (let f = failure, depth = 0; f !== undefined && depth < 5; depth++) {
    const summary = f instanceof Error ? `${f.name}: ${f.message}` : String(f);
    const text = stacks && f instanceof Error ? (f.stack ?? summary) : summary;
    lines.push(...(depth === 0 ? [] : ["Caused by:"]), ...text.split("\n"));
    f = f instanceof Error ? f.cause : undefined;
  }
  return lines;
}

/**
 * CALDP's exit_receiver for the top level: the exit status for how the program ended, reporting a failure
 * that no stage reported (untrapped failures map to 1, memory ones to 32/34).
 */
export function exitStatusFor(error: unknown, log: Logger): number {
  if (error === undefined) return EXIT_CODES.SUCCESS;
  const mapped = mapFailure(error, "GENERIC_ERROR", "Untrapped exception");
  if (!reported.has(mapped)) reportFatal(log, mapped);
  return mapped.code;
}
