/**
 * The STIS long-slit parity case: a simulated G430L CR-SPLIT exposure with its wavecal (src/sim/stis-longslit.ts)
 * calibrated by cs0.e 3.5.0 through wavecal (cs1 on the _wav, cs7, cs4, cs12), x2d (cs7) and x1d (cs6). The
 * fingerprints hold the _flt/_crj/_sx2 images with their headers (SHIFTA1/SHIFTA2) and the _sx1's SCI table;
 * the record also holds the digests of the raws cs0.e was given, so that a change of the simulator shows.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";

export const STIS_LONGSLIT_CASE = {
  name: "stis-ccd-longslit",
  dataset: "o8ss01010",
  seed: 31,
  sampleSeed: 23,
} as const;

/** The tables fingerprinted in a product: an x1d's spectra. */
export const stisLongSlitTablesOf = (file: string): readonly string[] => (/_s?x1d?\.fits$/.test(file) ? ["SCI"] : []);

export function simulateStisLongSlitCase(dir: string) {
  const { dataset, seed } = STIS_LONGSLIT_CASE;
  const sim = simulateDataset({ dataset, out: dir, spectroscopic: true, seed });
  const raws = [sim.exposures[0].raw, join(dir, `${dataset}_wav.fits`)];
  return { input: basename(raws[0]), raws, referenceDir: sim.referenceDir, truth: sim.truth };
}

export const stisLongSlitFingerprintPath = join(import.meta.dirname, "fingerprints", `${STIS_LONGSLIT_CASE.name}.json`);

/** The products a cs0.e run leaves in `dir` (flt, crj, x2d/sx2, x1d/sx1), sorted. */
export function stisLongSlitProductsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /_(flt|crj|x2d|sx2|x1d|sx1)\.fits$/.test(f))
    .sort();
}

/** File name → sha1 of the raws. */
export function digests(paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(paths.map((p) => [basename(p), createHash("sha1").update(readFileSync(p)).digest("hex")]));
}

/** An x1d's spectrum at every second column: the truth test's sample, recorded beside the fingerprints. */
export interface SpectrumSample {
  columns: number[];
  wavelength: number[];
  flux: number[];
  error: number[];
  dq: number[];
  net: number[];
}

export function spectrumSample(path: string): SpectrumSample {
  const fits = FitsFile.open(path);
  try {
    const table = fits.readTable("SCI");
    const column = (name: string) => table.columns.find((c) => c.name === name)!.data as ArrayLike<number>;
    const columns = Array.from({ length: column("WAVELENGTH").length / 2 }, (_, k) => 2 * k);
    const pick = (name: string) => columns.map((x) => Number(column(name)[x]));
    const [wavelength, flux, error, dq, net] = ["WAVELENGTH", "FLUX", "ERROR", "DQ", "NET"].map(pick);
    return { columns, wavelength, flux, error, dq, net };
  } finally {
    fits.close();
  }
}

/** Every column of an x1d's SCI table `ver`, every value (one row: the arrays whole): the calstis6 parity record. */
export function tableColumns(path: string, ver = 1): Record<string, number[]> {
  const fits = FitsFile.open(path);
  try {
    const table = fits.readTable("SCI", { ver });
    return Object.fromEntries(table.columns.map((c) => [c.name, Array.from(c.data as ArrayLike<number>, Number)]));
  } finally {
    fits.close();
  }
}
