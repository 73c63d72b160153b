import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Random, simulateDataset } from "../../src/sim/index.js";
import {
  finalNames,
  hiddenNames,
  incompleteReason,
  processesIn,
  startProcess,
  waitForText,
} from "./process-fixture.js";

const DS = "j8cb01a1q";
const dir = mkdtempSync(join(tmpdir(), "caldp-atomic-large-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("SIGKILL during the copy of a full-frame ACS/WFC exposure (34 MB raw, 168 MB flt): no partial final file", async (t) => {
  simulateDataset({ dataset: DS, out: join(dir, "in"), detector: "WFC", exposures: 1, seed: 2 });
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${join(dir, "in", "crds")}\nCRDS_READONLY_CACHE=1\n`);
  const random = new Random(34_329_600);
  const product = join(dir, "out", DS);
  // kill while the flt (168 MB), then the raw (34 MB) is being copied: as soon as its temporary copy appears
  for (const [i, copying] of [`${DS}_flt.fits`, `${DS}_raw.fits`].entries()) {
    rmSync(join(dir, "process.txt"), { force: true });
    const run = startProcess([DS, "file:in", "file:out", config], dir);
    await waitForText(join(dir, "process.txt"), /save outputs started/, 120_000);
    const copyUntil = Date.now() + 30_000;
    // the product folder appears a moment after "save outputs started" is logged
    const temp = () =>
      existsSync(product) && readdirSync(product).some((n) => n.startsWith(`.${copying}.`) && n.endsWith(".tmp"));
    while (!temp() && Date.now() < copyUntil) await new Promise((r) => setTimeout(r, 1));
    const delay = random.uniform() * 5;
    await new Promise((r) => setTimeout(r, delay));
    process.kill(-run.pid, "SIGKILL");
    await run.ended;
    const until = Date.now() + 5000;
    while (processesIn(dir).length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(processesIn(dir), []);
    const partial = readdirSync(product).filter((n) => n.startsWith(".") && n.endsWith(".tmp"));
    const finals = finalNames(join(dir, "out"));
    t.diagnostic(
      `kill ${i} ${delay.toFixed(1)} ms into the copy of ${copying}: final ${finals.join(" ")}; partial ${partial}`,
    );
    for (const name of finals) {
      assert.equal(incompleteReason(join(dir, "out", name)), undefined, `${name} (kill ${i}, partial: ${partial})`);
    }
    if (finals.includes(`${DS}/${DS}_raw.fits`)) {
      assert.equal(statSync(join(product, `${DS}_raw.fits`)).size, statSync(join(dir, "in", `${DS}_raw.fits`)).size);
    }
  }
  // what the kills left is all hidden (a temporary copy, the lock, the scratch folder), for the next run to clear
  assert.ok(hiddenNames(join(dir, "out")).length > 0);
});
