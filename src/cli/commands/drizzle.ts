import { statSync } from "node:fs";
import { type Command, Option } from "commander";
import { DRIZZLE_KERNELS, type DrizzleKernel } from "../../calib/drizzle/types.js";
import { EXIT_CODES } from "../../core/exit-codes.js";
import {
  type AdrizParameters,
  PARAMETER_KINDS,
  type ParameterValue,
  parseBits,
  parseParameter,
} from "../../engine/drizzle/parameters.js";
import { type DrizzleRunOptions, drizzleInputs } from "../../engine/drizzle/run.js";
import { exitCodeOf } from "../../pipeline/error-exits.js";
import { printError } from "../error-output.js";

interface DrizzleCliOptions extends Record<string, unknown> {
  output?: string;
  finalWcs?: boolean;
  finalRot?: string;
  finalScale?: string;
  finalKernel?: DrizzleKernel;
  finalPixfrac?: string;
  finalWhtType?: "EXP" | "ERR";
  finalBits?: string;
  finalFillval?: string;
  mdriztab?: string;
  crmaskDir?: string;
  intermediates?: string;
  flaggedDir?: string;
}

/** AstroDrizzle's step parameter as commander names its option's value: combine_type → combineType. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

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

/** The step parameters given on the command line, each checked as AstroDrizzle reads it. */
function stepParameters(o: DrizzleCliOptions): Partial<AdrizParameters> {
  const out: Record<string, ParameterValue> = {};
  for (const name of Object.keys(PARAMETER_KINDS) as (keyof AdrizParameters)[]) {
    const text = o[camel(name)];
    if (typeof text !== "string") continue;
    try {
      const value = parseParameter(name, text);
      if (value !== undefined) out[name] = value;
    } catch (e) {
      throw new Error(`--${name.replace(/_/g, "-")}: ${(e as Error).message}`);
    }
  }
  return out;
}

function runOptions(o: DrizzleCliOptions): DrizzleRunOptions {
  const custom = o.finalWcs ?? (o.finalRot !== undefined || o.finalScale !== undefined);
  return {
    output: o.output,
    kernel: o.finalKernel,
    pixfrac: number("--final-pixfrac", o.finalPixfrac, (v) => v > 0 && v <= 1),
    weightType: o.finalWhtType,
    bits: o.finalBits === undefined ? undefined : parseBits("--final-bits", o.finalBits),
    rotation: custom ? number("--final-rot", o.finalRot, () => true) : undefined,
    scale: custom ? number("--final-scale", o.finalScale, (v) => v > 0) : undefined,
    fillValue: /^(indef|none)$/i.test(o.finalFillval ?? "")
      ? undefined
      : number("--final-fillval", o.finalFillval, () => true),
    stepsize: number("--stepsize", o.stepsize as string | undefined, (v) => v >= 0),
    adriz: stepParameters(o),
    mdriztab: o.mdriztab,
    crmaskDir: o.crmaskDir,
    intermediates: o.intermediates,
    flaggedExposures: o.flaggedDir,
  };
}

/** `caldp drizzle`: AstroDrizzle's final drizzle of an association or flt/flc files, under its parameter names. */
export function registerDrizzleCommand(program: Command): void {
  const command = program
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
    .addOption(new Option("--final-kernel <kernel>", "drizzle kernel (default square)").choices([...DRIZZLE_KERNELS]))
    .option("--final-pixfrac <f>", "linear size of the drop, (0, 1] (default 1)")
    .addOption(new Option("--final-wht-type <type>", "input weights (default EXP)").choices(["EXP", "ERR"]))
    .option("--final-bits <bits>", "DQ bits that are good (sum or list; default 336, WFC3 IR 768)")
    .option("--final-fillval <value>", "value of output pixels without weight (default INDEF: NaN, as AstroDrizzle)")
    .option(
      "--stepsize <n>",
      "pixel maps interpolated between nodes n pixels apart, as AstroDrizzle (default 10; 0 exact)",
    )
    .option("--mdriztab <file>", "take the parameters from this MDRIZTAB's row (filter, number of exposures)")
    .option("--crmask-dir <dir>", "where the <root>_sci<n>_crmask.fits go (default: beside the product)")
    .option("--intermediates <dir>", "also write the _single_sci/_single_wht images and the _med there")
    .option("--flagged-dir <dir>", "write copies of the inputs with driz_cr's CR bit in DQ and MDRIZSKY there");
  for (const [name, kind] of Object.entries(PARAMETER_KINDS)) {
    const values = Array.isArray(kind) ? ` (${kind.join(", ")})` : kind === "pair" ? ' (two numbers, "a b")' : "";
    command.option(`--${name.replace(/_/g, "-")} <value>`, `AstroDrizzle's ${name}${values}`);
  }
  command.action(async (inputs: string[], o: DrizzleCliOptions) => {
    let options: DrizzleRunOptions;
    try {
      options = runOptions(o);
    } catch (e) {
      return usage((e as Error).message);
    }
    if (o.output !== undefined && statSync(o.output, { throwIfNoEntry: false })?.isDirectory()) {
      return usage(`--output ${o.output}: a folder; give the product's path or root name`);
    }
    try {
      for (const product of await drizzleInputs(inputs, options)) {
        console.log(product.path);
        for (const warning of product.result.warnings) console.error(`caldp drizzle: WARNING: ${warning}`);
        if (product.mdriztab) {
          const { table, row } = product.mdriztab;
          console.error(`caldp drizzle: ${product.path}: parameters from MDRIZTAB ${table} row ${row}`);
        }
      }
    } catch (e) {
      printError("caldp drizzle", e);
      process.exitCode = exitCodeOf(e) ?? EXIT_CODES.GENERIC_ERROR;
    }
  });
}
