/**
 * (Re)creates test/parity/fingerprints/cos-nuv-timetag.json from STScI's calcos: simulates the COS case of
 * test/parity/cos-case.ts, runs `calcos -o out <rawtag>` on it and records the fingerprints of its products
 * (EVENTS and GTI of the _corrtag, SCI/ERR/DQ of _counts and _flt; never the products). calcos is installed
 * outside the repository (docs/stack.md §9).
 *
 *   CALCOS=/path/to/venv/bin/calcos node --import tsx scripts/cos-parity-fingerprints.ts [--tagflash | fuv]
 *
 * --tagflash: the case with TAGFLASH lamp flashes (cos-nuv-tagflash.json, the _lampflash's table too);
 * `fuv`: the FUV G130M case, segments A and B (cos-fuv-timetag.json); `fuv-geometry`: the same with RANDCORR,
 * GEOCORR, DGEOCORR and IGEOCORR (cos-fuv-geometry.json); `fuv-tagflash`: the FUV case with TAGFLASH lamp flashes
 * (cos-fuv-tagflash.json, the _lampflash_a/_b tables too); `accum`: the NUV ACCUM case (cos-nuv-accum.json); `fuv-x1d`: the FUV case with X1DCORR BOXCAR, FLUXCORR,
 * TDSCORR and HELCORR (cos-fuv-x1d.json, the _x1d's table and every product's structure and extraction keywords); `fuv-x1d-tagflash`:
 * the same with TAGFLASH lamp flashes (cos-fuv-x1d-tagflash.json).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  accumKeywords,
  COS_ACCUM_CASE,
  COS_CASE,
  COS_FUV_CASE,
  COS_FUV_GEO_CASE,
  COS_FUV_TAGFLASH_CASE,
  COS_FUV_X1D_CASE,
  COS_FUV_X1D_FLASH_CASE,
  COS_TAGFLASH_CASE,
  type CosCase,
  cosProductsIn,
  cosTablesOf,
  fingerprintPathOf,
  simulateCosAccumCase,
  simulateCosCase,
  simulateCosFuvCase,
  simulateCosFuvGeoCase,
  simulateCosFuvTagflashCase,
  simulateCosFuvX1dCase,
  simulateCosFuvX1dFlashCase,
  structureKeywords,
  wavecorrKeywords,
} from "../test/parity/cos-case.js";
import { fingerprintProduct } from "../test/parity/fingerprint.js";

const calcos = process.env.CALCOS;
if (!calcos) {
  console.error("cos-parity-fingerprints: set CALCOS to the calcos command (e.g. <venv>/bin/calcos)");
  process.exit(2);
}
const geometry = process.argv.includes("fuv-geometry");
const fuvFlash = process.argv.includes("fuv-tagflash");
const fuvX1dFlash = process.argv.includes("fuv-x1d-tagflash");
const fuvX1d = fuvX1dFlash || process.argv.includes("fuv-x1d");
const fuv = geometry || process.argv.includes("fuv");
const accum = process.argv.includes("accum");
const CASE = accum
  ? COS_ACCUM_CASE
  : fuvX1dFlash
    ? COS_FUV_X1D_FLASH_CASE
    : fuvX1d
      ? COS_FUV_X1D_CASE
      : fuvFlash
        ? COS_FUV_TAGFLASH_CASE
        : geometry
          ? COS_FUV_GEO_CASE
          : fuv
            ? COS_FUV_CASE
            : process.argv.includes("--tagflash")
              ? COS_TAGFLASH_CASE
              : COS_CASE;
const dir = mkdtempSync(join(tmpdir(), `parity-${CASE.name}-`));
try {
  const { input, referenceDir } = accum
    ? simulateCosAccumCase(dir)
    : fuvX1dFlash
      ? simulateCosFuvX1dFlashCase(dir)
      : fuvX1d
        ? simulateCosFuvX1dCase(dir)
        : fuvFlash
          ? simulateCosFuvTagflashCase(dir)
          : geometry
            ? simulateCosFuvGeoCase(dir)
            : fuv
              ? simulateCosFuvCase(dir)
              : simulateCosCase(dir, CASE as CosCase);
  const env = { ...process.env, lref: `${referenceDir}/` };
  const python = spawnSync(calcos, ["--version"], { encoding: "utf8", env });
  const run = spawnSync(calcos, ["-o", "out", input], { cwd: dir, encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    console.error(`cos-parity-fingerprints: calcos ${input} exited ${run.status ?? run.signal}`);
    console.error(`${run.stdout}\n${run.stderr}`.split("\n").slice(-20).join("\n"));
    process.exit(1);
  }
  const out = join(dir, "out");
  const products = cosProductsIn(out).map((f) =>
    fingerprintProduct(join(out, f), f, CASE.sampleSeed, false, cosTablesOf(f)),
  );
  const record = {
    case: CASE.name,
    program: `calcos ${python.stdout.trim() || "3.4.7"}`,
    calcos: "spacetelescope/calcos 3.4.7 (numpy 1.24.2, astropy 5.2.1, Debian bookworm)",
    command: `lref=<references>/ calcos -o out ${input}`,
    simulation: { dataset: CASE.dataset, seed: CASE.seed },
    sampleSeed: CASE.sampleSeed,
    products,
    ...(fuvFlash
      ? {
          keywords: Object.fromEntries(
            cosProductsIn(out)
              .filter((f) => /_(corrtag_[ab]|lampflash)\.fits$/.test(f))
              .map((f) => [f, wavecorrKeywords(join(out, f))]),
          ),
        }
      : accum
        ? { keywords: Object.fromEntries(cosProductsIn(out).map((f) => [f, accumKeywords(join(out, f))])) }
        : {}),
    ...(fuvX1d
      ? { headers: Object.fromEntries(cosProductsIn(out).map((f) => [f, structureKeywords(join(out, f))])) }
      : {}),
  };
  writeFileSync(fingerprintPathOf(CASE), `${JSON.stringify(record)}\n`);
  spawnSync("npx", ["biome", "format", "--write", fingerprintPathOf(CASE)], { stdio: "ignore" });
  console.log(`${CASE.name}: ${products.map((p) => p.file).join(" ")}`);
} finally {
  if (process.env.KEEP_PARITY_DIR) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
