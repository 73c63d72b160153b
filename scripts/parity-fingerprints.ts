/**
 * (Re)creates test/parity/fingerprints/<case>.json from hstcal's C programs: simulates each case of
 * test/parity/cases.ts, runs calacs.e, calwf3.e or cs0.e from $HSTCAL_BIN on it and records the fingerprints of
 * the products (never the products). It runs the programs; it does not build them.
 *
 *   HSTCAL_BIN=/path/to/hstcal/bin node --import tsx scripts/parity-fingerprints.ts [case...]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PARITY_CASES, productsIn, simulateCase } from "../test/parity/cases.js";
import { fingerprintProduct } from "../test/parity/fingerprint.js";

const bin = process.env.HSTCAL_BIN;
if (!bin) {
  console.error("parity-fingerprints: set HSTCAL_BIN to the folder holding calacs.e, calwf3.e and cs0.e");
  process.exit(2);
}
const wanted = process.argv.slice(2);
const out = join(import.meta.dirname, "..", "test", "parity", "fingerprints");

for (const c of PARITY_CASES.filter((x) => wanted.length === 0 || wanted.includes(x.name))) {
  const program = join(bin, c.program);
  if (!existsSync(program)) {
    console.error(`parity-fingerprints: ${program} does not exist`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), `parity-${c.name}-`));
  try {
    const { input, referenceDir } = simulateCase(c, dir);
    const version = spawnSync(program, ["--version"], { encoding: "utf8" }).stdout.trim();
    const run = spawnSync(program, [input], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, [c.referenceVariable]: `${referenceDir}/` },
      maxBuffer: 64 << 20,
    });
    if (run.status !== 0) {
      console.error(`parity-fingerprints: ${c.name}: ${c.program} ${input} exited ${run.status ?? run.signal}`);
      console.error(run.stdout.split("\n").slice(-15).join("\n"));
      process.exit(1);
    }
    const products = productsIn(dir).map((f) => fingerprintProduct(join(dir, f), f, c.sampleSeed, c.headers));
    const record = {
      case: c.name,
      program: `${c.program} ${version}`,
      hstcal: "spacetelescope/hstcal 5c1c17759397d0c2ee41275bc0254b44277c8b9b",
      command: `${c.referenceVariable}=<references>/ ${c.program} ${input}`,
      simulation: c.simulation,
      sampleSeed: c.sampleSeed,
      products,
    };
    const file = join(out, `${c.name}.json`);
    writeFileSync(file, `${JSON.stringify(record)}\n`);
    // Formatted as the linter wants it: one value a line where long, so that a change shows as a small diff.
    spawnSync("npx", ["biome", "format", "--write", file], { stdio: "ignore" });
    console.log(`${c.name}: ${products.map((p) => p.file).join(" ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
