#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Command, CommanderError } from "commander";
import { exitOnUncaught, printError } from "./error-output.js";
import { addHelpExamples } from "./help.js";
import { rootCommand } from "./root-command.js";

/**
 * The calibration programs load only their own modules (no AWS SDK, BullMQ, drizzle, simulator …): `caldp
 * calstis` starts in about half the CPU time and 15 MB less memory. Everything else loads program.ts.
 */
const ALONE: Record<string, () => Promise<(program: Command) => void>> = {
  calacs: async () => (await import("./commands/calacs.js")).registerCalacsCommand,
  calwf3: async () => (await import("./commands/calwf3.js")).registerCalwf3Command,
  calstis: async () => (await import("./commands/calstis.js")).registerCalstisCommand,
  calcos: async () => (await import("./commands/calcos.js")).registerCalcosCommand,
};

async function programFor(argv: string[]): Promise<Command> {
  const alone = Object.hasOwn(ALONE, argv[2] ?? "") ? ALONE[argv[2]!] : undefined;
  if (!alone) return (await import("./program.js")).buildProgram();
  const program = rootCommand();
  (await alone())(program);
  addHelpExamples(program);
  return program;
}

/** Runs the CLI; failures become one line on stderr and exit status 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    await (await programFor(argv)).parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    // one line; CALDP_DEBUG=1 adds where it came from
    printError("caldp", e);
    process.exitCode = 1;
  }
}

// run as the program, not when imported
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  exitOnUncaught("caldp");
  await main(process.argv);
}
