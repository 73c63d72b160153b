#!/usr/bin/env node
/** `caldp batch …` on its own (the same commands as in the caldp CLI): used by the tests and the load bench. */
import { Command } from "commander";
import { registerBatchCommands } from "./commands/batch.js";

const program = new Command("caldp").exitOverride();
registerBatchCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if ((e as { code?: string }).code?.startsWith("commander.")) process.exitCode = (e as { exitCode: number }).exitCode;
  else {
    console.error(`caldp: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
