/**
 * (Re)creates test/parity/fingerprints/stis-ccd-longslit.json from hstcal's cs0.e: simulates the long-slit case
 * of test/parity/stis-longslit-case.ts, runs `cs0.e <raw>` on it (the _wav beside it) and records the digests
 * of the raws and the fingerprints of the products (never the products).
 *
 *   HSTCAL_BIN=/path/to/hstcal/pkg/stis node --import tsx scripts/stis-longslit-fingerprints.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rewriteHeaders } from "../src/fits/index.js";
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
import { writeX1dVariantTables, X1D_SWITCHES, X1D_VARIANT } from "../test/parity/stis-longslit-variant.js";

/** The HISTORY lines calstis6 added (from "X1DCORR performed ..."), none when it added none. */
const calstis6History = (lines: string[]) => {
  const at = lines.indexOf("X1DCORR performed ...");
  return at < 0 ? [] : lines.slice(at);
};

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
  // the calstis6 variant: the same raws with other SPTRCTAB and XTRACTAB rows (stis-longslit-variant.ts)
  const variantDir = join(dir, "variant");
  mkdirSync(variantDir);
  const variant = simulateStisLongSlitCase(variantDir);
  const table = (suffix: string) =>
    join(variant.referenceDir, readdirSync(variant.referenceDir).find((n) => n.endsWith(suffix))!);
  writeX1dVariantTables({ sptrctab: table("_1dt.fits"), xtractab: table("_1dx.fits") });
  const variantEnv = { ...process.env, oref: `${variant.referenceDir}/` };
  const variantRun = spawnSync(program, [input], {
    cwd: variantDir,
    encoding: "utf8",
    env: variantEnv,
    maxBuffer: 64 << 20,
  });
  if (variantRun.status !== 0) {
    console.error(`stis-longslit-fingerprints: cs0.e on the ${X1D_VARIANT} variant exited ${variantRun.status}`);
    process.exit(1);
  }
  const variantCrj = fingerprintProduct(join(variantDir, `${STIS_LONGSLIT_CASE.dataset}_crj.fits`), "crj", 1, true);
  const shifts = variantCrj.headers!.find((h) => h.hdu === "SCI,1")!.keywords;
  // the same raw with CRCORR = OMIT: calstis6 on the flt's two imsets into an x1d of two tables
  const fltDir = join(dir, "flt");
  mkdirSync(fltDir);
  simulateStisLongSlitCase(fltDir);
  rewriteHeaders(join(fltDir, input), (header, hdu) => {
    if (hdu.index === 0) header.set("CRCORR", "OMIT");
  });
  const fltRun = spawnSync(program, [input], { cwd: fltDir, encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (fltRun.status !== 0) {
    console.error(`stis-longslit-fingerprints: cs0.e with CRCORR = OMIT exited ${fltRun.status}`);
    process.exit(1);
  }
  const flt = fingerprintProduct(join(fltDir, `${STIS_LONGSLIT_CASE.dataset}_flt.fits`), "flt", 1, true);
  const fltShifts = [1, 2].map((ver) => {
    const k = flt.headers!.find((h) => h.hdu === `SCI,${ver}`)!.keywords;
    return { SHIFTA1: k.SHIFTA1, SHIFTA2: k.SHIFTA2 };
  });
  const x1d = join(fltDir, `${STIS_LONGSLIT_CASE.dataset}_x1d.fits`);
  // each calstis6 switch off in turn: the sx1 columns it changes, its SHIFTA, its primary header and HISTORY
  const main = tableColumns(join(dir, `${STIS_LONGSLIT_CASE.dataset}_sx1.fits`));
  const x1dSwitches = Object.fromEntries(
    X1D_SWITCHES.map((step) => {
      const stepDir = join(dir, step);
      mkdirSync(stepDir);
      simulateStisLongSlitCase(stepDir);
      rewriteHeaders(join(stepDir, input), (header, hdu) => {
        if (hdu.index === 0) header.set(step, "OMIT");
      });
      const stepRun = spawnSync(program, [input], { cwd: stepDir, encoding: "utf8", env, maxBuffer: 64 << 20 });
      if (stepRun.status !== 0) {
        console.error(`stis-longslit-fingerprints: cs0.e with ${step} = OMIT exited ${stepRun.status}`);
        process.exit(1);
      }
      const sx1 = join(stepDir, `${STIS_LONGSLIT_CASE.dataset}_sx1.fits`);
      const columns = tableColumns(sx1);
      const changed = Object.fromEntries(Object.entries(columns).filter(([k, v]) => `${v}` !== `${main[k]}`));
      const crj = fingerprintProduct(join(stepDir, `${STIS_LONGSLIT_CASE.dataset}_crj.fits`), "crj", 1, true);
      const k = crj.headers!.find((h) => h.hdu === "SCI,1")!.keywords;
      const print = fingerprintProduct(sx1, "sx1", 1, true);
      return [
        step,
        {
          shifts: { SHIFTA1: k.SHIFTA1, SHIFTA2: k.SHIFTA2 },
          changed,
          headers: print.headers!.map((h) => ({ ...h, history: calstis6History(h.history) })),
        },
      ];
    }),
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
    x1dVariant: {
      name: X1D_VARIANT,
      shifts: { SHIFTA1: shifts.SHIFTA1, SHIFTA2: shifts.SHIFTA2 },
      sx1: tableColumns(join(variantDir, `${STIS_LONGSLIT_CASE.dataset}_sx1.fits`)),
    },
    x1dFlt: { shifts: fltShifts, x1d: [1, 2].map((ver) => tableColumns(x1d, ver)) },
    x1dSwitches,
  };
  writeFileSync(stisLongSlitFingerprintPath, `${JSON.stringify(record)}\n`);
  spawnSync("npx", ["biome", "format", "--write", stisLongSlitFingerprintPath], { stdio: "ignore" });
  console.log(`${STIS_LONGSLIT_CASE.name}: ${products.map((p) => p.file).join(" ")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
