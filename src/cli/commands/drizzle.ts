import { statSync } from "node:fs";
import { type Command, Option } from "commander";
import { DRIZZLE_KERNELS, type DrizzleKernel } from "../../calib/drizzle/types.js";
import { EXIT_CODES } from "../../core/exit-codes.js";
import { type DrizzleRunOptions, drizzleInputs } from "../../engine/drizzle/run.js";
import { exitCodeOf } from "../../pipeline/error-exits.js";
import { printError } from "../error-output.js";

interface DrizzleCliOptions {
  output?: string;
  finalWcs?: boolean;
  finalRot?: string;
  finalScale?: string;
  finalKernel: DrizzleKernel;
  finalPixfrac: string;
  finalWhtType: "EXP" | "ERR";
  finalBits?: string;
  finalFillval?: string;
  skymethod?: string;
  drizCrSnr?: string;
  combineType?: string;
}

function usage(message: string): void {
  printError("caldp drizzle", new Error(message));
  process.exitCode = EXIT_CODES.CMDLINE_ERROR;
}

function number(name: string, value: string | undefined, check: (v: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (!Number.isFinite(v) || !check(v)) throw new Error(`${name} ${value}: not a valid value`);
  return v;
}

/** The DQ bits of `final_bits`: a sum ("336") or a list of flags ("16,64,256"), as AstroDrizzle reads them. */
function bits(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(/[,+]/).map((s) => Number(s.trim()));
  if (parts.some((p) => !Number.isInteger(p) || p < 0)) throw new Error(`--final-bits ${value}: not DQ bits`);
  return parts.reduce((a, b) => a | b, 0);
}

function runOptions(o: DrizzleCliOptions): DrizzleRunOptions {
  const custom = o.finalWcs ?? (o.finalRot !== undefined || o.finalScale !== undefined);
  return {
    output: o.output,
    kernel: o.finalKernel,
    pixfrac: number("--final-pixfrac", o.finalPixfrac, (v) => v > 0 && v <= 1),
    weightType: o.finalWhtType,
    bits: bits(o.finalBits),
    rotation: custom ? number("--final-rot", o.finalRot, () => true) : undefined,
    scale: custom ? number("--final-scale", o.finalScale, (v) => v > 0) : undefined,
    fillValue: number("--final-fillval", o.finalFillval, () => true),
  };
}

/** Steps asked for that are not native yet: said on stderr, and the product's HISTORY says they did not run. */
function warnNotNative(o: DrizzleCliOptions): void {
  const asked = [
    o.skymethod !== undefined && `--skymethod ${o.skymethod} (sky)`,
    o.drizCrSnr !== undefined && `--driz-cr-snr ${o.drizCrSnr} (driz_cr)`,
    o.combineType !== undefined && `--combine-type ${o.combineType} (median)`,
  ].filter(Boolean);
  for (const a of asked) console.error(`caldp drizzle: warning: ${a}: the step is not native yet and does not run`);
}

/** `caldp drizzle`: AstroDrizzle's final drizzle of an association or flt/flc files, under its parameter names. */
export function registerDrizzleCommand(program: Command): void {
  program
    .command("drizzle")
    .description("drizzle flt/flc files or an _asn.fits onto one distortion-free frame: <root>_drz.fits / _drc.fits")
    .argument("<inputs...>", "an _asn.fits, or flt/flc files (with a distortion WCS: run caldp updatewcs first)")
    .option("--output <name>", "the product (path or root name); default <root>_drz.fits beside the inputs")
    .option("--final-wcs", "use --final-rot/--final-scale (implied when one is given)")
    .option(
      "--final-rot <deg>",
      "orientation of the output's y axis, degrees east of north (default: the first chip's)",
    )
    .option("--final-scale <arcsec>", "output pixel scale in arcsec (default: the first chip's IDCSCALE)")
    .addOption(new Option("--final-kernel <kernel>", "drizzle kernel").choices([...DRIZZLE_KERNELS]).default("square"))
    .option("--final-pixfrac <f>", "linear size of the drop, (0, 1]", "1")
    .addOption(new Option("--final-wht-type <type>", "input weights").choices(["EXP", "ERR"]).default("EXP"))
    .option("--final-bits <bits>", "DQ bits that are good (sum or list; default 336, WFC3 IR 768)")
    .option("--final-fillval <value>", "value of output pixels without weight (default INDEF, written as 0)")
    .option("--skymethod <method>", "sky subtraction (not native yet: accepted and reported)")
    .option("--driz-cr-snr <snr>", "driz_cr thresholds (not native yet: accepted and reported)")
    .option("--combine-type <type>", "median combination (not native yet: accepted and reported)")
    .action(async (inputs: string[], o: DrizzleCliOptions) => {
      let options: DrizzleRunOptions;
      try {
        options = runOptions(o);
      } catch (e) {
        return usage((e as Error).message);
      }
      if (o.output !== undefined && statSync(o.output, { throwIfNoEntry: false })?.isDirectory()) {
        return usage(`--output ${o.output}: a folder; give the product's path or root name`);
      }
      warnNotNative(o);
      try {
        for (const product of await drizzleInputs(inputs, options)) {
          const skipped = product.result.skipped.join(", ");
          console.log(product.path);
          if (skipped) console.error(`caldp drizzle: ${product.path}: steps not run (not native yet): ${skipped}`);
        }
      } catch (e) {
        printError("caldp drizzle", e);
        process.exitCode = exitCodeOf(e) ?? EXIT_CODES.GENERIC_ERROR;
      }
    });
}
