// `caldp calcos --verbose` gives the wall time of each TIME-TAG stage (bench/cos-timetag.ts reads these lines):
// every stage once, in order, each a number of seconds, together no more than the process took; without
// --verbose none of them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { simulateCosNuv } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";

const STAGES = ["read", "deadcorr", "flatcorr", "doppcorr", "wavecorr", "dqicorr", "images", "timeline"].concat([
  "x1dcorr",
  "write corrtag",
  "write counts, flt, x1d",
]);
let dir = "";
let rawtag = "";
let lref = "";

before(() => {
  dir = mkdtempSync(join(tmpdir(), "caldp-cos-stages-"));
  const sim = simulateCosNuv({ dataset: "lcos02abq", out: dir, seed: 4, sourceRate: 200, backgroundRate: 20 });
  rawtag = sim.rawtag;
  lref = `${sim.referenceDir}/`;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("caldp calcos --verbose times every TIME-TAG stage once, in order", async () => {
  const started = performance.now();
  const run = await runCliAsync("caldp", ["calcos", "--verbose", "--outdir", "verbose", rawtag], {
    cwd: dir,
    env: { lref },
  });
  const wall = (performance.now() - started) / 1000;
  assert.equal(run.status, 0, run.stderr);
  const lines = [...run.stdout.matchAll(/^TIMETAG stage (.+): (\d+\.\d{3}) s$/gm)];
  assert.deepEqual(
    lines.map((m) => m[1]),
    STAGES,
  );
  const total = lines.reduce((sum, m) => sum + Number(m[2]), 0);
  assert.ok(total > 0 && total <= wall, `stages ${total} s within the process's ${wall.toFixed(3)} s`);
});

test("caldp calcos without --verbose prints no stage time", async () => {
  const run = await runCliAsync("caldp", ["calcos", "--outdir", "quiet", rawtag], { cwd: dir, env: { lref } });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stdout, /TIMETAG stage/);
});
