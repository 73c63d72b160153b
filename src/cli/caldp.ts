#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { exitOnUncaught, printError } from "./error-output.js";
import { addHelpExamples } from "./help.js";

type Register = (program: Command) => void;

/**
 * The modules that register each top-level command, loaded when asked: a run of one command (`caldp calacs`)
 * loads only its own, not every engine and client (start-up was ~0.3 s of CPU, a third of a small calacs run).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  fits: async () => (await import("./commands/fits.js")).registerFitsCommands,
  bestrefs: async () => (await import("./commands/bestrefs.js")).registerBestrefsCommand,
  sim: async () => (await import("./commands/sim.js")).registerSimCommand,
  calacs: async () => (await import("./commands/calacs.js")).registerCalacsCommand,
  calwf3: async () => (await import("./commands/calwf3.js")).registerCalwf3Command,
  calstis: async () => (await import("./commands/calstis.js")).registerCalstisCommand,
  calcos: async () => (await import("./commands/calcos.js")).registerCalcosCommand,
  cte: async () => (await import("./commands/cte.js")).registerCteCommands,
  updatewcs: async () => (await import("./commands/updatewcs.js")).registerUpdatewcsCommand,
  drizzle: async () => (await import("./commands/drizzle.js")).registerDrizzleCommand,
  previews: async () => (await import("./commands/previews.js")).registerPreviewsCommand,
  batch: async () => (await import("./commands/batch.js")).registerBatchCommands,
  process: async () => registerProcessCommand,
};

function registerProcessCommand(program: Command): void {
  program
    .command("process")
    .description("calibrate one dataset end to end (the same as caldp-process)")
    .argument("<dataset>", "ipppssoot, SVM (acs_8ph_01) or MVM (skycell-p2381x06y09) name")
    .argument("[input]", "file:<dir> holding the dataset's tarball or raw files", "file:.")
    .argument("[output]", "file:<dir> for the output tree", "file:.")
    .argument("[config]", "caldp-config-onsite | caldp-config-offsite | caldp-config-aws | path", "caldp-config-onsite")
    .action(async (dataset: string, input: string, output: string, config: string) => {
      const { caldpProcess } = await import("../pipeline/caldp-process.js");
      process.exitCode = await caldpProcess([dataset, input, output, config], process.cwd(), process.env);
    });
}

/** The program with every command, or (`only`, a top-level command's name) with that one alone. */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command("caldp")
    .description("Hubble Space Telescope calibration data pipeline")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
  if (names.length > 1) (await import("./completion.js")).registerCompletionCommand(program);
  addHelpExamples(program);
  return program;
}

/** Runs the CLI; failures become one line on stderr and exit status 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    // `caldp <command> …` loads that command alone; help, completion and the unknown get them all
    await (await buildProgram(argv[2])).parseAsync(argv);
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

// run as the program, not when imported (the help and completion tests walk buildProgram's commands)
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  exitOnUncaught("caldp");
  await main(process.argv);
}
