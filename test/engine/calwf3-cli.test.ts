/**
 * The `caldp calwf3` command (registered on a bare commander program, as src/cli/caldp.ts will): a
 * WFC3/IR raw (NSAMP = 3) in, `_ima` and `_flt` names printed; `-1` runs on one worker thread; an
 * exposure whose switches are all OMIT is NOTHING_TO_DO.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Command } from "commander";
import { registerCalwf3Command } from "../../src/cli/commands/calwf3.js";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-calwf3-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string>): Promise<string[]> {
  const program = new Command().exitOverride();
  registerCalwf3Command(program);
  const lines: string[] = [];
  const log = console.log;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  console.log = (line: string) => lines.push(line);
  try {
    await program.parseAsync(["calwf3", ...args], { from: "user" });
  } finally {
    console.log = log;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return lines;
}

test("caldp calwf3 on an IR raw prints the ima and flt it wrote", async () => {
  const sim = simulateDataset({ dataset: "iabc05xyq", out: dir, detector: "IR", nsamp: 3, seed: 4 });
  const raw = sim.exposures[0].raw;
  const lines = await run([raw, "-1"], { iref: `${sim.referenceDir}/` });
  assert.deepEqual(lines, ["iabc05xyq_ima.fits", "iabc05xyq_flt.fits"]);
  const ima = FitsFile.open(join(dir, "iabc05xyq_ima.fits"));
  try {
    assert.equal(ima.hdus.length, 1 + 5 * 4);
    assert.equal(ima.hdus[0].header.get("FILENAME"), "iabc05xyq_ima.fits");
    assert.match(String(ima.hdus[0].header.get("CAL_VER")), /native calwf3/);
  } finally {
    ima.close();
  }
});

test("an IR exposure with every switch OMIT is NOTHING_TO_DO", async () => {
  const sim = simulateDataset({ dataset: "iabc06xyq", out: dir, detector: "IR", nsamp: 2, seed: 4 });
  const raw = sim.exposures[0].raw;
  rewriteHeaders(raw, (h, hdu) => {
    if (hdu.index !== 0) return;
    for (const card of h.cards) if (card.keyword.endsWith("CORR")) h.set(card.keyword, "OMIT");
  });
  assert.deepEqual(await run([raw], { iref: `${sim.referenceDir}/` }), ["iabc06xyq: NOTHING_TO_DO"]);
});
