/**
 * The STIS echelle parity case: a simulated FUV-MAMA E140M ACCUM exposure with its wavecal (src/sim/stis-echelle.ts)
 * calibrated by cs0.e 3.5.0 through calstis1 (MAMA), cs4's echelle wavecal on the wavecal's flt (2-D cross-correlation
 * with a template built from the LAMPTAB, DISPTAB and SPTRCTAB), cs12, cs7 into an _x2d of one imset per order and
 * cs6 into an _x1d of one row per SPORDER. The record (fingerprints/stis-fuv-mama-echelle.json) holds the digests of
 * the raws, the products' fingerprints, the x1d's column prints and a sample of every order's spectrum, and the
 * fingerprints of the flt and x2d of a second run with X1DCORR = OMIT (`withoutX1d`).
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import * as E140M from "../../src/sim/stis-echelle-model.js";

export const STIS_ECHELLE_CASE = { name: "stis-fuv-mama-echelle", dataset: "oe1401abq", seed: 11, sampleSeed: 41 };

export function simulateStisEchelleCase(dir: string) {
  const { dataset, seed } = STIS_ECHELLE_CASE;
  const sim = simulateDataset({ dataset, out: dir, detector: "FUV-MAMA", spectroscopic: true, echelle: true, seed });
  const raws = [sim.exposures[0].raw, join(dir, `${dataset}_wav.fits`)];
  return { input: basename(raws[0]), raws, referenceDir: sim.referenceDir, truth: sim.truth };
}

/** The science raw with X1DCORR = OMIT: what the native calstis does of an echelle (WAVECORR, X2DCORR). */
export function omitX1d(raw: string): void {
  rewriteHeaders(raw, (header, hdu) => {
    if (hdu.index === 0) header.set("X1DCORR", "OMIT");
  });
}

export const stisEchelleFingerprintPath = join(import.meta.dirname, "fingerprints", `${STIS_ECHELLE_CASE.name}.json`);

/** One order of an x1d at every fourth column. */
export interface OrderSample {
  sporder: number;
  columns: number[];
  wavelength: number[];
  flux: number[];
  error: number[];
  dq: number[];
}

export function echelleSample(path: string): OrderSample[] {
  const fits = FitsFile.open(path);
  try {
    const table = fits.readTable("SCI");
    const column = (name: string) => table.columns.find((c) => c.name === name)!.data as ArrayLike<number>;
    const orders = Array.from(column("SPORDER"), Number);
    const n = column("WAVELENGTH").length / orders.length;
    const columns = Array.from({ length: n / 4 }, (_, k) => 4 * k);
    return orders.map((sporder, row) => {
      const pick = (name: string) => columns.map((x) => Number(column(name)[row * n + x]));
      const [wavelength, flux, error, dq] = ["WAVELENGTH", "FLUX", "ERROR", "DQ"].map(pick);
      return { sporder, columns, wavelength, flux, error, dq };
    });
  } finally {
    fits.close();
  }
}

/**
 * cs0.e's x1d against the simulated spectrum, order by order: every sampled wavelength within 0.1 pixel of the
 * simulated one (heliocentric in the x1d: observed = heliocentric / (1 − V_HELIO/c)), and the good columns' FLUX
 * within its ERROR (χ²/n < 1.5, > 60 % within 1σ, > 90 % within 2σ, over more than 200 columns of each order).
 */
export function assertEchelleIsTruth(samples: OrderSample[], vHelio: number): void {
  assert.deepEqual(
    samples.map((s) => s.sporder),
    [...E140M.ORDERS],
  );
  for (const { sporder, columns, wavelength, flux, error, dq } of samples) {
    const z: number[] = [];
    columns.forEach((x, k) => {
      const observed = wavelength[k]! / (1 - vHelio / 299792.458);
      const simulated = E140M.wavelengthAt(sporder, x - E140M.SHIFT_A1);
      const pixels = (observed - simulated) / E140M.dispersionAt(sporder);
      assert.ok(Math.abs(pixels) < 0.1, `order ${sporder} column ${x}: ${observed} Å, simulated ${simulated} Å`);
      if (dq[k] === 0 && error[k]! > 0) z.push((flux[k]! - E140M.sourceFlux(observed)) / error[k]!);
    });
    const share = (limit: number) => z.filter((v) => Math.abs(v) < limit).length / z.length;
    const chi2 = z.reduce((a, v) => a + v * v, 0) / z.length;
    const where = `order ${sporder}: ${z.length} columns, χ²/n ${chi2}, ${share(1)} within 1σ, ${share(2)} within 2σ`;
    assert.ok(z.length > 200 && chi2 < 1.5 && share(1) > 0.6 && share(2) > 0.9, where);
  }
}
