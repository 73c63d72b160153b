/**
 * A simulated STIS/CCD first-order long-slit observation (`caldp sim o… --mode spectroscopic`): a CR-SPLIT
 * science raw of a point source's spectrum (G430L, 52X0.2, full frame) and its line-lamp wavecal `_wav`,
 * both displaced by the same MSM offset; the CCD references with every spectroscopic table calstis reads,
 * the CRDS cache that selects them, and the truth (the source's spectrum in flux units, the offset).
 */
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
import { exposeCcdChip } from "./ccd.js";
import { writeCrdsCache } from "./crds-cache.js";
import { unionCards } from "./dataset-cards.js";
import { detectorModel } from "./detectors.js";
import { mjd, type Observation, rawPrimaryHeader } from "./headers.js";
import { makeChipMaps } from "./maps.js";
import type { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import type { ReferenceFile } from "./reference-files.js";
import { writeCcdReferences } from "./references-ccd.js";
import { writeLongSlitFluxTables } from "./stis-longslit-flux-tables.js";
import * as optics from "./stis-longslit-model.js";
import type { LongSlitOptics } from "./stis-longslit-optics.js";
import { lampRate, scienceRate } from "./stis-longslit-scene.js";
import { writeLongSlitGeometryTables } from "./stis-longslit-tables.js";
import { stisDarkFactor, stisExposureKeywords } from "./stis-temperature.js";

const P = "PERFORM";
const O = "OMIT";
/** The switches of a real first-order CCD raw (oc7w11viq's list), CR-SPLIT with EXPSCORR; no CTE correction. */
const SWITCHES: [string, string][] = [
  ["DQICORR", P],
  ["BLEVCORR", P],
  ["BIASCORR", P],
  ["CRCORR", P],
  ["RPTCORR", O],
  ["EXPSCORR", P],
  ["DARKCORR", P],
  ["FLATCORR", P],
  ["WAVECORR", P],
  ["X1DCORR", P],
  ["BACKCORR", P],
  ["HELCORR", P],
  ["DISPCORR", P],
  ["FLUXCORR", P],
  ["CTECORR", O],
  ["X2DCORR", P],
];
/** A wavecal's own switches: the lamp is inside the instrument, so no heliocentric or flux correction. */
const WAVECAL_OMITS = new Set(["CRCORR", "EXPSCORR", "WAVECORR", "X1DCORR", "BACKCORR", "HELCORR", "FLUXCORR"]);
const CR_SWITCHES = new Set(["CRCORR", "EXPSCORR"]);
const REFERENCE_KEYWORDS = ["BPIXTAB", "DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "PHOTTAB", "IMPHTTAB"].concat(
  ["APERTAB", "CCDTAB", "ATODTAB", "BIASFILE", "SHADFILE", "CRREJTAB", "WAVECAL", "APDESTAB", "SPTRCTAB"],
  ["DISPTAB", "INANGTAB", "LAMPTAB", "SDCTAB", "XTRACTAB", "PCTAB", "WCPTAB", "TDSTAB", "GACTAB", "IDCTAB"],
);
const SCIENCE_EXPTIME = 100;
const WAVECAL_EXPTIME = 10;

/** What every simulated STIS spectroscopic observation is given: its name, folders, random stream and start. */
export interface StisSpectroOptions {
  dataset: string;
  out: string;
  referenceDir: string;
  truthDir: string;
  seed: number;
  random: Random;
  start: number;
}

export interface LongSlitOptions extends StisSpectroOptions {
  splits: number;
}

export interface LongSlitDataset {
  science: string;
  wavecal: string;
  references: ReferenceFile[];
  truth: string;
  crds: ReturnType<typeof writeCrdsCache>;
  model: ReturnType<typeof detectorModel>;
  maps: ReturnType<typeof makeChipMaps>[];
}

export function simulateLongSlit(o: LongSlitOptions): LongSlitDataset {
  const model = detectorModel("STIS", "CCD");
  const chip = model.chips[0];
  const maps = [makeChipMaps(model, chip, o.random.fork("maps/1"))];
  const spectralElements = { OPT_ELEM: optics.OPT_ELEM };
  // SCALENSE 0: the crj's ERR is then Poisson and read noise alone, the yardstick of the truth test.
  const context = {
    model,
    maps,
    seed: o.seed,
    dir: o.referenceDir,
    spectralElements,
    aperture: optics.APERTURE,
    crrejScaleNoise: 0,
  };
  const references = [
    ...writeCcdReferences(context, ["biasfile", "darkfile", "pfltfile", "bpixtab", "ccdtab", "crrejtab"]),
    ...writeLongSlitGeometryTables(context),
    ...writeLongSlitFluxTables(context),
  ];
  const wavName = `${o.dataset}_wav.fits`;
  const referenceValue = (keyword: string) => {
    if (keyword === "WAVECAL") return wavName;
    const r = references.find((x) => x.filekind === keyword.toLowerCase());
    return r ? `${model.refPrefix}${r.name}` : "N/A";
  };
  const observation = (start: number, exptime: number, splits: number, lamp: boolean): Observation => ({
    rootname: o.dataset,
    model,
    spectralElements,
    aperture: optics.APERTURE,
    start,
    exptime,
    targname: "CALDP-SIM-STAR",
    ra: 150.1163,
    dec: 2.2058,
    crsplit: splits,
    nextend: 3 * splits,
    switches: SWITCHES.map(([k, v]) => [
      k,
      (lamp && WAVECAL_OMITS.has(k)) || (splits === 1 && CR_SWITCHES.has(k)) ? O : v,
    ]),
    references: REFERENCE_KEYWORDS.map((k) => [k, referenceValue(k)]),
    extra: [["FILTER", "Clear", "filter"]],
  });

  const expose = (rootname: string, path: string, rate: Float32Array, start: number, exptime: number, n: number) => {
    const imsets = Array.from({ length: n }, (_, s) => {
      const t = start + s * (exptime + 60);
      const result = exposeCcdChip(
        model,
        maps[0],
        rate,
        exptime,
        exptime * stisDarkFactor(t),
        o.random.fork(`${rootname}/split/${s}`),
      );
      const extra = [...stisExposureKeywords(t, exptime), ["DISPAXIS", 1, "dispersion axis; 1 = axis 1"]];
      return { chip, extver: s + 1, raw: result.raw, extra: extra as [string, string | number, string][] };
    });
    const lamp = rootname.endsWith("_wav");
    const primary = spectroscopicHeader(rawPrimaryHeader(observation(start, exptime, n, lamp)), lamp);
    primary.set("FILENAME", `${rootname}.fits`);
    writeCcdRaw(path, primary, { rootname: o.dataset, model, ra: 150.1163, dec: 2.2058 }, imsets);
  };

  const science = join(o.out, `${o.dataset}_raw.fits`);
  const sciRate = scienceRate(chip.sciNx, chip.sciNy, mjd(o.start));
  expose(`${o.dataset}_raw`, science, sciRate, o.start, SCIENCE_EXPTIME, o.splits);
  const wavecal = join(o.out, wavName);
  const wavStart = o.start + o.splits * (SCIENCE_EXPTIME + 60);
  expose(`${o.dataset}_wav`, wavecal, lampRate(chip.sciNx, chip.sciNy), wavStart, WAVECAL_EXPTIME, 1);

  const truth = join(o.truthDir, `${o.dataset}_truth.fits`);
  writeSpectrumTruth(truth, chip.sciNx, mjd(o.start));
  const crds = writeCrdsCache({
    root: join(o.out, "crds"),
    model,
    references,
    datasetCards: unionCards(science),
  });
  return { science, wavecal, references, truth, crds, model, maps };
}

/** OBSTYPE, CENWAVE and the lamp keywords of a spectroscopic raw (a wavecal: the lamp on, its target). */
export function spectroscopicHeader(h: Header, lamp: boolean, m: LongSlitOptics = optics): Header {
  h.set("OBSTYPE", "SPECTROSCOPIC");
  h.set("CENWAVE", m.CENWAVE, { comment: "central wavelength of spectrum" });
  h.set("SCLAMP", lamp ? m.LAMP.sclamp : "NONE", { comment: "lamp status, NONE or name of lamp which is on" });
  h.set("LAMPSET", lamp ? m.LAMP.lampset : "0.0", { comment: "spectral cal lamp current value (milliamps)" });
  h.set("APER_FOV", "52x0.2", { comment: "aperture field of view" });
  h.set("POSTARG1", 0, { comment: "POSTARG in axis 1 direction", float: true });
  h.set("POSTARG2", 0, { comment: "POSTARG in axis 2 direction", float: true });
  if (lamp) {
    h.set("TARGNAME", "WAVELINE");
    h.set("IMAGETYP", "WAVECAL");
  }
  return h;
}

/**
 * The truth: per science column, the wavelength that falls on its centre (MSM offset included) and the
 * source's flux there; the offset and the sky in the header.
 */
export function writeSpectrumTruth(path: string, nx: number, startMjd: number, m: LongSlitOptics = optics): void {
  const wavelength = Float64Array.from({ length: nx }, (_, x) => m.wavelengthAt(x - m.SHIFT_A1));
  const header = new Header()
    .set("EXTNAME", "SPECTRUM")
    .set("SHIFTA1", m.SHIFT_A1, { comment: "simulated MSM offset along the dispersion (pixels)" })
    .set("SHIFTA2", m.SHIFT_A2, { comment: "simulated MSM offset across the dispersion (pixels)" })
    .set("SKYRATE", m.SKY_RATE, { comment: "sky in the slit (electrons/s/pixel)" })
    .set("TDSFACTR", m.tdsFactor(startMjd), { comment: "sensitivity loss simulated at the exposure" });
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(new Header().set("ORIGIN", "caldp sim (truth)"));
    writer.writeTable(
      header,
      [
        { name: "PIXEL", data: Int32Array.from({ length: nx }, (_, x) => x) },
        { name: "WAVELENGTH", data: wavelength, unit: "Angstrom" },
        { name: "FLUX", data: wavelength.map(m.sourceFlux), unit: "erg/s/cm**2/Angstrom" },
        { name: "TRACE", data: Float64Array.from({ length: nx }, (_, x) => m.traceDisplacement(x)) },
      ],
      nx,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/**
 * The long-slit observation in the shape of index.ts' SimulatedDataset (the science raw is the exposure, the
 * wavecal beside it); the type is checked where index.ts returns it.
 */
export function longSlitDataset(o: LongSlitOptions) {
  return asSimulatedDataset(o, simulateLongSlit(o), "CCD");
}

/** A simulated long-slit observation (CCD or MAMA) in the shape of index.ts' SimulatedDataset. */
export function asSimulatedDataset<M, D extends string>(
  o: { dataset: string; out: string; referenceDir: string },
  sim: Pick<LongSlitDataset, "science" | "references" | "crds" | "truth" | "maps"> & { model: M },
  detector: D,
) {
  const none = { x: new Int32Array(0), y: new Int32Array(0), value: new Float32Array(0) };
  const [maps] = sim.maps as [LongSlitDataset["maps"][number]];
  return {
    instrument: "STIS" as const,
    detector,
    dataset: o.dataset,
    out: o.out,
    exposures: [{ rootname: o.dataset, raw: sim.science, cosmicRays: { 1: none }, saturated: { 1: none } }],
    references: Object.fromEntries(sim.references.map((r) => [r.filekind.toUpperCase(), r.path])),
    referenceDir: o.referenceDir,
    crds: sim.crds,
    truth: sim.truth,
    hotPixels: { 1: maps.hotPixels },
    badColumns: { 1: maps.badColumns },
    model: sim.model,
  };
}
