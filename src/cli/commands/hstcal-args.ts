/**
 * The command lines of hstcal's calacs.e and calwf3.e (pkg/acs/src/mainacs.c, pkg/wfc3/src/mainwf3.c):
 * single-letter flags that may be combined (`-tv`), `--version`, `--gitinfo`, `--help`, and for calacs.e
 * `--ctegen <1|2>`, `--pctetab <file>` and `--nthreads <N>` (accepted by caldp calwf3 too).
 */
export type HstcalProgram = "calacs" | "calwf3" | "calstis";

export interface HstcalArgs {
  inputs: string[];
  /** -t: print the time after each step. */
  printTime: boolean;
  /** -s: keep temporary files (caldp writes none). */
  save: boolean;
  /** -v: print the processing log (-d, debug, adds nothing more: calwf3.e ignores it too). */
  verbose: boolean;
  /** -q: nothing on stdout. */
  quiet: boolean;
  /** -1 or --nthreads N (-1 wins, as in calacs.e). */
  workers?: number;
  ctegen?: 1 | 2;
  pctetab?: string;
  /** --help, --version, -r, --gitinfo: print this and exit 0. */
  exitWith?: "help" | "version" | "release" | "gitinfo";
}

export class HstcalUsageError extends Error {}

const LETTERS: Record<string, string> = {
  t: "print the time after each step",
  s: "save temporary files",
  v: "verbose",
  d: "debug",
  q: "quiet",
  r: "print the version",
  "1": "one thread",
};

export function syntax(program: HstcalProgram): string {
  const cte = program === "calacs" ? " [--ctegen <1|2>] [--pctetab <path>]" : "";
  return `syntax:  caldp ${program} [--help] [-t] [-s] [-v] [-q] [-r] [--version] [--gitinfo] [-1|--nthreads <N>]${cte} input...`;
}

const STEP_PROGRAMS: Record<HstcalProgram, string> = {
  calacs: "acsccd.e",
  calwf3: "wf3ccd.e and wf3ir.e",
  calstis: "cs1.e",
};

function unrecognized(program: HstcalProgram, arg: string): HstcalUsageError {
  const steps = /^-[a-z]{3,}$/.test(arg)
    ? ` (per-step switches such as -dqi or -blev belong to hstcal's ${STEP_PROGRAMS[program]}, not ${program === "calstis" ? "cs0.e" : `${program}.e`}: set the switch keywords, e.g. DQICORR = 'OMIT', in the raw file's primary header)`
    : "";
  return new HstcalUsageError(`Unrecognized option ${arg}${steps}\n${syntax(program)}`);
}

function optionValue(program: HstcalProgram, argv: string[], i: number, what: string): string {
  const value = argv[i + 1];
  if (value === undefined) throw new HstcalUsageError(`${argv[i]} - ${what} not specified\n${syntax(program)}`);
  return value;
}

export function parseHstcalArgs(program: HstcalProgram, argv: string[]): HstcalArgs {
  const args: HstcalArgs = { inputs: [], printTime: false, save: false, verbose: false, quiet: false };
  let oneThread = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") args.exitWith ??= "help";
    else if (arg === "--version") args.exitWith ??= "version";
    else if (arg === "--gitinfo") args.exitWith ??= "gitinfo";
    else if (arg === "--nthreads") {
      const n = Number.parseInt(optionValue(program, argv, i++, "number of threads"), 10);
      args.workers = Number.isFinite(n) && n >= 1 ? n : 1;
    } else if (program === "calacs" && arg === "--ctegen") {
      const gen = optionValue(program, argv, i++, "CTE algorithm generation");
      if (gen !== "1" && gen !== "2") {
        throw new HstcalUsageError("--ctegen - value out of range. Please specify either generation 1 or 2.");
      }
      args.ctegen = Number(gen) as 1 | 2;
    } else if (program === "calacs" && arg === "--pctetab") {
      args.pctetab = optionValue(program, argv, i++, "file");
    } else if (arg.startsWith("-") && arg.length > 1) {
      if (arg.startsWith("--")) throw unrecognized(program, arg);
      for (const letter of arg.slice(1)) {
        if (!(letter in LETTERS)) throw unrecognized(program, arg);
        if (letter === "t") args.printTime = true;
        else if (letter === "s") args.save = true;
        else if (letter === "v" || (letter === "d" && program === "calacs")) args.verbose = true;
        else if (letter === "q") args.quiet = true;
        else if (letter === "r") args.exitWith ??= "release";
        else if (letter === "1") oneThread = true;
      }
    } else {
      args.inputs.push(arg);
    }
  }
  if (oneThread) args.workers = 1;
  if (!args.exitWith && args.inputs.length === 0) throw new HstcalUsageError(syntax(program));
  return args;
}
