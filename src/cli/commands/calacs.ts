import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { calacs } from "../../engine/acs/calacs.js";

export function registerCalacsCommand(program: Command): void {
  program
    .command("calacs")
    .description("calibrate ACS CCD data like calacs.e: an association (_asn.fits) or raw files → _flt, _crj, .tra")
    .argument("<inputs...>", "one _asn.fits, or _raw.fits files (references from $jref)")
    .option("-v, --verbose", "print the processing log")
    .option("-s, --save", "accepted for calacs.e compatibility: caldp makes no temporary files to keep")
    .action(async (inputs: string[], options: { verbose?: boolean }) => {
      const dirs = new Set(inputs.map((i) => dirname(resolve(i))));
      if (dirs.size > 1) throw new Error(`the inputs must be in one folder, got ${[...dirs].join(", ")}`);
      const log = options.verbose ? (line: string) => console.log(line) : () => {};
      const result = await calacs(inputs, { dir: [...dirs][0], env: process.env, log });
      for (const name of result.outputs) console.log(name);
      for (const root of result.nothingToDo) console.log(`${root}: NOTHING_TO_DO`);
    });
}
