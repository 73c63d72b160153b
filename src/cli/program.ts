/** caldp with every command (help, completion, and any command not started alone by caldp.ts). */
import type { Command } from "commander";
import { caldpProcess } from "../pipeline/caldp-process.js";
import { registerBatchCommands } from "./commands/batch.js";
import { registerBestrefsCommand } from "./commands/bestrefs.js";
import { registerCalacsCommand } from "./commands/calacs.js";
import { registerCalcosCommand } from "./commands/calcos.js";
import { registerCalstisCommand } from "./commands/calstis.js";
import { registerCalwf3Command } from "./commands/calwf3.js";
import { registerCteCommands } from "./commands/cte.js";
import { registerDrizzleCommand } from "./commands/drizzle.js";
import { registerFitsCommands } from "./commands/fits.js";
import { registerPreviewsCommand } from "./commands/previews.js";
import { registerSimCommand } from "./commands/sim.js";
import { registerUpdatewcsCommand } from "./commands/updatewcs.js";
import { registerCompletionCommand } from "./completion.js";
import { addHelpExamples } from "./help.js";
import { rootCommand } from "./root-command.js";

export function buildProgram(): Command {
  const program = rootCommand();
  registerFitsCommands(program);
  registerBestrefsCommand(program);
  registerSimCommand(program);
  registerCalacsCommand(program);
  registerCalwf3Command(program);
  registerCalstisCommand(program);
  registerCalcosCommand(program);
  registerCteCommands(program);
  registerUpdatewcsCommand(program);
  registerDrizzleCommand(program);
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
  registerCompletionCommand(program);
  addHelpExamples(program);
  return program;
}
