/**
 * Runs AstroDrizzle (drizzlepac 3.6.2) and our stage on every case of astrodrizzle-sky-user-cases.ts and writes
 * astrodrizzle-sky-user-fingerprints.json: AstroDrizzle's prints (with each flt's MDRIZSKY as it left it) and how far
 * ours were when recorded. Not a test: run it by hand where a drizzlepac venv exists,
 *   DRIZZLEPAC_PYTHON=<venv>/bin/python npx tsx test/engine/drizzle/astrodrizzle-sky-user-fingerprints.ts
 *   npx biome format --write test/engine/drizzle/astrodrizzle-sky-user-fingerprints.json
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { REPO } from "../../helpers/paths.js";
import { differences, prepare, printOutputs } from "./astrodrizzle-cases.js";
import {
  mdrizskyOf,
  runOurs,
  SKY_USER_CASES,
  type SkyUserPrint,
  writeUserSkies,
} from "./astrodrizzle-sky-user-cases.js";

const PYTHON = process.env.DRIZZLEPAC_PYTHON ?? "";
if (!PYTHON) throw new Error("set DRIZZLEPAC_PYTHON to a python that imports drizzlepac 3.6.2");
const OUT = join(REPO, "test", "engine", "drizzle", "astrodrizzle-sky-user-fingerprints.json");

const recorded: Record<string, { theirs: SkyUserPrint; measured: string[] }> = {};
for (const c of SKY_USER_CASES) {
  const dir = mkdtempSync(join(tmpdir(), "caldp-adriz-sky-"));
  try {
    const prepared = prepare(c, join(dir, "in"));
    const roots = prepared.sim.exposures.map((e) => e.rootname);
    writeUserSkies(c, prepared.folder, roots);
    const files = [
      prepared.asn,
      join(prepared.folder, "sky.txt"),
      ...roots.map((r) => join(prepared.folder, `${r}_flt.fits`)),
    ];
    for (const side of ["ours", "theirs", "flagged"]) {
      mkdirSync(join(dir, side));
      if (side !== "flagged") for (const f of files) copyFileSync(f, join(dir, side, basename(f)));
    }
    const asn = basename(prepared.asn);
    const script = join(REPO, "test", "peers", "astrodrizzle_run.py");
    execFileSync(PYTHON, [script, join(dir, "theirs"), asn, JSON.stringify(c.parameters)], {
      stdio: "pipe",
      env: { ...process.env, jref: `${prepared.sim.referenceDir}/` },
    });
    const drz = asn.replace("_asn", "_drz");
    const theirs: SkyUserPrint = {
      ...printOutputs(join(dir, "theirs"), drz, roots),
      mdrizsky: mdrizskyOf(join(dir, "theirs"), roots),
    };
    const { print: ours } = await runOurs(c, join(dir, "ours"), join(dir, "ours", asn), roots, join(dir, "flagged"));
    const measured = differences(ours, theirs, 1e-5, 1e-4);
    if (JSON.stringify(ours.mdrizsky) !== JSON.stringify(theirs.mdrizsky)) {
      measured.push(`MDRIZSKY ${JSON.stringify(ours.mdrizsky)} vs ${JSON.stringify(theirs.mdrizsky)}`);
    }
    console.log(
      `${c.name}: ${measured.length} differences${measured.length ? `: ${measured.slice(0, 5).join("; ")}` : ""}`,
    );
    console.log(`  MDRIZSKY theirs ${JSON.stringify(theirs.mdrizsky)}`);
    recorded[c.name] = { theirs, measured };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
writeFileSync(OUT, `${JSON.stringify({ oracle: "drizzlepac 3.6.2 AstroDrizzle", cases: recorded }, null, 1)}\n`);
