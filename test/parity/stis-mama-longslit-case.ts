/**
 * The STIS MAMA long-slit parity cases: a simulated FUV-MAMA G140L (or NUV-MAMA G230L) ACCUM exposure with its
 * wavecal (src/sim/stis-mama-longslit.ts) calibrated by cs0.e 3.5.0 through calstis1 (MAMA; the NUV's dark
 * scaled by its TDCTAB), the wavecal chain (cs1 on the MAMA _wav, cs7, cs4, cs12), cs7 into _x2d and cs6 into
 * _x1d (the MAMA's background polynomial, no Q factor). The records (fingerprints/stis-fuv-mama-longslit.json,
 * stis-nuv-mama-longslit.json) hold the digests of the raws, the products' fingerprints, the x1d's column prints
 * and a sample of its spectrum.
 */
import { basename, join } from "node:path";
import { simulateDataset } from "../../src/sim/index.js";

/** The cases: G140L, G230L, and G140L with DOPPCORR = PERFORM (the dark, flat and BPIXTAB smeared). */
export const MAMA_LONGSLIT_CASES = {
  "FUV-MAMA": { name: "stis-fuv-mama-longslit", dataset: "obmm01abq", seed: 7, sampleSeed: 29 },
  "NUV-MAMA": { name: "stis-nuv-mama-longslit", dataset: "obnn01abq", seed: 7, sampleSeed: 31 },
  "FUV-MAMA-DOPPCORR": { name: "stis-fuv-mama-doppcorr", dataset: "obmm02abq", seed: 7, sampleSeed: 37 },
} as const;
export type MamaLongSlitCase = keyof typeof MAMA_LONGSLIT_CASES;
/** Kept for the callers that name a case by its detector. */
export type MamaLongSlitDetector = MamaLongSlitCase;
export const caseDetector = (c: MamaLongSlitCase) => (c === "NUV-MAMA" ? "NUV-MAMA" : "FUV-MAMA");

export const STIS_MAMA_LONGSLIT_CASE = MAMA_LONGSLIT_CASES["FUV-MAMA"];

export function simulateStisMamaLongSlitCase(dir: string, detector: MamaLongSlitDetector = "FUV-MAMA") {
  const { dataset, seed } = MAMA_LONGSLIT_CASES[detector];
  const doppcorr = detector === "FUV-MAMA-DOPPCORR";
  const sim = simulateDataset({
    dataset,
    out: dir,
    detector: caseDetector(detector),
    spectroscopic: true,
    seed,
    doppcorr,
  });
  const raws = [sim.exposures[0].raw, join(dir, `${dataset}_wav.fits`)];
  return { input: basename(raws[0]), raws, referenceDir: sim.referenceDir, truth: sim.truth };
}

export const mamaLongSlitFingerprintPath = (detector: MamaLongSlitDetector) =>
  join(import.meta.dirname, "fingerprints", `${MAMA_LONGSLIT_CASES[detector].name}.json`);
export const stisMamaLongSlitFingerprintPath = mamaLongSlitFingerprintPath("FUV-MAMA");
