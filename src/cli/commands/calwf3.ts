import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { calwf3 } from "../../engine/wfc3/calwf3.js";

export function registerCalwf3Command(program: Command): void {
  program
    .command("calwf3")
    .description(
      "calibrate WFC3 data like calwf3.e: an association (_asn.fits) or raw files → UVIS _flt/_crj, IR _ima/_flt, .tra",
    )
    .argument("<inputs...>", "one _asn.fits, or _raw.fits files (references from $iref)")
    .option("-v, --verbose", "print the processing log")
    .option("-s, --save", "accepted for calwf3.e compatibility: caldp makes no temporary files to keep")
    .option("-1, --single-thread", "use one worker thread (the results are the same)")
    .action(async (inputs: string[], options: { verbose?: boolean; singleThread?: boolean }) => {
      const dirs = new Set(inputs.map((i) => dirname(resolve(i))));
      if (dirs.size > 1) throw new Error(`the inputs must be in one folder, got ${[...dirs].join(", ")}`);
      const log = options.verbose ? (line: string) => console.log(line) : () => {};
      const result = await calwf3(inputs, {
        dir: [...dirs][0],
        env: process.env,
        log,
        workers: options.singleThread ? 1 : undefined,
      });
      for (const name of result.outputs) console.log(name);
      for (const root of result.nothingToDo) console.log(`${root}: NOTHING_TO_DO`);
    });
}
