/**
 * The STIS MAMA long-slit parity case: a simulated FUV-MAMA G140L ACCUM exposure with its wavecal
 * (src/sim/stis-mama-longslit.ts) calibrated by cs0.e 3.5.0 through calstis1 (MAMA), the wavecal chain (cs1 on
 * the MAMA _wav, cs7, cs4, cs12), cs7 into _x2d and cs6 into _x1d (geocoronal Lyα and O I windows, the MAMA's
 * background polynomial, no Q factor). The record (fingerprints/stis-fuv-mama-longslit.json) holds the digests
 * of the raws, the products' fingerprints, the x1d's column prints and a sample of its spectrum.
 */
import { basename, join } from "node:path";
import { simulateDataset } from "../../src/sim/index.js";

export const STIS_MAMA_LONGSLIT_CASE = {
  name: "stis-fuv-mama-longslit",
  dataset: "obmm01abq",
  seed: 7,
  sampleSeed: 29,
};

export function simulateStisMamaLongSlitCase(dir: string) {
  const { dataset, seed } = STIS_MAMA_LONGSLIT_CASE;
  const sim = simulateDataset({ dataset, out: dir, detector: "FUV-MAMA", spectroscopic: true, seed });
  const raws = [sim.exposures[0].raw, join(dir, `${dataset}_wav.fits`)];
  return { input: basename(raws[0]), raws, referenceDir: sim.referenceDir, truth: sim.truth };
}

export const stisMamaLongSlitFingerprintPath = join(
  import.meta.dirname,
  "fingerprints",
  `${STIS_MAMA_LONGSLIT_CASE.name}.json`,
);
