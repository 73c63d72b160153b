/**
 * (Re)creates test/parity/fingerprints/stis-ccd-longslit.json from hstcal's cs0.e: simulates the long-slit case
 * of test/parity/stis-longslit-case.ts, runs `cs0.e <raw>` on it (the _wav beside it) and records the digests
 * of the raws and the fingerprints of the products (never the products).
 *
 *   HSTCAL_BIN=/path/to/hstcal/pkg/stis node --import tsx scripts/stis-longslit-fingerprints.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprintProduct } from "../test/parity/fingerprint.js";
import {
  digests,
  STIS_LONGSLIT_CASE,
  simulateStisLongSlitCase,
  spectrumSample,
  stisLongSlitFingerprintPath,
  stisLongSlitProductsIn,
  stisLongSlitTablesOf,
  tableColumns,
} from "../test/parity/stis-longslit-case.js";

const program = join(process.env.HSTCAL_BIN ?? "", "cs0.e");
if (!process.env.HSTCAL_BIN || !existsSync(program)) {
  console.error("stis-longslit-fingerprints: set HSTCAL_BIN to the folder holding cs0.e");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), `parity-${STIS_LONGSLIT_CASE.name}-`));
try {
  const { input, raws, referenceDir } = simulateStisLongSlitCase(dir);
  const inputs = digests(raws);
  const version = spawnSync(program, ["--version"], { encoding: "utf8" }).stdout.trim();
  const env = { ...process.env, oref: `${referenceDir}/` };
  const run = spawnSync(program, [input], { cwd: dir, encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    console.error(`stis-longslit-fingerprints: cs0.e ${input} exited ${run.status ?? run.signal}`);
    console.error(run.stdout.split("\n").slice(-20).join("\n"));
    process.exit(1);
  }
  const products = stisLongSlitProductsIn(dir).map((f) =>
    fingerprintProduct(join(dir, f), f, STIS_LONGSLIT_CASE.sampleSeed, true, stisLongSlitTablesOf(f)),
  );
  const record = {
    case: STIS_LONGSLIT_CASE.name,
    program: `cs0.e ${version}`,
    hstcal: "spacetelescope/hstcal 5c1c17759397d0c2ee41275bc0254b44277c8b9b",
    command: `oref=<references>/ cs0.e ${input}`,
    simulation: { dataset: STIS_LONGSLIT_CASE.dataset, seed: STIS_LONGSLIT_CASE.seed, spectroscopic: true },
    sampleSeed: STIS_LONGSLIT_CASE.sampleSeed,
    inputs,
    products,
    spectrum: spectrumSample(join(dir, `${STIS_LONGSLIT_CASE.dataset}_sx1.fits`)),
    sx1: tableColumns(join(dir, `${STIS_LONGSLIT_CASE.dataset}_sx1.fits`)),
  };
  writeFileSync(stisLongSlitFingerprintPath, `${JSON.stringify(record)}\n`);
  spawnSync("npx", ["biome", "format", "--write", stisLongSlitFingerprintPath], { stdio: "ignore" });
  console.log(`${STIS_LONGSLIT_CASE.name}: ${products.map((p) => p.file).join(" ")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
