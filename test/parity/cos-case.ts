/**
 * The COS parity case: a simulated NUV TIME-TAG exposure (src/sim/cos-nuv.ts) calibrated by calcos 3.4.7 and by
 * `caldp calcos`; the fingerprints hold the _corrtag's EVENTS, GTI and TIMELINE tables, the _counts / _flt
 * images and the _x1d's spectra (BOXCAR, background on, FLUXCORR and TDSCORR, HELCORR); calcos finds no _spt file here:
 * TIMELINE's orbital columns are 0 in both.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { FitsFile } from "../../src/fits/index.js";
import { simulateCosFuv } from "../../src/sim/cos-fuv.js";
import { simulateCosNuvAccum } from "../../src/sim/cos-nuv-accum.js";
import { simulateCosNuv } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";

export const COS_CASE = { name: "cos-nuv-timetag", dataset: "lsim01abq", seed: 5, sampleSeed: 19 } as const;
/** The same exposure with TAGFLASH=AUTO lamp flashes: WAVECORR from them, the `_lampflash` too. */
export const COS_TAGFLASH_CASE = { name: "cos-nuv-tagflash", dataset: "lsim02abq", seed: 5, sampleSeed: 23 } as const;
export type CosCase = typeof COS_CASE | typeof COS_TAGFLASH_CASE;
export const COS_TABLES = ["EVENTS", "GTI", "TIMELINE"] as const;

/** The tables fingerprinted in a product: the corrtag's events, the x1d's spectra (its SCI table). */
export const cosTablesOf = (file: string): readonly string[] =>
  /_corrtag(_[ab])?\.fits$/.test(file)
    ? COS_TABLES
    : file.endsWith("_x1d.fits")
      ? ["SCI"]
      : /_lampflash(_[ab])?\.fits$/.test(file)
        ? ["LAMPFLASH"]
        : [];

export function simulateCosCase(dir: string, c: CosCase = COS_CASE): { input: string; referenceDir: string } {
  const tagflash = c.name === COS_TAGFLASH_CASE.name;
  const sim = simulateCosNuv({ dataset: c.dataset, out: dir, seed: c.seed, tagflash });
  return { input: basename(sim.rawtag), referenceDir: sim.referenceDir };
}

/** The NUV ACCUM case: the same point source binned on board into a `_rawaccum` (src/sim/cos-nuv-accum.ts). */
export const COS_ACCUM_CASE = { name: "cos-nuv-accum", dataset: "lsim05acq", seed: 5, sampleSeed: 37 } as const;

export function simulateCosAccumCase(dir: string): { input: string; referenceDir: string } {
  const c = COS_ACCUM_CASE;
  const sim = simulateCosNuvAccum({ dataset: c.dataset, out: dir, seed: c.seed });
  return { input: basename(sim.rawaccum), referenceDir: sim.referenceDir };
}

export const cosFingerprintPath = join(import.meta.dirname, "fingerprints", `${COS_CASE.name}.json`);
export const fingerprintPathOf = (c: { name: string }) => join(import.meta.dirname, "fingerprints", `${c.name}.json`);

/** The products a calcos run leaves in `dir`, sorted. */
export function cosProductsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /_(corrtag|counts|flt|x1d|lampflash)(_[ab])?\.fits$/.test(f))
    .sort();
}

/** The FUV case: a G130M TIME-TAG exposure, segments A and B (src/sim/cos-fuv.ts); calcos is given segment A. */
export const COS_FUV_CASE = { name: "cos-fuv-timetag", dataset: "lsim02fuq", seed: 3, sampleSeed: 23 } as const;

export function simulateCosFuvCase(dir: string): { input: string; referenceDir: string } {
  const sim = simulateCosFuv({ dataset: COS_FUV_CASE.dataset, out: dir, seed: COS_FUV_CASE.seed });
  return { input: basename(sim.rawtags.FUVA), referenceDir: sim.referenceDir };
}

/** The FUV case with distortion and bursts: RANDCORR (RANDSEED set), GEOCORR, DGEOCORR, IGEOCORR, BRSTCORR PERFORM. */
export const COS_FUV_GEO_CASE = { name: "cos-fuv-geometry", dataset: "lsim03fuq", seed: 4, sampleSeed: 29 } as const;

export function simulateCosFuvGeoCase(dir: string): { input: string; referenceDir: string } {
  const c = COS_FUV_GEO_CASE;
  const sim = simulateCosFuv({ dataset: c.dataset, out: dir, seed: c.seed, geometry: true, bursts: true });
  return { input: basename(sim.rawtags.FUVA), referenceDir: sim.referenceDir };
}

/** The FUV case with TAGFLASH=AUTO lamp flashes on both segments: WAVECORR from them, `_lampflash_a/_b` too. */
export const COS_FUV_TAGFLASH_CASE = {
  name: "cos-fuv-tagflash",
  dataset: "lsim04fuq",
  seed: 6,
  sampleSeed: 31,
} as const;

export function simulateCosFuvTagflashCase(dir: string): { input: string; referenceDir: string } {
  const c = COS_FUV_TAGFLASH_CASE;
  const sim = simulateCosFuv({ dataset: c.dataset, out: dir, seed: c.seed, tagflash: true });
  return { input: basename(sim.rawtags.FUVA), referenceDir: sim.referenceDir };
}

/** The FUV case with X1DCORR (BOXCAR), BACKCORR, FLUXCORR, TDSCORR and HELCORR: the `_x1d` with a row per segment. */
export const COS_FUV_X1D_CASE = { name: "cos-fuv-x1d", dataset: "lsim05fuq", seed: 7, sampleSeed: 37 } as const;

export function simulateCosFuvX1dCase(dir: string): { input: string; referenceDir: string } {
  const c = COS_FUV_X1D_CASE;
  const sim = simulateCosFuv({ dataset: c.dataset, out: dir, seed: c.seed, x1d: true });
  return { input: basename(sim.rawtags.FUVA), referenceDir: sim.referenceDir };
}

/** The FUV x1d case with TAGFLASH lamp flashes: WAVECORR COMPLETE, so DPIXEL1x moves the wavelengths. */
export const COS_FUV_X1D_FLASH_CASE = {
  name: "cos-fuv-x1d-tagflash",
  dataset: "lsim07fuq",
  seed: 5,
  sampleSeed: 41,
} as const;

export function simulateCosFuvX1dFlashCase(dir: string): { input: string; referenceDir: string } {
  const c = COS_FUV_X1D_FLASH_CASE;
  const sim = simulateCosFuv({ dataset: c.dataset, out: dir, seed: c.seed, x1d: true, tagflash: true });
  return { input: basename(sim.rawtags.FUVA), referenceDir: sim.referenceDir };
}

const SHIFT_KEYWORDS = ["SHIFT1", "SHIFT2", "DPIXEL1", "CHI_SQ_", "NDF_", "SP_LOC_", "SP_ERR_", "NOUT_"].flatMap((k) =>
  ["A", "B"].map((s) => `${k}${s}`),
);
const FLASH_KEYWORDS = ["NUMFLASH", "LMP_ON1", "LMPOFF1", "LMPMED1", "LMP_ON2", "LMPOFF2", "LMPMED2"];

/** The WAVECORR keywords of an FUV TAGFLASH product: its table's (EVENTS or LAMPFLASH) and primary's. */
export function wavecorrKeywords(path: string): Record<string, string | number | boolean | null> {
  const fits = FitsFile.open(path);
  try {
    const out: Record<string, string | number | boolean | null> = {};
    const table = fits.hdus[1].header;
    for (const k of [...SHIFT_KEYWORDS, ...FLASH_KEYWORDS, "EXPTIME", "NEVENTS"])
      if (table.has(k)) out[k] = table.get(k) as string | number | boolean | null;
    for (const k of ["WAVECORR", "WAVECALS", "LAMPUSED", "SEGMENT"])
      out[`PRIMARY.${k}`] = String(fits.hdus[0].header.get(k) ?? "").trim();
    return out;
  } finally {
    fits.close();
  }
}

const ACCUM_KEYWORDS = ["SHIFT1", "SHIFT2", "DPIXEL1"].flatMap((k) => ["A", "B", "C"].map((s) => `${k}${s}`));
const ACCUM_SWITCHES = ["OBSMODE", "DEADCORR", "FLATCORR", "DOPPCORR", "DQICORR", "WAVECORR", "X1DCORR", "HELCORR"];

/** The ACCUM keywords of a product: its first extension's shifts, DEADCORR and rate results, the primary's switches. */
export function accumKeywords(path: string): Record<string, string | number | boolean | null> {
  const fits = FitsFile.open(path);
  try {
    const out: Record<string, string | number | boolean | null> = {};
    const h = fits.hdus[1].header;
    for (const k of [...ACCUM_KEYWORDS, "DEADRT", "DEADMT", "LIVETM", "GLOBRATE", "EXPTIME"])
      if (h.has(k)) out[k] = h.get(k) as string | number | boolean | null;
    for (const k of ACCUM_SWITCHES) out[`PRIMARY.${k}`] = String(fits.hdus[0].header.get(k) ?? "").trim();
    return out;
  } finally {
    fits.close();
  }
}

const EXTRACTION_KEY = /^(SP_(LOC|OFF|ERR|NOM|SLP|HGT)|B_(BKG|HGT)[12])_[AB]$/;

/** Per HDU of a product: NEXTEND, EXTNAME, EXTVER, BUNIT, SEGMENT and the extraction keywords calcos writes. */
export function structureKeywords(path: string): Record<string, string | number | boolean | null>[] {
  const fits = FitsFile.open(path);
  try {
    return fits.hdus.map((hdu) => {
      const out: Record<string, string | number | boolean | null> = {};
      for (const card of hdu.header.cards) {
        const k = card.keyword;
        if (["NEXTEND", "EXTNAME", "EXTVER", "BUNIT", "SEGMENT"].includes(k) || EXTRACTION_KEY.test(k)) {
          out[k] = typeof card.value === "string" ? card.value.trim() : (card.value as number | boolean | null);
        }
      }
      return out;
    });
  } finally {
    fits.close();
  }
}

export const cosFuvFingerprintPath = join(import.meta.dirname, "fingerprints", `${COS_FUV_CASE.name}.json`);

/** The recorded fingerprints of a case (scripts/cos-parity-fingerprints.ts). */
export interface CosRecord {
  program: string;
  sampleSeed: number;
  products: ProductPrint[];
}

export const readCosRecord = (path: string): CosRecord => JSON.parse(readFileSync(path, "utf8"));

/**
 * `caldp calcos --outdir out` in `dir` on a simulated case (exit status 0) and the products it wrote, which must
 * be the recorded ones: returns the output folder and how our fingerprints differ from the recorded ones (with
 * `samePositions`, the sampled pixels are asserted the same first).
 */
export async function calcosAgainstRecord(
  dir: string,
  simulated: { input: string; referenceDir: string },
  recorded: CosRecord,
  samePositions = true,
): Promise<{ out: string; differences: string[] }> {
  const run = await runCliAsync("caldp", ["calcos", "--outdir", "out", simulated.input], {
    cwd: dir,
    env: { lref: `${simulated.referenceDir}/` },
  });
  assert.equal(run.status, 0, run.stderr);
  const out = join(dir, "out");
  assert.deepEqual(
    cosProductsIn(out),
    recorded.products.map((p) => p.file),
  );
  const differences = recorded.products.flatMap((theirs) => {
    const tables = cosTablesOf(theirs.file);
    const ours = fingerprintProduct(join(out, theirs.file), theirs.file, recorded.sampleSeed, false, tables);
    if (samePositions) {
      assert.deepEqual(ours.samplePositions, theirs.samplePositions, `${theirs.file}: the same sampled pixels`);
    }
    return compareProducts(ours, theirs).map(describe);
  });
  return { out, differences };
}
