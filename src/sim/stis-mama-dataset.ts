/** A simulated STIS MAMA dataset (stis-mama.ts): raw, references and truth, then the CRDS cache as for the CCD. */
import { join } from "node:path";
import { writeCrdsCache } from "./crds-cache.js";
import { unionCards } from "./dataset-cards.js";
import type { Random } from "./random.js";
import { type MamaDetector, simulateStisMama } from "./stis-mama.js";

/** Default start: 2012, after the NUV-MAMA's post-SM4 TDCTAB model took effect. */
const MAMA_DATE = "2012-03-14T08:21:05Z";

/** What index.ts's SimulateOptions says of a MAMA dataset (not imported: index.ts imports this file). */
interface MamaDatasetOptions {
  detector?: string;
  seed?: number;
  dateObs?: string;
  exptime?: number;
}

export function stisMamaDataset(
  options: MamaDatasetOptions,
  c: { dataset: string; out: string; referenceDir: string; truthDir: string; count: number; random: Random },
) {
  const detector = options.detector as MamaDetector;
  const seed = options.seed ?? 1;
  const start = Date.parse(options.dateObs ?? MAMA_DATE) / 1000;
  const sim = simulateStisMama({ ...c, detector, seed, start, exptime: options.exptime, repeats: c.count });
  const crds = writeCrdsCache({
    root: join(c.out, "crds"),
    model: sim.model,
    references: sim.references,
    datasetCards: unionCards(sim.exposures[0]!.raw),
  });
  return {
    instrument: "STIS" as const,
    detector,
    dataset: c.dataset,
    out: c.out,
    exposures: sim.exposures,
    references: Object.fromEntries(sim.references.map((r) => [r.filekind.toUpperCase(), r.path])),
    referenceDir: c.referenceDir,
    crds,
    truth: sim.truth,
    hotPixels: { 1: sim.maps[0]!.hotPixels },
    badColumns: { 1: sim.maps[0]!.badColumns },
    model: sim.model,
  };
}
