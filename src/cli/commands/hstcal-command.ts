import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Command, CommanderError } from "commander";
import { VERSION } from "../../version.js";
import { type HstcalArgs, type HstcalProgram, HstcalUsageError, parseHstcalArgs, syntax } from "./hstcal-args.js";

/** hstcal's ERROR_RETURN, the status of calacs.e and calwf3.e for a bad command line. */
const ERROR_RETURN = 2;

export interface HstcalRun {
  program: HstcalProgram;
  description: string;
  /** The CAL_VER the engine writes (what -r prints). */
  calVer: string;
  examples: string[];
  run(
    inputs: string[],
    options: {
      dir: string;
      env: NodeJS.ProcessEnv;
      log: (line: string) => void;
      workers?: number;
      pctetab?: string;
    },
  ): Promise<{ outputs: string[]; nothingToDo: string[] }>;
}

function help(spec: HstcalRun): string {
  return [
    syntax(spec.program),
    "",
    spec.description,
    "",
    "  -t              print the time after each step",
    "  -s              save temporary files (accepted: caldp writes none)",
    "  -v              print the processing log" +
      (spec.program === "calacs" ? " (-d: the same)" : " (-d: accepted, ignored as by calwf3.e)"),
    "  -q              quiet: nothing on stdout",
    "  -r              print the current version and exit",
    "  -1              one worker thread (wins over --nthreads)",
    "  --nthreads <N>  worker threads (default: the machine's cores); the results are the same",
    ...(spec.program === "calacs"
      ? ["  --ctegen <1|2>  CTE algorithm generation", "  --pctetab <path>  PCTETAB to use instead of the header's"]
      : []),
    "  --version       print the version number and exit",
    "",
    "Examples:",
    ...spec.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/**
 * What the CTE options ask for that changes nothing: warnings (calacs.e 10.5 takes the algorithm from the
 * PCTETAB's CTE_NAME whatever --ctegen says), or an error for a missing --pctetab file.
 */
function cteWarnings(program: HstcalProgram, args: HstcalArgs): string[] {
  if (args.pctetab !== undefined && !existsSync(args.pctetab)) {
    throw new Error(`--pctetab ${args.pctetab}: no such file`);
  }
  const warn = (o: string, why: string) => `caldp ${program}: warning: ${o}: ${why}; the option changes nothing`;
  const warnings: string[] = [];
  if (args.ctegen) {
    warnings.push(
      warn(`--ctegen ${args.ctegen}`, "the algorithm is the PCTETAB's (CTE_NAME), as calacs.e 10.5 chooses it"),
    );
  }
  return warnings;
}

export function registerHstcalCommand(program: Command, spec: HstcalRun): void {
  program
    .command(spec.program)
    .description(spec.description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]", `${spec.program}.e's options and inputs (caldp ${spec.program} --help)`)
    .action(async (argv: string[]) => {
      let args: HstcalArgs;
      try {
        args = parseHstcalArgs(spec.program, argv);
      } catch (error) {
        if (!(error instanceof HstcalUsageError)) throw error;
        console.error(`caldp ${spec.program}: ${error.message}`);
        throw new CommanderError(ERROR_RETURN, "caldp.usage", error.message);
      }
      if (args.exitWith) {
        const text = {
          help: help(spec),
          version: VERSION,
          release: `Current version: ${spec.calVer}`,
          gitinfo: `caldp ${VERSION}`,
        };
        console.log(text[args.exitWith]);
        return;
      }
      for (const warning of cteWarnings(spec.program, args)) console.error(warning);
      const dirs = new Set(args.inputs.map((i) => dirname(resolve(i))));
      if (dirs.size > 1) throw new Error(`the inputs must be in one folder, got ${[...dirs].join(", ")}`);
      const out = (line: string) => !args.quiet && console.log(line);
      const log = (line: string) => {
        // CALDP_MEMORY_LOG's lines are printed whenever it is set: it is asked for on its own; a dead run's
        // chip store removed and a calibration warning (a MAMA over its count-rate limit) are always said
        const always = line.startsWith("memory ") || line.startsWith("chip store: ") || line.includes(": Warning  ");
        if (args.verbose || (args.printTime && line.includes("(wall ")) || always) out(line);
      };
      const result = await spec.run(args.inputs, {
        dir: [...dirs][0],
        env: process.env,
        log,
        workers: args.workers,
        pctetab: args.pctetab && resolve(args.pctetab),
      });
      for (const name of result.outputs) out(name);
      for (const root of result.nothingToDo) out(`${root}: NOTHING_TO_DO`);
    });
}
