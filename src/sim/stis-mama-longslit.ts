/**
 * A simulated STIS FUV-MAMA first-order long-slit observation (`caldp sim o… --detector FUV-MAMA
 * --spectroscopic`): an ACCUM science raw of a point source's spectrum (G140L, 52X0.2, 1024² low-res pixels,
 * photon counting as stis-mama.ts: counts = Poisson((rate·flat + dark)·t), lowered by the global dead time)
 * and its line-lamp wavecal `_wav`, both displaced by the same MSM offset; the MAMA references (high-res
 * DARKFILE, PFLTFILE, BPIXTAB, MLINTAB) and every spectroscopic table with G140L rows (no GACTAB: CRDS gives
 * a MAMA none), the CRDS cache and the truth spectrum in flux units.
 */
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import { writeCrdsCache } from "./crds-cache.js";
import { unionCards } from "./dataset-cards.js";
import { mjd, type Observation, rawPrimaryHeader } from "./headers.js";
import { makeChipMaps } from "./maps.js";
import type { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import type { ReferenceFile } from "./reference-files.js";
import { ref, writeCcdReferences } from "./references-ccd.js";
import { asSimulatedDataset, spectroscopicHeader, writeSpectrumTruth } from "./stis-longslit.js";
import { writeLongSlitFluxTables } from "./stis-longslit-flux-tables.js";
import { lampRate, scienceRate } from "./stis-longslit-scene.js";
import { writeLongSlitGeometryTables } from "./stis-longslit-tables.js";
import { COUNTER_MAX, mamaExposureKeywords, stisMamaModel } from "./stis-mama.js";
import * as G140L from "./stis-mama-longslit-model.js";
import { writeHighRes } from "./stis-mama-reference-images.js";
import { STIS_MAMA_LINEARITY, writeStisMlintab } from "./stis-mama-references.js";

const P = "PERFORM";
const O = "OMIT";
/** The switches of a first-order MAMA ACCUM raw; Doppler smoothing of the references is not simulated. */
const SWITCHES: [string, string][] = [
  ["DQICORR", P],
  ["LORSCORR", P],
  ["GLINCORR", P],
  ["LFLGCORR", P],
  ["DARKCORR", P],
  ["FLATCORR", P],
  ["DOPPCORR", O],
  ["CRCORR", O],
  ["RPTCORR", O],
  ["WAVECORR", P],
  ["X1DCORR", P],
  ["BACKCORR", P],
  ["HELCORR", P],
  ["DISPCORR", P],
  ["FLUXCORR", P],
  ["X2DCORR", P],
];
const WAVECAL_OMITS = new Set(["WAVECORR", "X1DCORR", "BACKCORR", "HELCORR", "FLUXCORR"]);
const REFERENCE_KEYWORDS = ["BPIXTAB", "DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "MLINTAB", "PHOTTAB"].concat(
  ["APERTAB", "WAVECAL", "APDESTAB", "SPTRCTAB", "DISPTAB", "INANGTAB", "LAMPTAB", "SDCTAB", "XTRACTAB", "PCTAB"],
  ["WCPTAB", "TDSTAB", "GACTAB"],
);
/** A spectroscopic raw's WCS (as the archive's): wavelength along axis 1, angle along the slit (axis 2). */
const SPECTRAL_WCS: [string, string | number, string][] = [
  ["CRPIX1", Number((G140L.pixelOf(G140L.CENWAVE) + 1).toFixed(3)), "x-coordinate of reference pixel"],
  ["CRPIX2", G140L.TRACE.a2center, "y-coordinate of reference pixel"],
  ["CRVAL1", G140L.CENWAVE, "first axis value at reference pixel"],
  ["CRVAL2", 0, "second axis value at reference pixel"],
  ["CTYPE1", "WAVE", "the coordinate type for the first axis"],
  ["CTYPE2", "ANGLE", "the coordinate type for the second axis"],
  ["CD1_1", Number(G140L.dispersionAt(G140L.CENWAVE).toFixed(4)), "partial of first axis coordinate w.r.t. x"],
  ["CUNIT1", "angstrom", "units of first coordinate value"],
  ["CUNIT2", "deg", "units of second coordinate value"],
];
export const MAMA_SCIENCE_EXPTIME = 600;
const WAVECAL_EXPTIME = 120;

export interface MamaLongSlitOptions {
  dataset: string;
  out: string;
  referenceDir: string;
  truthDir: string;
  seed: number;
  random: Random;
  start: number;
}

export function simulateMamaLongSlit(o: MamaLongSlitOptions) {
  const detector = "FUV-MAMA";
  const model = stisMamaModel(detector);
  const chip = model.chips[0]!;
  const maps = [makeChipMaps(model, chip, o.random.fork("maps/1"))];
  const spectralElements = { OPT_ELEM: G140L.OPT_ELEM };
  const context = { model, maps, seed: o.seed, dir: o.referenceDir, spectralElements, aperture: G140L.APERTURE };
  const mlintab = ref(context, "mlintab");
  writeStisMlintab(mlintab.path);
  const tables = { ...context, optics: G140L };
  const references: ReferenceFile[] = [
    ...writeCcdReferences(context, ["darkfile", "pfltfile", "bpixtab"]),
    mlintab,
    ...writeLongSlitGeometryTables(tables),
    ...writeLongSlitFluxTables(tables),
  ];
  const gactab = references.findIndex((r) => r.filekind === "gactab");
  unlinkSync(references.splice(gactab, 1)[0]!.path);
  writeHighRes(context, maps[0]!, "darkfile");
  const wavName = `${o.dataset}_wav.fits`;
  const referenceValue = (keyword: string) => {
    if (keyword === "WAVECAL") return wavName;
    const r = references.find((x) => x.filekind === keyword.toLowerCase());
    return r ? `${model.refPrefix}${r.name}` : "N/A";
  };
  const { flat, dark } = maps[0]!;
  const tau = STIS_MAMA_LINEARITY.find((r) => r.DETECTOR === detector)!.TAU;

  const expose = (rootname: string, rate: Float32Array, start: number, exptime: number) => {
    const lamp = rootname.endsWith("_wav");
    const trueRate = new Float32Array(rate.length);
    let total = 0;
    for (let k = 0; k < rate.length; k++) {
      trueRate[k] = rate[k]! * flat[k]! + dark[k]!;
      total += trueRate[k]!;
    }
    const factor = Math.exp(-tau * total);
    const raw = new Uint16Array(rate.length);
    const counts = o.random.fork(`${rootname}/counts`);
    for (let k = 0; k < raw.length; k++)
      raw[k] = Math.min(COUNTER_MAX, counts.poisson(trueRate[k]! * factor * exptime));
    const extra = [
      ...mamaExposureKeywords(detector, start, exptime, total * factor),
      ["DISPAXIS", 1, "dispersion axis; 1 = axis 1"] as [string, number, string],
      ["OM1CAT", G140L.DETECTOR_TEMPERATURE, "FUV-MAMA temperature (degC)"] as [string, number, string],
    ];
    const observation: Observation = {
      rootname: o.dataset,
      model,
      spectralElements,
      aperture: G140L.APERTURE,
      start,
      exptime,
      targname: "CALDP-SIM-STAR",
      ra: 150.1163,
      dec: 2.2058,
      crsplit: 1,
      nextend: 3,
      switches: SWITCHES.map(([k, v]) => [k, lamp && WAVECAL_OMITS.has(k) ? O : v]),
      references: REFERENCE_KEYWORDS.map((k) => [k, referenceValue(k)]),
      extra: [["FILTER", "Clear", "filter"]],
    };
    const primary = spectroscopicHeader(rawPrimaryHeader(observation), lamp, G140L);
    primary.set("FILENAME", `${rootname}.fits`);
    primary.set("NRPTEXP", 1);
    primary.set("TEXPTIME", exptime);
    // A MAMA raw's ATODGAIN is 1 (calstis1 sets it for the CCD only; cs6 multiplies the flux by it).
    primary.set("ATODGAIN", 1.0);
    const path = join(o.out, `${rootname}.fits`);
    const imsets = [{ chip, extver: 1, raw, extra }];
    const base = { rootname: o.dataset, model, ra: 150.1163, dec: 2.2058, wcs: SPECTRAL_WCS };
    writeCcdRaw(path, primary, base, imsets);
    return path;
  };

  const n = chip.sciNx;
  const science = expose(`${o.dataset}_raw`, scienceRate(n, n, mjd(o.start), G140L), o.start, MAMA_SCIENCE_EXPTIME);
  const wavStart = o.start + MAMA_SCIENCE_EXPTIME + 60;
  const wavecal = expose(`${o.dataset}_wav`, lampRate(n, n, G140L), wavStart, WAVECAL_EXPTIME);
  const truth = join(o.truthDir, `${o.dataset}_truth.fits`);
  writeSpectrumTruth(truth, n, mjd(o.start), G140L);
  const crds = writeCrdsCache({ root: join(o.out, "crds"), model, references, datasetCards: unionCards(science) });
  return { science, wavecal, references, truth, crds, model, maps };
}

/** The MAMA long-slit observation in the shape of index.ts' SimulatedDataset, as longSlitDataset does it. */
export function mamaLongSlitDataset(o: MamaLongSlitOptions) {
  return asSimulatedDataset(o, simulateMamaLongSlit(o), "FUV-MAMA");
}
