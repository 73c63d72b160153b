/**
 * The sky given by the user (skysub off with skyuser, or alone; a skyfile, subtracted or "applied") end to end
 * against AstroDrizzle (drizzlepac 3.6.2): the committed prints of its outputs (astrodrizzle-sky-user-fingerprints.ts
 * makes them) for SCI/WHT/CTX within 1e-5 relative + 1e-4 absolute, the CR masks identical, and the MDRIZSKY it
 * leaves in each flt equal to what ours writes into the flagged copies. Every case is the same simulated HRC
 * association (calibrated once), its skies different per exposure. When they were recorded, every print agreed.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { REPO } from "../../helpers/paths.js";
import { differences, type PreparedCase, prepare } from "./astrodrizzle-cases.js";
import { runOurs, SKY_USER_CASES, type SkyUserPrint, writeUserSkies } from "./astrodrizzle-sky-user-cases.js";

const RECORDED = JSON.parse(
  readFileSync(join(REPO, "test", "engine", "drizzle", "astrodrizzle-sky-user-fingerprints.json"), "utf8"),
) as { cases: Record<string, { theirs: SkyUserPrint }> };
const dir = mkdtempSync(join(tmpdir(), "caldp-adriz-sky-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

let prepared: PreparedCase | undefined;

for (const [n, c] of SKY_USER_CASES.entries()) {
  test(`equals AstroDrizzle's: ${c.name}`, async () => {
    const recorded = RECORDED.cases[c.name];
    assert.ok(recorded, `no prints recorded for "${c.name}": rerun astrodrizzle-sky-user-fingerprints.ts`);
    prepared ??= prepare(c, join(dir, "in"));
    const roots = prepared.sim.exposures.map((e) => e.rootname);
    const folder = join(dir, `case${n}`);
    const flagged = join(folder, "flagged");
    mkdirSync(flagged, { recursive: true });
    for (const f of [prepared.asn, ...roots.map((r) => join(prepared!.folder, `${r}_flt.fits`))]) {
      copyFileSync(f, join(folder, basename(f)));
    }
    writeUserSkies(c, folder, roots);
    const flts = roots.map((r) => join(folder, `${r}_flt.fits`));
    const before = flts.map(sha1);
    const { product, print } = await runOurs(c, folder, join(folder, basename(prepared.asn)), roots, flagged);
    assert.deepEqual(flts.map(sha1), before, "the flt files are left as they were");
    const sky = product.result.steps.find((s) => s.name === "sky");
    assert.equal(sky?.ran, c.parameters.skysub === "yes", sky?.detail);
    const found = differences(print, recorded.theirs, 1e-5, 1e-4);
    assert.deepEqual(found.slice(0, 10), [], `${found.length} differences`);
    assert.deepEqual(print.mdrizsky, recorded.theirs.mdrizsky, "MDRIZSKY as AstroDrizzle leaves it in the flt");
  });
}
