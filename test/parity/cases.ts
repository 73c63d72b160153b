/**
 * The simulated datasets whose products are compared with hstcal's C programs (calacs.e, calwf3.e, cs0.e), and
 * how each is run. The fingerprints of the C programs' products are in fingerprints/<name>.json, written by
 * scripts/parity-fingerprints.ts; the parity tests run our engine on the same simulations.
 */
import { readdirSync } from "node:fs";
import { basename } from "node:path";
import { type SimulateOptions, simulateDataset } from "../../src/sim/index.js";
import { simulateUvisBinned } from "../../src/sim/wfc3-binned.js";
import { simulateIrSubarray } from "../../src/sim/wfc3-ir-subarray.js";
import { simulateUvisSubarray } from "../../src/sim/wfc3-subarray.js";
import { simulateUvisSubarrayAssociation, type UvisSubarrayMemberOptions } from "../../src/sim/wfc3-subarray-asn.js";
import { stisRealRawCase } from "./stis-real-case.js";

export interface ParityCase {
  name: string;
  program: "calacs.e" | "calwf3.e" | "cs0.e";
  /** The environment variable naming the reference folder, as the program reads it. */
  referenceVariable: "jref" | "iref" | "oref";
  /**
   * simulateDataset's options, a 2×2 binned UVIS corner read (simulateUvisBinned), an IR subarray, or a UVIS2
   * amp-C subarray exposure or CR-SPLIT association (simulateUvisSubarray, simulateUvisSubarrayAssociation).
   */
  simulation:
    | Omit<SimulateOptions, "out">
    | { uvisBinned: string; seed: number }
    | { irSubarray: string; seed: number; nsamp: number }
    | ({ uvisSubarray: string; seed: number } & UvisSubarrayMemberOptions)
    | ({ uvisSubarrayAsn: string; seed: number } & UvisSubarrayMemberOptions)
    | { stisRealRaw: string; seed: number; deltaFlat?: boolean };
  /** Seed of the sampled pixel positions. */
  sampleSeed: number;
  /** Whether the fingerprints hold the headers too (keywords and HISTORY). */
  headers?: boolean;
}

export const PARITY_CASES: readonly ParityCase[] = [
  {
    name: "acs-hrc-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: { dataset: "j8cb010b0", detector: "HRC", exposures: 2, seed: 101 },
    sampleSeed: 1,
  },
  {
    name: "acs-wfc-presm4-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: { dataset: "j8cb020b0", detector: "WFC", exposures: 2, seed: 102, epoch: "pre-sm4" },
    sampleSeed: 2,
  },
  {
    name: "acs-wfc-postsm4-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: { dataset: "j8cb030b0", detector: "WFC", exposures: 2, seed: 103, epoch: "post-sm4" },
    sampleSeed: 6,
  },
  {
    name: "acs-sbc-rptobs2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: { dataset: "j8cb040b0", detector: "SBC", exposures: 2, seed: 104 },
    sampleSeed: 9,
    headers: true,
  },
  {
    name: "wfc3-uvis-binned",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { uvisBinned: "iabc07b1q", seed: 3 },
    sampleSeed: 7,
  },
  {
    name: "wfc3-ir-nsamp16",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { dataset: "iabc02xyq", detector: "IR", nsamp: 16, seed: 11 },
    sampleSeed: 3,
    headers: true,
  },
  {
    // Stars bright enough to saturate in the zeroth and first reads and at every later read, charge before
    // the zeroth read (ZSIGCORR's signal), and cosmic-ray jumps up to the last read.
    name: "wfc3-ir-bright",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { dataset: "iabc08xyq", detector: "IR", nsamp: 8, seed: 13, exptime: 10, zeroReadSignalTime: 2.911 },
    sampleSeed: 10,
    headers: true,
  },
  {
    name: "wfc3-ir-subarray",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { irSubarray: "iabc06s1q", seed: 7, nsamp: 8 },
    sampleSeed: 8,
    headers: true,
  },
  {
    name: "wfc3-uvis-subarray",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { uvisSubarray: "iabc08s1q", seed: 31, kind: "prescan", flashdur: 12, shading: true, satufile: true },
    sampleSeed: 9,
  },
  {
    name: "wfc3-uvis-subarray-crsplit2",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { uvisSubarrayAsn: "iabc09010", seed: 32, kind: "inner", flashdur: 12, shading: true, satufile: true },
    sampleSeed: 10,
  },
  {
    // PCTECORR = PERFORM: _flc and _crc beside _flt and _crj (serial and parallel CTE correction after SM4).
    name: "acs-wfc-cte-postsm4-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: { dataset: "j8cb050b0", detector: "WFC", exposures: 2, seed: 105, epoch: "post-sm4", cte: true },
    sampleSeed: 11,
    headers: true,
  },
  {
    // Before SM4 calacs.e corrects the parallel CTE only.
    name: "acs-wfc-cte-presm4-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: {
      dataset: "j8cb060b0",
      detector: "WFC",
      exposures: 2,
      seed: 106,
      epoch: "pre-sm4",
      dateObs: "2008-06-02T10:11:12Z",
      cte: true,
    },
    sampleSeed: 12,
    headers: true,
  },
  {
    name: "wfc3-uvis-crsplit2",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { dataset: "iabc04010", detector: "UVIS", exposures: 2, seed: 21 },
    sampleSeed: 5,
  },
  {
    // One full-frame STIS/CCD exposure (amp D, 50CCD, MIRVIS): cs1's DQICORR, BLEVCORR, BIASCORR, DARKCORR,
    // FLATCORR and statistics into _flt.
    name: "stis-ccd-single",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { dataset: "o8ab02abq", detector: "CCD", seed: 41 },
    sampleSeed: 11,
    headers: true,
  },
  {
    // After the switch to side 2 (2009): the dark scaled by the housing temperature (OCCDHTAV 21.5 °C).
    name: "stis-ccd-side2",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { dataset: "o8ab06abq", detector: "CCD", seed: 45, dateObs: "2009-08-01T00:00:00Z" },
    sampleSeed: 15,
    headers: true,
  },
  {
    // A CR-SPLIT of two image sets in one raw file (CRCORR, EXPSCORR): cs1 DQICORR, BLEVCORR, BIASCORR; cs2
    // into the _crj; cs1 DARKCORR, FLATCORR on the _crj and on the CR-flagged image sets (_flt).
    name: "stis-ccd-crsplit2",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { dataset: "o8ab01010", detector: "CCD", exposures: 2, seed: 42 },
    sampleSeed: 12,
    headers: true,
  },
  {
    // A real acquisition (ocmv0lw6q: three subarray image sets, 100×100, 100×100, 30×30) on simulated references:
    // too small for the overscan (the CCDTAB bias is subtracted), placed on the references by LTV; flat-fielded
    // by PFLT × DFLT (the same file named twice).
    name: "stis-ccd-real-subarray",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { stisRealRaw: "ocmv0lw6q", seed: 43, deltaFlat: true },
    sampleSeed: 13,
    headers: true,
  },
  {
    // STIS NUV-MAMA imaging (25MAMA, MIRROR, 2012): cs1 DQICORR, the Poisson ERR, GLINCORR/LFLGCORR (MLINTAB),
    // DARKCORR scaled by the post-SM4 TDCTAB at OM2CAT, FLATCORR with a 64×64 LFLT expanded onto the high-res
    // (2048²) PFLT and the product binned to the low-res image, LORSCORR SKIPPED (already low-res),
    // PHOTCORR and statistics into _flt.
    name: "stis-nuv-mama",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { dataset: "o8ab07abq", detector: "NUV-MAMA", seed: 46 },
    sampleSeed: 16,
    headers: true,
  },
  {
    // STIS FUV-MAMA imaging (F25SRF2): as the NUV without TDCTAB, a high-res (2048²) DARKFILE summed to low-res;
    // the brightest cores above LOCAL_LIMIT flagged by LFLGCORR.
    name: "stis-fuv-mama",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { dataset: "o8ab08abq", detector: "FUV-MAMA", seed: 47 },
    sampleSeed: 17,
    headers: true,
  },
  {
    // FUV-MAMA REPEATOBS: three image sets in one raw (NRPTEXP 3, RPTCORR): calstis1 into the _flt, then cs8's
    // sum (variances added, DQ ORed, EXPTIME summed, statistics over SDQFLAGS 32767) into the _sfl.
    name: "stis-fuv-mama-rpt3",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { dataset: "o8ab0b010", detector: "FUV-MAMA", exposures: 3, seed: 48 },
    sampleSeed: 18,
    headers: true,
  },
  {
    // A real acquisition whose only image set is all zeros: written uncalibrated with IMSET_OK = F.
    name: "stis-ccd-real-empty",
    program: "cs0.e",
    referenceVariable: "oref",
    simulation: { stisRealRaw: "o4er06llq", seed: 44 },
    sampleSeed: 14,
    headers: true,
  },
  {
    // An ACS/WFC amp-C subarray (WFC2C-512, prescan columns, no virtual overscan) of 2012 with PCTECORR: calacs.e
    // 10.5.0 corrects it serially and in parallel, the subarray's corner at the amp (acs-amp-regions.ts).
    name: "acs-wfc-cte-subarray-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: {
      dataset: "j8cb070b0",
      detector: "WFC",
      exposures: 2,
      seed: 107,
      dateObs: "2012-03-04T05:06:07Z",
      cte: true,
      subarray: "WFC2C-512",
    },
    sampleSeed: 13,
    headers: true,
  },
  {
    // The same on amp D (WFC2D-512, single exposure): its subarray starts 3584 columns into the chip (LTV1 < 0),
    // calacs.e still corrects it as an amp-corner image, flipped in x.
    name: "acs-wfc-cte-subarray-d",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: {
      dataset: "j8cb08s1q",
      detector: "WFC",
      seed: 9,
      dateObs: "2012-03-04T05:06:07Z",
      cte: true,
      subarray: "WFC2D-512",
    },
    sampleSeed: 15,
    headers: true,
  },
  {
    // Chip 1 (WFC1, read out at its top): an amp-A subarray (WFC1A-1K, LTV2 < 0) of 2012, corrected serially and
    // in parallel from the amp's corner, flipped in y.
    name: "acs-wfc-cte-subarray-a",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: {
      dataset: "j8cb08s2q",
      detector: "WFC",
      seed: 10,
      dateObs: "2012-03-04T05:06:07Z",
      cte: true,
      subarray: "WFC1A-1K",
    },
    sampleSeed: 16,
    headers: true,
  },
  {
    // The same on amp B (WFC1B-512: LTV1 and LTV2 < 0), flipped in x and y.
    name: "acs-wfc-cte-subarray-b",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: {
      dataset: "j8cb08s3q",
      detector: "WFC",
      seed: 11,
      dateObs: "2012-03-04T05:06:07Z",
      cte: true,
      subarray: "WFC1B-512",
    },
    sampleSeed: 17,
    headers: true,
  },
  {
    // A UVIS2 amp-C subarray CR-SPLIT ×2 with its prescan, CTE trails and PCTECORR = PERFORM: calwf3.e 3.7.3 pastes
    // each into an empty full frame, takes the amp's level from the prescan and writes _flc and _crc.
    name: "wfc3-uvis-cte-subarray-crsplit2",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: { uvisSubarrayAsn: "iabc0a010", seed: 43, kind: "prescan", cte: true },
    sampleSeed: 14,
  },
  {
    // CTE trails in the raws (2016: PCTEFRAC 0.9) and PCTECORR = PERFORM: _flt/_crj and _flc/_crc.
    name: "wfc3-uvis-cte-crsplit2",
    program: "calwf3.e",
    referenceVariable: "iref",
    simulation: {
      dataset: "iabc05010",
      detector: "UVIS",
      exposures: 2,
      seed: 22,
      cte: true,
      dateObs: "2016-03-02T10:11:12Z",
    },
    sampleSeed: 11,
  },
];

/** Writes the case's raw files and references into `dir`: the program's input (a file name) and the references folder. */
export function simulateCase(c: ParityCase, dir: string): { input: string; referenceDir: string } {
  if ("uvisBinned" in c.simulation) {
    const sim = simulateUvisBinned({ rootname: c.simulation.uvisBinned, out: dir, seed: c.simulation.seed });
    return { input: basename(sim.raw), referenceDir: sim.referenceDir };
  }
  if ("irSubarray" in c.simulation) {
    const { irSubarray, seed, nsamp } = c.simulation;
    const sim = simulateIrSubarray({ rootname: irSubarray, out: dir, seed, nsamp });
    return { input: basename(sim.raw), referenceDir: sim.referenceDir };
  }
  if ("uvisSubarray" in c.simulation) {
    const { uvisSubarray, kind, ...options } = c.simulation;
    const sim = simulateUvisSubarray({ rootname: uvisSubarray, out: dir, kind: kind ?? "prescan", ...options });
    return { input: basename(sim.raw), referenceDir: sim.referenceDir };
  }
  if ("uvisSubarrayAsn" in c.simulation) {
    const { uvisSubarrayAsn, ...options } = c.simulation;
    const sim = simulateUvisSubarrayAssociation({ asnId: uvisSubarrayAsn, out: dir, ...options });
    return { input: basename(sim.asn), referenceDir: sim.members[0].sim.referenceDir };
  }
  if ("stisRealRaw" in c.simulation) {
    const { stisRealRaw, seed, deltaFlat } = c.simulation;
    return stisRealRawCase(stisRealRaw, dir, seed, deltaFlat);
  }
  const sim = simulateDataset({ ...c.simulation, out: dir });
  return { input: basename(sim.asn ?? sim.exposures[0].raw), referenceDir: sim.referenceDir };
}

/** The calibrated products a run leaves in `dir` (flt, crj, ima, sfl, flc, crc), sorted by name. */
export function productsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /_(flt|crj|ima|sfl|flc|crc)\.fits$/.test(f))
    .sort();
}
