/**
 * (Re)creates test/parity/fingerprints/acs-wfc-cte-2008.json from calacs.e: simulates the CTE parity case
 * (test/parity/cte-case.ts), runs calacs.e from $HSTCAL_BIN with PCTECORR=PERFORM and records sampled columns of
 * its _flc (never the product). It runs the program; it does not build it.
 *
 *   HSTCAL_BIN=/path/to/hstcal/bin node --import tsx scripts/cte-parity-fingerprints.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CTE_CASE, cteColumnPrints, cteFingerprintPath, cteSamples, simulateCteCase } from "../test/parity/cte-case.js";

const bin = process.env.HSTCAL_BIN;
const program = bin && join(bin, "calacs.e");
if (!program || !existsSync(program)) {
  console.error("cte-parity-fingerprints: set HSTCAL_BIN to the folder holding calacs.e");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), `parity-${CTE_CASE.name}-`));
try {
  const { input, referenceDir } = simulateCteCase(dir);
  const version = spawnSync(program, ["--version"], { encoding: "utf8" }).stdout.trim();
  const run = spawnSync(program, [input], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, jref: `${referenceDir}/` },
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) {
    console.error(`cte-parity-fingerprints: calacs.e ${input} exited ${run.status ?? run.signal}`);
    console.error(run.stdout.split("\n").slice(-15).join("\n"));
    process.exit(1);
  }
  const flc = input.replace(/_raw\.fits$/, "_flc.fits");
  const record = {
    case: CTE_CASE.name,
    program: `calacs.e ${version}`,
    hstcal: "spacetelescope/hstcal 5c1c17759397d0c2ee41275bc0254b44277c8b9b",
    command: `jref=<references>/ calacs.e ${input}`,
    simulation: CTE_CASE.simulation,
    sampleSeed: CTE_CASE.sampleSeed,
    file: flc,
    rows: cteSamples().rows,
    columns: cteColumnPrints(join(dir, flc)),
  };
  writeFileSync(cteFingerprintPath, `${JSON.stringify(record)}\n`);
  spawnSync("npx", ["biome", "format", "--write", cteFingerprintPath], { stdio: "ignore" });
  console.log(`${CTE_CASE.name}: ${flc}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
