/**
 * Runs AstroDrizzle (drizzlepac 3.6.2) and our stage on every case of astrodrizzle-cases.ts and writes
 * astrodrizzle-fingerprints.json: AstroDrizzle's prints, and how far ours were from them when recorded. Not a test:
 * run it by hand where a drizzlepac venv exists,
 *   DRIZZLEPAC_PYTHON=<venv>/bin/python npx tsx test/engine/drizzle/astrodrizzle-fingerprints.ts
 *   npx biome format --write test/engine/drizzle/astrodrizzle-fingerprints.json
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { drizzleInputs } from "../../../src/engine/drizzle/run.js";
import { REPO } from "../../helpers/paths.js";
import { CASES, type CasePrint, differences, ourOptions, prepare, printOutputs } from "./astrodrizzle-cases.js";

const PYTHON = process.env.DRIZZLEPAC_PYTHON ?? "";
if (!PYTHON) throw new Error("set DRIZZLEPAC_PYTHON to a python that imports drizzlepac 3.6.2");
const OUT = join(REPO, "test", "engine", "drizzle", "astrodrizzle-fingerprints.json");

const recorded: Record<string, { theirs: CasePrint; measured: string[] }> = {};
for (const c of CASES) {
  const dir = mkdtempSync(join(tmpdir(), "caldp-adriz-"));
  try {
    const prepared = prepare(c, join(dir, "in"));
    const roots = prepared.sim.exposures.map((e) => e.rootname);
    const files = [prepared.asn, ...roots.map((r) => join(prepared.folder, `${r}_flt.fits`))];
    for (const side of ["ours", "theirs"]) {
      mkdirSync(join(dir, side));
      for (const f of files) copyFileSync(f, join(dir, side, basename(f)));
    }
    const asn = basename(prepared.asn);
    const script = join(REPO, "test", "peers", "astrodrizzle_run.py");
    execFileSync(PYTHON, [script, join(dir, "theirs"), asn, JSON.stringify(c.parameters)], {
      stdio: "pipe",
      env: { ...process.env, jref: `${prepared.sim.referenceDir}/` },
    });
    await drizzleInputs([join(dir, "ours", asn)], ourOptions(c));
    const drz = asn.replace("_asn", "_drz");
    const theirs = printOutputs(join(dir, "theirs"), drz, roots);
    const ours = printOutputs(join(dir, "ours"), drz, roots);
    const measured = differences(ours, theirs, 1e-5, 1e-4);
    console.log(
      `${c.name}: ${measured.length} differences${measured.length ? `: ${measured.slice(0, 5).join("; ")}` : ""}`,
    );
    for (const [name, m] of Object.entries(theirs.masks)) console.log(`  ${name}: ${m.cosmicRays} CR pixels`);
    recorded[c.name] = { theirs, measured };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
writeFileSync(OUT, `${JSON.stringify({ oracle: "drizzlepac 3.6.2 AstroDrizzle", cases: recorded }, null, 1)}\n`);
