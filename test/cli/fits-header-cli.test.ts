import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { astropyScript } from "../helpers/astropy.js";
import { type CliResult, runCli } from "../helpers/cli.js";
import { HST_DATA } from "../helpers/paths.js";

// Relative names, run in the data folder, so that both tools print the same file names.
const files = readdirSync(HST_DATA)
  .filter((f) => f.endsWith(".fits"))
  .sort();
const raws = files.filter((f) => f.endsWith("_raw.fits"));

function ours(args: string[]): CliResult {
  return runCli("caldp", ["fits", "header", ...args], { cwd: HST_DATA });
}

function fitsheader(args: string[]): { stdout: string; stderr: string } {
  const result = astropyScript("fitsheader", args, HST_DATA);
  assert.equal(result.status, 0, result.stderr);
  return result;
}

/** astropy prints a long-string card (CONTINUE) as one line of 160+ characters; caldp prints each 80-column card. */
function cardLines(text: string): string {
  return text.replace(/^.{81,}$/gm, (line) => line.match(/.{1,80}/g)!.join("\n"));
}

/** astropy's warnings without its logger's suffix. */
function warnings(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("WARNING"))
    .map((l) => l.replace(/ \[astropy[^\]]*\]$/, ""));
}

test("fits header: every HDU of every real file, card for card as fitsheader prints them", () => {
  const mine = ours(files);
  assert.equal(mine.status, 0, mine.stderr);
  const oracle = fitsheader(files);
  assert.equal(mine.stdout, cardLines(oracle.stdout));
  assert.ok(mine.stdout.split("\n").length > 8000, "all HDUs printed");
});

test("fits header -k (repeatable, wildcards) -e: the same cards and the same missing-keyword warnings", () => {
  const args = ["-k", "filter1", "-k", "NAXIS?", "-k", "HISTORY", "-k", "NOPE", "-e", "0", "-e", "SCI,2", "-e", "sci"];
  const mine = ours([...args, ...raws]);
  const oracle = fitsheader([...args, ...raws]);
  assert.equal(mine.stdout, oracle.stdout);
  assert.ok(mine.stdout.includes("# HDU ('SCI', 2) in ocmv0lw6q_raw.fits:\nNAXIS1  ="));
  const missingExtensions = warnings(oracle.stderr).filter((w) => w.includes("Extension"));
  assert.deepEqual(warnings(mine.stderr), warnings(oracle.stderr));
  assert.ok(warnings(mine.stderr).includes("WARNING: j8bt05njq_raw.fits (HDU 0): Keyword NOPE not found."));
  // fitsheader exits 0 when an asked-for extension is missing; caldp says so and exits 1.
  assert.equal(mine.status, missingExtensions.length ? 1 : 0);
});

test("fits header -t and -t ascii.csv: the rows of fitsheader's tables, character for character", () => {
  for (const format of ["ascii.fixed_width", "ascii.csv"]) {
    for (const group of [raws, files.filter((f) => !f.endsWith("_raw.fits"))]) {
      const mine = ours(["-t", format, ...group]);
      assert.equal(mine.status, 0, mine.stderr);
      // astropy prints its Undefined object's repr for a keyword without a value; caldp an empty cell.
      const expected = fitsheader(["-t", format, ...group]).stdout.replace(
        /<astropy\.io\.fits\.card\.Undefined object at 0x[0-9a-f]+>/g,
        (repr) => (format === "ascii.csv" ? "" : " ".repeat(repr.length)),
      );
      assert.equal(mine.stdout, expected, format);
    }
  }
  // -t followed by a file (argparse would take it as the format): the file is read.
  const bare = ours(["-t", "j8bt05njq_raw.fits", "-k", "FILTER1"]);
  assert.equal(bare.status, 0, bare.stderr);
  assert.match(bare.stdout, /\| j8bt05njq_raw.fits \| +0 \| FILTER1 \| F555W \|/);
});

test("fits header -f (fitsort) with -s: one row per file, one column per keyword", () => {
  for (const args of [
    ["-f", "-k", "EXPTIME", "-k", "FILTER*"],
    ["-f", "-e", "0", "-k", "ROOTNAME", "-k", "DETECTOR", "-k", "EXPTIME", "-s", "DETECTOR"],
  ]) {
    const mine = ours([...args, ...raws]);
    assert.equal(mine.status, 0, mine.stderr);
    assert.equal(mine.stdout, fitsheader([...args, ...raws]).stdout, args.join(" "));
  }
});

test("fits header: a bad file is one line naming it, the others are still printed, exit 1", () => {
  const result = ours(["/nonexistent/x.fits", "j8bt05njq_raw.fits", HST_DATA, "-k", "ROOTNAME", "-e", "0"]);
  assert.equal(result.status, 1);
  assert.match(
    result.stdout,
    /^# HDU 0 in j8bt05njq_raw.fits:\nROOTNAME= 'j8bt05njq +' \/ rootname of the observation set *\n$/,
  );
  const errors = result.stderr.trim().split("\n");
  assert.equal(errors.length, 2);
  assert.match(errors[0], /^caldp: \/nonexistent\/x.fits: cannot open/);
  assert.ok(errors[1].startsWith(`caldp: ${HST_DATA}: `), errors[1]);
  const both = ours(["-t", "-f", "j8bt05njq_raw.fits"]);
  assert.equal(both.status, 1);
  assert.match(both.stderr, /cannot be used together/);
});
