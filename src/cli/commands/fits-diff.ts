import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Command } from "commander";
import { DEFAULT_DIFF_OPTIONS, type DiffOptions, diffFiles } from "../../fits/index.js";
import { diffReport } from "./fits-diff-report.js";

/** Keywords that change on every run of the same calibration (--ignore-volatile). */
export const VOLATILE_KEYWORDS = ["DATE", "IRAF-TLM", "CHECKSUM", "DATASUM", "CAL_VER", "PROCTIME"];

interface DiffCliOptions {
  quiet?: boolean;
  numDiffs: string;
  rtol?: string;
  atol?: string;
  ignoreBlanks: boolean;
  ignoreBlankCards: boolean;
  exact?: boolean;
  ignoreKeywords?: string[];
  ignoreComments?: string[];
  ignoreFields?: string[];
  ignoreHdus?: string[];
  ignoreVolatile?: boolean;
  json?: boolean;
  outputFile?: string;
}

function commaList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

function number(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new Error(`${option} ${text}: not a number`);
  return n;
}

export function diffOptions(o: DiffCliOptions): DiffOptions {
  const numDiffs = number("--num-diffs", o.numDiffs, 10);
  if (!Number.isInteger(numDiffs)) throw new Error(`--num-diffs ${o.numDiffs}: not an integer`);
  // -q needs only the exit status: the comparison stops at the first difference
  const quick = o.quiet === true;
  // as fitsdiff's --exact: the strictest comparison, still reporting at most -n differences per HDU
  if (o.exact) return { ...DEFAULT_DIFF_OPTIONS, numDiffs, quick, ignoreBlanks: false, ignoreBlankCards: false };
  return {
    quick,
    rtol: number("--rtol", o.rtol, 0),
    atol: number("--atol", o.atol, 0),
    numDiffs,
    ignoreBlanks: o.ignoreBlanks,
    ignoreBlankCards: o.ignoreBlankCards,
    ignoreKeywords: [...(o.ignoreKeywords ?? []), ...(o.ignoreVolatile ? VOLATILE_KEYWORDS : [])],
    ignoreComments: o.ignoreComments ?? [],
    ignoreFields: o.ignoreFields ?? [],
    ignoreHdus: o.ignoreHdus ?? [],
  };
}

export function registerFitsDiffCommand(fits: Command): void {
  fits
    .command("diff")
    .description("compare two FITS files like astropy's fitsdiff: headers, image data, tables column by column")
    .argument("<a>")
    .argument("<b>")
    .option("-q, --quiet", "no output, only the exit status")
    .option("-n, --num-diffs <n>", "differing data values reported per HDU (negative: all)", "10")
    .option("-r, --rtol <x>", "relative tolerance for floating-point data and header values", undefined)
    .option("-a, --atol <x>", "absolute tolerance for floating-point data and header values", undefined)
    .option("-b, --no-ignore-blanks", "trailing blanks in string values count")
    .option("--no-ignore-blank-cards", "blank cards count")
    .option("--exact", "the strictest comparison: no tolerance, nothing ignored")
    .option("-k, --ignore-keywords <list>", "keywords not compared (comma-separated, wildcards); repeatable", commaList)
    .option("-c, --ignore-comments <list>", "keywords whose comments are not compared; repeatable", commaList)
    .option("-f, --ignore-fields <list>", "table columns not compared; repeatable", commaList)
    .option("-u, --ignore-hdus <list>", "EXTNAMEs of HDUs not compared (wildcards); repeatable", commaList)
    .option("--ignore-volatile", `ignore the keywords that change from run to run (${VOLATILE_KEYWORDS.join(", ")})`)
    .option("-o, --output-file <file>", "write the report there instead of stdout")
    .option("--json", "print the differences as JSON")
    .addHelpText("after", "\nExit status: 0 identical, 1 different, 2 a file could not be compared.")
    .action((a: string, b: string, o: DiffCliOptions) => {
      const options = diffOptions(o);
      try {
        const result = diffFiles(a, b, options);
        if (!o.quiet) {
          const text = o.json ? `${JSON.stringify(result, jsonValue, 2)}\n` : diffReport(result, options);
          if (o.outputFile) writeReport(o.outputFile, text);
          else process.stdout.write(text);
        }
        process.exitCode = result.identical ? 0 : 1;
      } catch (error) {
        // as diff(1) and fitsdiff: 2 when the files could not be compared (or the report not written)
        console.error(`caldp fits diff: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 2;
      }
    });
}

/**
 * A regular file (or a new one) is written under a temporary name and renamed; a device or FIFO (/dev/stdout)
 * is written in place, never replaced.
 */
function writeReport(path: string, text: string): void {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    writeFileSync(path, text);
    return;
  }
  const temporary = join(dirname(path), `.${basename(path)}.caldp-tmp-${process.pid}`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Error(`cannot write the report ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** bigints (64-bit integers) as numbers when exact, else as strings; NaN and infinities as strings. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}
