/**
 * A simulated STIS MAMA first-order long-slit observation (`caldp sim o… --detector FUV-MAMA|NUV-MAMA
 * --spectroscopic`): an ACCUM science raw of a point source's spectrum (G140L on the FUV-MAMA, G230L on the
 * NUV-MAMA; 52X0.2, 1024² low-res pixels, photon counting as stis-mama.ts: counts = Poisson((rate·flat +
 * k·dark)·t), lowered by the global dead time, k the NUV-MAMA's TDCTAB dark factor) and its line-lamp wavecal
 * `_wav`, both displaced by the same MSM offset; the MAMA references (high-res DARKFILE, PFLTFILE, BPIXTAB,
 * MLINTAB, the NUV's TDCTAB) and every spectroscopic table with the mode's rows (no GACTAB: CRDS gives a MAMA
 * none), the CRDS cache and the truth spectrum in flux units.
 */
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import { writeCrdsCache } from "./crds-cache.js";
import { unionCards } from "./dataset-cards.js";
import { mjd, type Observation, rawPrimaryHeader } from "./headers.js";
import { makeChipMaps } from "./maps.js";
import { writeCcdRaw } from "./raw.js";
import type { ReferenceFile } from "./reference-files.js";
import { ref, writeCcdReferences } from "./references-ccd.js";
import {
  asSimulatedDataset,
  type StisSpectroOptions,
  spectroscopicHeader,
  writeSpectrumTruth,
} from "./stis-longslit.js";
import { writeLongSlitFluxTables } from "./stis-longslit-flux-tables.js";
import { lampRate, scienceRate } from "./stis-longslit-scene.js";
import { writeLongSlitGeometryTables } from "./stis-longslit-tables.js";
import { COUNTER_MAX, type MamaDetector, mamaExposureKeywords, stisMamaModel, tdcScale } from "./stis-mama.js";
import { dopplerKeywords, dopplerMaps, shiftWeights } from "./stis-mama-doppler.js";
import * as G140L from "./stis-mama-longslit-model.js";
import { writeHighRes, writeTdctab } from "./stis-mama-reference-images.js";
import { STIS_MAMA_LINEARITY, writeStisMlintab } from "./stis-mama-references.js";
import * as G230L from "./stis-nuv-mama-longslit-model.js";

const P = "PERFORM";
const O = "OMIT";
/** The switches of a first-order MAMA ACCUM raw; Doppler smoothing of the references is not simulated. */
export const MAMA_SPECTRO_SWITCHES: [string, string][] = [
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
/** The first-order mode simulated on each MAMA: G140L on the FUV-MAMA, G230L on the NUV-MAMA. */
export const MAMA_LONGSLIT_OPTICS = { "FUV-MAMA": G140L, "NUV-MAMA": G230L } as const;
type MamaOptics = (typeof MAMA_LONGSLIT_OPTICS)[MamaDetector];
/** A spectroscopic raw's WCS (as the archive's): wavelength along axis 1, angle along the slit (axis 2). */
const spectralWcs = (m: MamaOptics): [string, string | number, string][] => [
  ["CRPIX1", Number((m.pixelOf(m.CENWAVE) + 1).toFixed(3)), "x-coordinate of reference pixel"],
  ["CRPIX2", m.TRACE.a2center, "y-coordinate of reference pixel"],
  ["CRVAL1", m.CENWAVE, "first axis value at reference pixel"],
  ["CRVAL2", 0, "second axis value at reference pixel"],
  ["CTYPE1", "WAVE", "the coordinate type for the first axis"],
  ["CTYPE2", "ANGLE", "the coordinate type for the second axis"],
  ["CD1_1", Number(m.dispersionAt(m.CENWAVE).toFixed(4)), "partial of first axis coordinate w.r.t. x"],
  ["CUNIT1", "angstrom", "units of first coordinate value"],
  ["CUNIT2", "deg", "units of second coordinate value"],
];
export const MAMA_SCIENCE_EXPTIME = 600;
const WAVECAL_EXPTIME = 120;

export interface MamaLongSlitOptions extends StisSpectroOptions {
  /** FUV-MAMA (G140L, the default) or NUV-MAMA (G230L). */
  detector?: MamaDetector;
  /** DOPPCORR = PERFORM on the science exposure: its Doppler keywords and a high-res flat (stis-mama-doppler.ts). */
  doppcorr?: boolean;
}

export function simulateMamaLongSlit(o: MamaLongSlitOptions) {
  const detector = o.detector ?? "FUV-MAMA";
  const optics = MAMA_LONGSLIT_OPTICS[detector];
  const model = stisMamaModel(detector);
  const chip = model.chips[0]!;
  const maps = [makeChipMaps(model, chip, o.random.fork("maps/1"))];
  const spectralElements = { OPT_ELEM: optics.OPT_ELEM };
  const context = { model, maps, seed: o.seed, dir: o.referenceDir, spectralElements, aperture: optics.APERTURE };
  const tables = { ...context, optics };
  const references: ReferenceFile[] = [
    ...writeCcdReferences(context, ["darkfile", "pfltfile", "bpixtab"]),
    ...mamaTables(context),
    ...writeLongSlitGeometryTables(tables),
    ...writeLongSlitFluxTables(tables),
  ];
  const gactab = references.findIndex((r) => r.filekind === "gactab");
  unlinkSync(references.splice(gactab, 1)[0]!.path);
  writeHighRes(context, maps[0]!, "darkfile");
  // calstis smears the references in high-res pixels: DOPPCORR needs the flat there too (doflat.c)
  if (o.doppcorr) writeHighRes(context, maps[0]!, "pfltfile");
  const wavName = `${o.dataset}_wav.fits`;
  const referenceValue = (keyword: string) => {
    if (keyword === "WAVECAL") return wavName;
    const r = references.find((x) => x.filekind === keyword.toLowerCase());
    return r ? `${model.refPrefix}${r.name}` : "N/A";
  };
  const { flat, dark } = maps[0]!;
  const tau = STIS_MAMA_LINEARITY.find((r) => r.DETECTOR === detector)!.TAU;
  const referenceKeywords = detector === "NUV-MAMA" ? [...REFERENCE_KEYWORDS, "TDCTAB"] : REFERENCE_KEYWORDS;
  const temperature: [string, number, string][] =
    detector === "FUV-MAMA" ? [["OM1CAT", optics.DETECTOR_TEMPERATURE, "FUV-MAMA temperature (degC)"]] : [];

  const expose = (rootname: string, rate: Float32Array, start: number, exptime: number) => {
    const lamp = rootname.endsWith("_wav");
    const seen =
      o.doppcorr && !lamp ? dopplerMaps(flat, dark, chip.sciNx, shiftWeights(mjd(start), exptime)) : { flat, dark };
    // the NUV-MAMA's dark follows its TDCTAB model at EXPSTART and OM2CAT, as cs1 scales the DARKFILE
    const darkScale = detector === "NUV-MAMA" ? tdcScale(dark, mjd(start)) : 1;
    const trueRate = new Float32Array(rate.length);
    let total = 0;
    for (let k = 0; k < rate.length; k++) {
      trueRate[k] = rate[k]! * seen.flat[k]! + seen.dark[k]! * darkScale;
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
      ...temperature,
      ...(o.doppcorr && !lamp ? dopplerKeywords(mjd(start)) : []),
    ];
    const observation: Observation = {
      rootname: o.dataset,
      model,
      spectralElements,
      aperture: optics.APERTURE,
      start,
      exptime,
      targname: "CALDP-SIM-STAR",
      ra: 150.1163,
      dec: 2.2058,
      crsplit: 1,
      nextend: 3,
      switches: MAMA_SPECTRO_SWITCHES.map(([k, v]) => [
        k,
        lamp && WAVECAL_OMITS.has(k) ? O : k === "DOPPCORR" && o.doppcorr && !lamp ? P : v,
      ]),
      references: referenceKeywords.map((k) => [k, referenceValue(k)]),
      extra: [["FILTER", "Clear", "filter"]],
    };
    const primary = spectroscopicHeader(rawPrimaryHeader(observation), lamp, optics);
    primary.set("FILENAME", `${rootname}.fits`);
    primary.set("NRPTEXP", 1);
    primary.set("TEXPTIME", exptime);
    // A MAMA raw's ATODGAIN is 1 (calstis1 sets it for the CCD only; cs6 multiplies the flux by it).
    primary.set("ATODGAIN", 1.0);
    const path = join(o.out, `${rootname}.fits`);
    const imsets = [{ chip, extver: 1, raw, extra }];
    const base = { rootname: o.dataset, model, ra: 150.1163, dec: 2.2058, wcs: spectralWcs(optics) };
    writeCcdRaw(path, primary, base, imsets);
    return path;
  };

  const n = chip.sciNx;
  const science = expose(`${o.dataset}_raw`, scienceRate(n, n, mjd(o.start), optics), o.start, MAMA_SCIENCE_EXPTIME);
  const wavStart = o.start + MAMA_SCIENCE_EXPTIME + 60;
  const wavecal = expose(`${o.dataset}_wav`, lampRate(n, n, optics), wavStart, WAVECAL_EXPTIME);
  const truth = join(o.truthDir, `${o.dataset}_truth.fits`);
  writeSpectrumTruth(truth, n, mjd(o.start), optics);
  const crds = writeCrdsCache({ root: join(o.out, "crds"), model, references, datasetCards: unionCards(science) });
  return { science, wavecal, references, truth, crds, model, maps };
}

/** The MAMA long-slit observation in the shape of index.ts' SimulatedDataset, as longSlitDataset does it. */
export function mamaLongSlitDataset(o: MamaLongSlitOptions) {
  return asSimulatedDataset(o, simulateMamaLongSlit(o), o.detector ?? "FUV-MAMA");
}

/** The MLINTAB, and for the NUV-MAMA its TDCTAB (cs1 needs it to scale the dark). */
function mamaTables(c: Parameters<typeof writeTdctab>[0]): ReferenceFile[] {
  const mlintab = ref(c, "mlintab");
  writeStisMlintab(mlintab.path);
  return c.model.detector === "NUV-MAMA" ? [mlintab, writeTdctab(c)] : [mlintab];
}
