// caldp calacs / calwf3 take calacs.e's and calwf3.e's command lines (hstcal pkg/acs/src/mainacs.c,
// pkg/wfc3/src/mainwf3.c): combined letter flags, -r/--version/--help, -1/--nthreads, calacs's --ctegen and
// --pctetab; anything else is "Unrecognized option" with the syntax and hstcal's ERROR_RETURN (2).
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { simulateDataset } from "../../src/sim/index.js";
import { runCli } from "../helpers/cli.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { fitsDifferences } from "../helpers/fits-diff.js";
import { REPO } from "../helpers/paths.js";

const version = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version;

test("--help, --version and -r print and exit 0, before any input is read", () => {
  const help = runCli("caldp", ["calacs", "--help"]);
  assert.equal(help.status, 0, help.stderr);
  assert.match(
    help.stdout,
    /^syntax: {2}caldp calacs \[--help\] \[-t\] \[-s\] \[-v\] \[-q\] \[-r\] .*\[--ctegen <1\|2>\]/,
  );
  const wf3 = runCli("caldp", ["calwf3", "--help"]);
  assert.ok(!wf3.stdout.includes("--ctegen"), "calwf3.e has no --ctegen");
  assert.equal(runCli("caldp", ["calwf3", "--version", "whatever.fits"]).stdout, `${version}\n`);
  assert.equal(runCli("caldp", ["calacs", "-tr"]).stdout, `Current version: caldp ${version} (native calacs)\n`);
});

test("unknown options, per-step switches and bad values: one message with the syntax, exit 2, nothing written", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-hstcal-args-"));
  const cases: [string[], RegExp][] = [
    [
      ["calacs", "-dqi", "x_raw.fits"],
      /^caldp calacs: Unrecognized option -dqi \(per-step switches such as -dqi or -blev belong to hstcal's acsccd\.e, not calacs\.e: set the switch keywords/,
    ],
    [
      ["calwf3", "-glin", "x_raw.fits"],
      /^caldp calwf3: Unrecognized option -glin \(per-step switches .* wf3ccd\.e and wf3ir\.e, not calwf3\.e/,
    ],
    [["calwf3", "--ctegen", "2", "x_raw.fits"], /^caldp calwf3: Unrecognized option --ctegen\n/],
    [["calacs", "-tx", "x_raw.fits"], /^caldp calacs: Unrecognized option -tx\nsyntax: {2}caldp calacs /],
    [
      ["calacs", "--ctegen", "3", "x_raw.fits"],
      /^caldp calacs: --ctegen - value out of range\. Please specify either generation 1 or 2\.\n$/,
    ],
    [["calacs", "--nthreads"], /^caldp calacs: --nthreads - number of threads not specified\n/],
    [["calwf3", "-v"], /^caldp calwf3: syntax: {2}caldp calwf3 /],
  ];
  for (const [args, message] of cases) {
    const r = runCli("caldp", args, { cwd: dir });
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
    assert.equal(r.stdout, "");
  }
  assert.deepEqual(readdirSync(dir), []);
});

test("-tsq, -1 and --nthreads: the same products; -q prints nothing, -t only the step times; --ctegen warns", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-hstcal-run-"));
  const sim = simulateDataset({ dataset: "j8cb010b0", out: dir, detector: "HRC", seed: 5 });
  const env = { jref: `${sim.referenceDir}/` };
  const quiet = await runCliAsync("caldp", ["calacs", "-tsq", "--nthreads", "2", sim.exposures[0].raw], { env });
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stdout, "");
  const flt = `${sim.exposures[0].rootname}_flt.fits`;
  const first = join(dir, "first_flt.fits");
  copyFileSync(join(dir, flt), first);
  const timed = await runCliAsync("caldp", ["calacs", "-t", "-1", "--ctegen", "1", sim.exposures[0].raw], { env });
  assert.equal(timed.status, 0, timed.stderr);
  assert.equal(
    timed.stderr,
    "caldp calacs: warning: --ctegen 1: the algorithm is the PCTETAB's (CTE_NAME), as calacs.e 10.5 chooses it; the option changes nothing\n",
  );
  const lines = timed.stdout.trim().split("\n");
  assert.equal(lines.at(-1), flt);
  const steps = lines.slice(0, -1);
  assert.ok(steps.length >= 5, timed.stdout);
  for (const line of steps) assert.match(line, /\(wall \d+\.\d{3} s, CPU \d+\.\d{3} s\)$/);
  // one thread and two: the same product, but for the time it was written
  assert.equal(fitsDifferences(first, join(dir, flt), { ignoreKeywords: ["DATE", "IRAF-TLM"] }), undefined);
});
