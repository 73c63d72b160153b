import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { PYTHON, REPO } from "./paths.js";

export type AstropyValue =
  | string
  | boolean
  | { int: string }
  | { float: string }
  | { complex: [string, string] }
  | { undefined: true };

export interface AstropyHdu {
  name: string;
  ver: number;
  class: string;
  dims: number[] | string;
  ncards: number;
  cards: [string, AstropyValue, string][];
  data?: { dtype: string; shape: number[]; sha1: string };
  columns?: Record<string, unknown>;
}

/** Runs the astropy oracle (Debian's python3-astropy) on files and returns what it saw, keyed by path. */
export function astropyDump(files: string[], withData = false): Record<string, AstropyHdu[]> {
  const script = join(REPO, "test", "peers", "astropy_dump.py");
  const args = [script, ...(withData ? ["--data"] : []), ...files];
  const out = execFileSync(PYTHON, args, { maxBuffer: 512 * 1024 * 1024, encoding: "utf8" });
  return JSON.parse(out);
}

/** fitsverify's verdict on a file: counts of errors and warnings, and its full report. */
export function fitsverify(file: string): { errors: number; warnings: number; report: string } {
  let report: string;
  try {
    report = execFileSync("fitsverify", [file], { encoding: "utf8" });
  } catch (e) {
    report = String((e as { stdout?: string }).stdout ?? e);
  }
  const m = /Verification found (\d+) warning\(s\) and (\d+) error/.exec(report);
  if (!m) throw new Error(`cannot read fitsverify's verdict:\n${report}`);
  return { warnings: Number(m[1]), errors: Number(m[2]), report };
}

/**
 * Runs one of astropy's command-line scripts (fitsheader, fitsdiff, …) with Debian's python: Debian ships no
 * entry points for them, so their main() is called as the entry point would.
 */
export function astropyScript(
  name: "fitsheader" | "fitsdiff" | "fitsinfo",
  args: string[],
  cwd?: string,
): { status: number | null; stdout: string; stderr: string } {
  const code = `import sys\nfrom astropy.io.fits.scripts import ${name}\nsys.exit(${name}.main(sys.argv[1:]))`;
  const result = spawnSync(PYTHON, ["-c", code, ...args], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
