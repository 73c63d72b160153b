#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { CrdsError } from "../crds/index.js";
import { FitsError } from "../fits/index.js";
import { VERSION } from "../version.js";
import { registerBestrefsCommand } from "./commands/bestrefs.js";
import { registerFitsCommands } from "./commands/fits.js";

export function buildProgram(): Command {
  const program = new Command("caldp")
    .description("Hubble Space Telescope calibration data pipeline")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerFitsCommands(program);
  registerBestrefsCommand(program);
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
    if (e instanceof FitsError || e instanceof CrdsError) {
      console.error(`caldp: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

await main(process.argv);
