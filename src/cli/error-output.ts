import { stackTracesWanted } from "../core/debug.js";
import { describeChain } from "../pipeline/map-failure.js";

/** Prints `program: <text>` on stderr, then the error's stack with CALDP_DEBUG=1. */
function printLine(program: string, text: string, error: unknown): void {
  console.error(`${program}: ${text}`);
  if (stackTracesWanted() && error instanceof Error && error.stack) console.error(error.stack);
}

/** A failure the command reports (bad file, CRDS, options): its message, one line. */
export function printError(program: string, error: unknown): void {
  printLine(program, error instanceof Error ? error.message : String(error), error);
}

/**
 * What nothing caught (a bug, a stream error without a listener) ends the program as Node would, with
 * status 1, but as one line naming the error's class and causes instead of a stack trace.
 */
export function exitOnUncaught(program: string): void {
  const end = (error: unknown) => {
    printLine(program, describeChain(error), error);
    process.exit(1);
  };
  process.on("uncaughtException", end);
  process.on("unhandledRejection", end);
}
