import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { calcos } from "../../engine/cos/calcos.js";

interface CalcosCliOptions {
  outdir?: string;
  verbose?: boolean;
  quiet?: boolean;
}

export function registerCalcosCommand(program: Command): void {
  program
    .command("calcos")
    .description(
      "calibrate COS data like calcos: NUV TIME-TAG _rawtag (→ _corrtag, _counts, _flt, _x1d, _lampflash with TAGFLASH) or FUV _rawtag_a/_b (→ _corrtag, _counts, _flt per segment), or their _asn (an NUV FP-POS _asn: also <product>_x1dsum and _x1dsum<FPPOS>, the _asn copied to --outdir with ASN_PROD = T); .tra (references from $lref)",
    )
    .argument("<input...>", "_rawtag.fits or _rawtag_a/_b.fits files, or one _asn.fits, in one folder")
    .option("-o, --outdir <dir>", "folder of the products and trailers (created if missing; default: the input's)")
    .option("-v, --verbose", "print the processing log")
    .option("-q, --quiet", "nothing on stdout")
    .action(async (inputs: string[], options: CalcosCliOptions) => {
      const dirs = new Set(inputs.map((i) => dirname(resolve(i))));
      if (dirs.size > 1) throw new Error(`the inputs must be in one folder, got ${[...dirs].join(", ")}`);
      const dir = [...dirs][0];
      const outDir = options.outdir === undefined ? dir : resolve(options.outdir);
      if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
        throw new Error(`--outdir ${options.outdir}: not a folder`);
      }
      mkdirSync(outDir, { recursive: true });
      const out = (line: string) => !options.quiet && console.log(line);
      const log = (line: string) => options.verbose && out(line);
      const result = await calcos(inputs, { dir, outDir, env: process.env, log });
      for (const name of result.outputs) out(name);
      for (const root of result.nothingToDo) out(`${root}: NOTHING_TO_DO`);
    });
}
