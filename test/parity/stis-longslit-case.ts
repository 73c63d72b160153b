/**
 * The STIS long-slit parity case: a simulated G430L CR-SPLIT exposure with its wavecal (src/sim/stis-longslit.ts)
 * calibrated by cs0.e 3.5.0 through wavecal (cs1 on the _wav, cs7, cs4, cs12), x2d (cs7) and x1d (cs6). The
 * fingerprints hold the _flt/_crj/_sx2 images with their headers (SHIFTA1/SHIFTA2) and the _sx1's SCI table;
 * the record also holds the digests of the raws cs0.e was given, so that a change of the simulator shows.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import type { ProductPrint } from "./fingerprint.js";

export interface LongSlitCase {
  name: string;
  dataset: string;
  seed: number;
  sampleSeed: number;
  /** Python (astropy) that edits the simulated raws in `dir` and reference tables in `refs` before the run. */
  edit?: string;
}

export const STIS_LONGSLIT_CASE: LongSlitCase = {
  name: "stis-ccd-longslit",
  dataset: "o8ss01010",
  seed: 31,
  sampleSeed: 23,
};
/** A single exposure (no CR-SPLIT): cs0.e's flt → x2d and x1d. */
export const STIS_LONGSLIT_SINGLE_CASE: LongSlitCase = {
  name: "stis-ccd-longslit-single",
  dataset: "o8ss01abq",
  seed: 3,
  sampleSeed: 23,
};

/**
 * The CR-SPLIT case on a slit off the dispersion's reference aperture and tilted: APDESTAB ANGLE 0.6° and
 * OFFSET2 0.5″ for 52X0.2, the DISPTAB measured through a 52X2 0.3″ away (incidence-angle terms), and a trace
 * that rotates 0.02°/yr; the wavecal shifts and the rectification follow all three.
 */
export const STIS_LONGSLIT_OFFAXIS_CASE: LongSlitCase = {
  ...STIS_LONGSLIT_CASE,
  name: "stis-ccd-longslit-offaxis",
  edit: `
from astropy.io import fits
import glob, os
def one(suffix): return glob.glob(os.path.join(refs, '*_' + suffix + '.fits'))[0]
apd = one('apd')
with fits.open(apd) as f:
    t = f[1]
    new = fits.BinTableHDU.from_columns(t.columns, nrows=2, header=t.header)
    for c in t.columns.names:
        new.data[c][:] = t.data[c][0]
    new.data['ANGLE'][0] = 0.6
    new.data['OFFSET2'][0] = 0.5
    new.data['APERTURE'][1] = '52X2'
    new.data['OFFSET1'][1] = 0.3
    new.data['WIDTH1'][1] = 2.0
    fits.HDUList([f[0].copy(), new]).writeto(apd, overwrite=True)
with fits.open(one('dsp'), mode='update') as f:
    f[1].data['REF_APER'][:] = '52X2'
with fits.open(one('iac'), mode='update') as f:
    f[1].data['COEFF1'][0][:2] = [1.5, 0.0005]
    f[1].data['COEFF2'][0][:2] = [0.2, 0.01]
with fits.open(one('1dt'), mode='update') as f:
    f[1].data['DEGPERYR'][:] = 0.02
`,
};

/**
 * The CR-SPLIT case on side 2 of the CCD (dates moved 2000 days on, OCCDHTAV 21.5 °C) with a TDSTAB whose
 * sensitivity depends on temperature (REFTEMP 18 °C, TEMPSENS 0.4 %/°C): calstis7's FLUXCORR applies it.
 */
export const STIS_LONGSLIT_SIDE2_CASE: LongSlitCase = {
  ...STIS_LONGSLIT_CASE,
  name: "stis-ccd-longslit-side2",
  edit: `
from astropy.io import fits
import glob, os
with fits.open(glob.glob(os.path.join(refs, '*_tds.fits'))[0], mode='update') as f:
    f[1].data['REFTEMP'][:] = 18.0
    f[1].data['TEMPSENS'][0][:] = 0.004
for name in glob.glob(os.path.join(dir, '*_raw.fits')) + glob.glob(os.path.join(dir, '*_wav.fits')):
    with fits.open(name, mode='update') as f:
        for k in ['TEXPSTRT', 'TEXPEND']:
            if k in f[0].header:
                f[0].header[k] += 2000
        for h in f[1:]:
            if h.header.get('EXTNAME') == 'SCI':
                h.header['EXPSTART'] += 2000
                h.header['EXPEND'] += 2000
                h.header['OCCDHTAV'] = 21.5
`,
};

/** The tables fingerprinted in a product: an x1d's spectra. */
export const stisLongSlitTablesOf = (file: string): readonly string[] => (/_s?x1d?\.fits$/.test(file) ? ["SCI"] : []);

export function simulateStisLongSlitCase(dir: string, c: LongSlitCase = STIS_LONGSLIT_CASE) {
  const { dataset, seed } = c;
  const sim = simulateDataset({ dataset, out: dir, spectroscopic: true, seed });
  if (c.edit) {
    const code = `refs = ${JSON.stringify(sim.referenceDir)}\ndir = ${JSON.stringify(dir)}\n${c.edit}`;
    execFileSync("/usr/bin/python3", ["-c", code]);
  }
  const raws = [sim.exposures[0].raw, join(dir, `${dataset}_wav.fits`)];
  return { input: basename(raws[0]), raws, referenceDir: sim.referenceDir, truth: sim.truth };
}

export const fingerprintPathOf = (c: LongSlitCase) => join(import.meta.dirname, "fingerprints", `${c.name}.json`);
export const stisLongSlitFingerprintPath = fingerprintPathOf(STIS_LONGSLIT_CASE);

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

/** The simulated mode's wavelength scale, offset and flux: what an x1d is checked against. */
export interface SpectrumTruth {
  SHIFT_A1: number;
  wavelengthAt(pixel: number): number;
  dispersionAt(wavelength: number): number;
  sourceFlux(wavelength: number): number;
}

/**
 * cs0.e's x1d/sx1 against the simulated spectrum: every sampled wavelength within 0.1 pixel (the x1d's are
 * heliocentric: observed = heliocentric / (1 − V_HELIO/c), calstis heliofactor.c), and the good columns' FLUX
 * within its ERROR (χ²/n < 1.5, > 60 % within 1σ, > 90 % within 2σ, over more than 450 columns).
 */
export function assertSpectrumIsTruth(sample: SpectrumSample, vHelio: number, truth: SpectrumTruth): void {
  const { columns, wavelength, flux, error, dq } = sample;
  const z: number[] = [];
  columns.forEach((x, k) => {
    const observed = wavelength[k] / (1 - vHelio / 299792.458);
    const simulated = truth.wavelengthAt(x - truth.SHIFT_A1);
    const pixels = (observed - simulated) / truth.dispersionAt(simulated);
    assert.ok(Math.abs(pixels) < 0.1, `column ${x}: ${observed} Å, simulated ${simulated} Å (${pixels} px)`);
    if (dq[k] === 0 && error[k] > 0) z.push((flux[k] - truth.sourceFlux(observed)) / error[k]);
  });
  const share = (limit: number) => z.filter((v) => Math.abs(v) < limit).length / z.length;
  const chi2 = z.reduce((a, v) => a + v * v, 0) / z.length;
  assert.ok(z.length > 450, `${z.length} good columns`);
  assert.ok(
    chi2 < 1.5 && share(1) > 0.6 && share(2) > 0.9,
    `χ²/n ${chi2}, ${share(1)} within 1σ, ${share(2)} within 2σ`,
  );
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

/**
 * SCI/ERR samples of `ours` beyond 1e-4 relative of `theirs`, values under 1e-6 of the extension's largest
 * compared at that level (`floorFraction`, default 1e-6): compareProducts reads values under 1 absolutely, and an sx2 is
 * ~1e-15 erg/s/cm²/Å/arcsec².
 */
export function relativeMisses(ours: ProductPrint, theirs: ProductPrint, floorFraction = 1e-6): string[] {
  return theirs.extensions
    .filter((t) => t.extname !== "DQ")
    .flatMap((t) => {
      const o = ours.extensions.find((e) => e.extname === t.extname && e.extver === t.extver)!;
      const floor = floorFraction * Math.max(Math.abs(t.stats!.min), Math.abs(t.stats!.max));
      const stats = (["mean", "std", "min", "max"] as const)
        .filter((k) => Math.abs(o.stats![k] - t.stats![k]) > 1e-4 * Math.abs(t.stats![k]))
        .map((k) => `${t.extname},${t.extver} ${k}: ${o.stats![k]}, theirs ${t.stats![k]}`);
      const samples = t.samples
        .map((v, i) => [v, o.samples[i]])
        .filter(([v, mine]) => Math.abs(mine - v) > 1e-4 * Math.max(Math.abs(v), floor))
        .map(([v, mine]) => `${t.extname},${t.extver}: ${mine}, theirs ${v}`);
      return [...stats, ...samples];
    });
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
