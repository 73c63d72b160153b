import { statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { EXIT_CODES } from "../../core/exit-codes.js";
import { updateWcsFile } from "../../engine/updatewcs-file.js";
import { exitCodeOf } from "../../pipeline/error-exits.js";
import { printError } from "../error-output.js";

interface UpdateWcsOptions {
  output?: string;
  inPlace?: boolean;
}

function usage(message: string): void {
  printError("caldp updatewcs", new Error(message));
  process.exitCode = EXIT_CODES.CMDLINE_ERROR;
}

/** `caldp updatewcs`: stwcs's updatewcs, writing beside the input only when asked (--in-place). */
export function registerUpdatewcsCommand(program: Command): void {
  program
    .command("updatewcs")
    .description("the distortion-corrected WCS (SIP, D2IMARR, WCSDVARR) from IDCTAB, D2IMFILE and NPOLFILE, as stwcs")
    .argument("<files...>", "raw, flt or flc files (reference files from their header, $jref / $iref)")
    .option("-o, --output <dir>", "write the updated files into this folder (inputs untouched)")
    .option("--in-place", "replace each input with its updated version (atomically)")
    .action((files: string[], options: UpdateWcsOptions) => {
      if (Boolean(options.inPlace) === (options.output !== undefined)) {
        return usage("give either --output DIR or --in-place (an input is never changed unless asked)");
      }
      if (options.output !== undefined && !statSync(options.output, { throwIfNoEntry: false })?.isDirectory()) {
        return usage(`--output ${options.output}: not a folder`);
      }
      let status = 0;
      for (const file of files) {
        const output = options.inPlace ? file : join(options.output!, basename(file));
        if (!options.inPlace && resolve(output) === resolve(file)) {
          usage(`${file}: --output is the input's own folder; use --in-place to replace it`);
          return;
        }
        try {
          console.log(updateWcsFile(file, output, process.env));
        } catch (e) {
          printError("caldp updatewcs", e);
          status ||= exitCodeOf(e) ?? EXIT_CODES.GENERIC_ERROR;
        }
      }
      process.exitCode = status;
    });
}
