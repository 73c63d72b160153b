import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { HST_DATA } from "../helpers/paths.js";

const files = readdirSync(HST_DATA)
  .filter((f) => f.endsWith(".fits"))
  .sort();

/** fitsverify -q's verdict per file (it exits with the number of problems, so its status is not checked). */
function fitsverifyQuiet(args: string[]): Map<string, string> {
  let out: string;
  try {
    out = execFileSync("fitsverify", ["-q", ...args], { cwd: HST_DATA, encoding: "utf8" });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout);
  }
  const verdicts = new Map<string, string>();
  for (const m of out.matchAll(/^verification (OK|FAILED): ([^\s,]+)/gm)) verdicts.set(m[2], m[1]);
  return verdicts;
}

test("fits verify -q -e: the same verdict as fitsverify -q -e on every real file", () => {
  const result = runCli("caldp", ["fits", "verify", "-q", "--errors-only", ...files], { cwd: HST_DATA });
  const oracle = fitsverifyQuiet(["-e", ...files]);
  assert.equal(oracle.size, files.length);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines.length, files.length);
  const ours = new Map(lines.map((l) => [/: (\S+?)(,|$)/.exec(l)![1], /^verification (OK|FAILED)/.exec(l)![1]]));
  assert.deepEqual(ours, oracle);
  assert.ok([...oracle.values()].includes("FAILED") && [...oracle.values()].includes("OK"));
  assert.ok(lines.includes("verification FAILED: 02c1450rj_npl.fits, 1 errors"), result.stdout);
  assert.equal(result.status, 1);
});

test("fits verify: problems, OK lines and the summary; warnings count unless --errors-only", () => {
  const some = ["02c1450rj_npl.fits", "cos_N8XTZCAWQ.fits", "j8bt05njq_raw.fits"];
  const all = runCli("caldp", ["fits", "verify", ...some], { cwd: HST_DATA });
  assert.equal(all.status, 1);
  const lines = all.stdout.trim().split("\n");
  assert.match(lines[0], /^ERROR BAD_VALUE: 02c1450rj_npl.fits: HDU 0: card 10: DATE /);
  assert.equal(lines.filter((l) => l.startsWith("WARNING ")).length, 2);
  assert.ok(lines.includes("j8bt05njq_raw.fits: OK"));
  assert.equal(lines.at(-1), "verified 3 file(s): 2 failed, 1 error(s), 2 warning(s)");
  const errorsOnly = runCli("caldp", ["fits", "verify", "-e", ...some], { cwd: HST_DATA });
  assert.ok(errorsOnly.stdout.includes("cos_N8XTZCAWQ.fits: OK"));
  assert.equal(
    errorsOnly.stdout.trim().split("\n").at(-1),
    "verified 3 file(s): 1 failed, 1 error(s), 0 warning(s) (warnings not checked)",
  );
  const clean = runCli("caldp", ["fits", "verify", "-q", "-e", "cos_N8XTZCAWQ.fits", "j8bt05njq_raw.fits"], {
    cwd: HST_DATA,
  });
  assert.equal(clean.status, 0);
  assert.equal(clean.stdout, "verification OK: cos_N8XTZCAWQ.fits\nverification OK: j8bt05njq_raw.fits\n");
});

test("fits verify --json: per-file counts and problems, a summary; a missing file and a folder are errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-verify-"));
  const cut = join(dir, "cut_raw.fits");
  writeFileSync(cut, readFileSync(join(HST_DATA, "j8bt05njq_raw.fits")).subarray(0, 100_000));
  const args = [join(HST_DATA, "cos_N8XTZCAWQ.fits"), cut, dir, join(dir, "missing.fits")];
  const result = runCli("caldp", ["fits", "verify", "--json", ...args]);
  assert.equal(result.status, 1);
  const report = JSON.parse(result.stdout) as {
    files: { file: string; errors: number; warnings: number; problems: { code: string; message: string }[] }[];
    summary: Record<string, number>;
  };
  assert.deepEqual(
    report.files.map((f) => [f.file, f.errors, f.warnings]),
    [
      [args[0], 0, 2],
      [cut, 1, 0],
      [dir, 1, 0],
      [args[3], 1, 0],
    ],
  );
  assert.equal(report.files[1].problems[0].code, "TRUNCATED");
  assert.ok(report.files[2].problems[0].message.startsWith(`${dir}: `));
  assert.ok(report.files[3].problems[0].message.includes("missing.fits"));
  assert.deepEqual(report.summary, { files: 4, failed: 4, errors: 3, warnings: 2 });
});
