/** What the simulator's reference writers share: the detector, its maps, the seed and where to write. */
import type { DetectorModel } from "./detectors.js";
import type { ChipMaps } from "./maps.js";

export interface ReferenceContext {
  model: DetectorModel;
  maps: ChipMaps[];
  seed: number;
  dir: string;
  /** Spectral elements as in the raw header (FILTER1/FILTER2, FILTER, OPT_ELEM). */
  spectralElements: Record<string, string>;
  aperture: string;
  /** CRREJTAB SCALENSE (per cent; default 30). */
  crrejScaleNoise?: number;
}
