#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { CrdsError } from "../crds/index.js";
import { FitsError } from "../fits/index.js";
import { caldpProcess } from "../pipeline/caldp-process.js";
import { VERSION } from "../version.js";
import { registerBatchCommands } from "./commands/batch.js";
import { registerBestrefsCommand } from "./commands/bestrefs.js";
import { registerCalacsCommand } from "./commands/calacs.js";
import { registerCalwf3Command } from "./commands/calwf3.js";
import { registerCteCommands } from "./commands/cte.js";
import { registerFitsCommands } from "./commands/fits.js";
import { registerPreviewsCommand } from "./commands/previews.js";
import { registerSimCommand } from "./commands/sim.js";

export function buildProgram(): Command {
  const program = new Command("caldp")
    .description("Hubble Space Telescope calibration data pipeline")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerFitsCommands(program);
  registerBestrefsCommand(program);
  registerSimCommand(program);
  registerCalacsCommand(program);
  registerCalwf3Command(program);
  registerCteCommands(program);
  registerPreviewsCommand(program);
  registerBatchCommands(program);
  program
    .command("process")
    .description("calibrate one dataset end to end (the same as caldp-process)")
    .argument("<dataset>", "ipppssoot, SVM (acs_8ph_01) or MVM (skycell-p2381x06y09) name")
    .argument("[input]", "file:<dir> holding the dataset's tarball or raw files", "file:.")
    .argument("[output]", "file:<dir> for the output tree", "file:.")
    .argument("[config]", "caldp-config-onsite | caldp-config-offsite | caldp-config-aws | path", "caldp-config-onsite")
    .action(async (dataset: string, input: string, output: string, config: string) => {
      process.exitCode = await caldpProcess([dataset, input, output, config], process.cwd(), process.env);
    });
  return program;
}

/** Runs the CLI; known failures become one line on stderr and exit status 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (!(e instanceof Error)) throw e;
    // Known failures (FITS, CRDS, bad options) are one line; CALDP_DEBUG=1 shows where anything came from.
    const known = e instanceof FitsError || e instanceof CrdsError;
    console.error(`caldp: ${e.message}`);
    if (!known && process.env.CALDP_DEBUG) console.error(e.stack);
    process.exitCode = 1;
  }
}

await main(process.argv);
