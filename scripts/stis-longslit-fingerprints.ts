/**
 * (Re)creates test/parity/fingerprints/stis-ccd-longslit*.json from hstcal's cs0.e: simulates each long-slit
 * case of test/parity/stis-longslit-case.ts (the CR-SPLIT and the single exposure), runs `cs0.e <raw>` on it
 * (the _wav beside it) and records the digests of the raws and the fingerprints of the products (never the
 * products; for the CR-SPLIT also calstis6's records, scripts/stis-longslit-x1d-extras.ts). Name cases to
 * record only those.
 *
 *   HSTCAL_BIN=/path/to/hstcal/pkg/stis node --import tsx scripts/stis-longslit-fingerprints.ts [CASE...]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprintProduct } from "../test/parity/fingerprint.js";
import {
  digests,
  fingerprintPathOf,
  type LongSlitCase,
  STIS_LONGSLIT_CASE,
  STIS_LONGSLIT_OFFAXIS_CASE,
  STIS_LONGSLIT_SIDE2_CASE,
  STIS_LONGSLIT_SINGLE_CASE,
  simulateStisLongSlitCase,
  spectrumSample,
  stisLongSlitProductsIn,
  stisLongSlitTablesOf,
} from "../test/parity/stis-longslit-case.js";
import { x1dRecords } from "./stis-longslit-x1d-extras.js";

const program = join(process.env.HSTCAL_BIN ?? "", "cs0.e");
if (!process.env.HSTCAL_BIN || !existsSync(program)) {
  console.error("stis-longslit-fingerprints: set HSTCAL_BIN to the folder holding cs0.e");
  process.exit(2);
}
function record(c: LongSlitCase): void {
  const dir = mkdtempSync(join(tmpdir(), `parity-${c.name}-`));
  try {
    const { input, raws, referenceDir } = simulateStisLongSlitCase(dir, c);
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
      fingerprintProduct(join(dir, f), f, c.sampleSeed, true, stisLongSlitTablesOf(f)),
    );
    const x1d = products.map((p) => p.file).find((f) => /_s?x1d?\.fits$/.test(f))!;
    const record = {
      case: c.name,
      program: `cs0.e ${version}`,
      hstcal: "spacetelescope/hstcal 5c1c17759397d0c2ee41275bc0254b44277c8b9b",
      command: `oref=<references>/ cs0.e ${input}`,
      simulation: { dataset: c.dataset, seed: c.seed, spectroscopic: true, edited: !!c.edit },
      sampleSeed: c.sampleSeed,
      inputs,
      products,
      spectrum: spectrumSample(join(dir, x1d)),
      ...(c === STIS_LONGSLIT_CASE ? x1dRecords(program, dir, input) : {}),
    };
    const path = fingerprintPathOf(c);
    writeFileSync(path, `${JSON.stringify(record)}\n`);
    spawnSync("npx", ["biome", "format", "--write", path], { stdio: "ignore" });
    console.log(`${c.name}: ${products.map((p) => p.file).join(" ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases = [STIS_LONGSLIT_CASE, STIS_LONGSLIT_SINGLE_CASE, STIS_LONGSLIT_OFFAXIS_CASE, STIS_LONGSLIT_SIDE2_CASE];
const wanted = process.argv.slice(2);
for (const c of cases) if (wanted.length === 0 || wanted.includes(c.name)) record(c);
