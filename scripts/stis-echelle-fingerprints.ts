/**
 * (Re)creates test/parity/fingerprints/stis-fuv-mama-echelle.json from hstcal's cs0.e: simulates the echelle case
 * (test/parity/stis-echelle-case.ts), runs `cs0.e <raw>` on it (the _wav beside it) and records the digests of the
 * raws, the fingerprints of the flt, x2d (one imset per order) and x1d (one row per order), the x1d's column prints
 * and every order's spectrum sample; then runs cs0.e again with X1DCORR = OMIT and records that flt and x2d
 * (never the products).
 *
 *   HSTCAL_BIN=/path/to/hstcal/pkg/stis node --import tsx scripts/stis-echelle-fingerprints.ts
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { columnsPrint } from "../test/parity/column-print.js";
import { fingerprintProduct } from "../test/parity/fingerprint.js";
import {
  STIS_ECHELLE_CASE as CASE,
  echelleSample,
  omitX1d,
  simulateStisEchelleCase,
  stisEchelleFingerprintPath,
} from "../test/parity/stis-echelle-case.js";
import {
  digests,
  stisLongSlitProductsIn,
  stisLongSlitTablesOf,
  tableColumns,
} from "../test/parity/stis-longslit-case.js";

const program = join(process.env.HSTCAL_BIN ?? "", "cs0.e");
if (!process.env.HSTCAL_BIN || !existsSync(program)) {
  console.error("stis-echelle-fingerprints: set HSTCAL_BIN to the folder holding cs0.e");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), `parity-${CASE.name}-`));
try {
  const { input, raws, referenceDir } = simulateStisEchelleCase(dir);
  const inputs = digests(raws);
  const version = spawnSync(program, ["--version"], { encoding: "utf8" }).stdout.trim();
  const env = { ...process.env, oref: `${referenceDir}/` };
  const run = spawnSync(program, [input], { cwd: dir, encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    console.error(`stis-echelle-fingerprints: cs0.e ${input} exited ${run.status ?? run.signal}`);
    console.error(run.stdout.split("\n").slice(-20).join("\n"));
    process.exit(1);
  }
  const products = stisLongSlitProductsIn(dir).map((f) =>
    fingerprintProduct(join(dir, f), f, CASE.sampleSeed, true, stisLongSlitTablesOf(f)),
  );
  const x1d = join(dir, `${CASE.dataset}_x1d.fits`);
  // the second run: X1DCORR = OMIT, the flt with the wavecal's shifts and the x2d
  const only = join(dir, "without-x1d");
  mkdirSync(only);
  for (const raw of raws) copyFileSync(raw, join(only, basename(raw)));
  omitX1d(join(only, input));
  const second = spawnSync(program, [input], { cwd: only, encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (second.status !== 0) {
    console.error(`stis-echelle-fingerprints: cs0.e ${input} (X1DCORR OMIT) exited ${second.status}`);
    process.exit(1);
  }
  const withoutX1d = {
    inputs: digests([join(only, input)]),
    products: stisLongSlitProductsIn(only).map((f) => fingerprintProduct(join(only, f), f, CASE.sampleSeed, true)),
  };
  const record = {
    case: CASE.name,
    program: `cs0.e ${version}`,
    hstcal: "spacetelescope/hstcal 5c1c17759397d0c2ee41275bc0254b44277c8b9b",
    command: `oref=<references>/ cs0.e ${input}`,
    simulation: { dataset: CASE.dataset, seed: CASE.seed, detector: "FUV-MAMA", spectroscopic: true, echelle: true },
    sampleSeed: CASE.sampleSeed,
    inputs,
    products,
    x1d: columnsPrint(tableColumns(x1d), CASE.sampleSeed),
    spectrum: echelleSample(x1d),
    withoutX1d,
  };
  writeFileSync(stisEchelleFingerprintPath, `${JSON.stringify(record)}\n`);
  spawnSync("npx", ["biome", "format", "--write", stisEchelleFingerprintPath], { stdio: "ignore" });
  console.log(`${CASE.name}: ${products.map((p) => p.file).join(" ")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
