/**
 * `simulateDataset`: a raw HST dataset (association, raws), matching synthetic references, a small
 * CRDS cache and the truth, all deterministic for a seed. See the files beside this one for each part.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Header } from "../fits/index.js";
import { acsWfcCte, trailChip, writeAcsDrkcfile, writeAcsPctetab } from "./acs-cte.js";
import { applyPostSm4Electronics, makeStripes, POST_SM4_DATE, postSm4Setup } from "./acs-post-sm4.js";
import { simulateSbc } from "./acs-sbc.js";
import { type AcsSubarrayName, acsSubarrayCentre, acsSubarrayModel } from "./acs-subarray.js";
import { writeAsnTable } from "./asn.js";
import { type ChargeTrails, type ChipExposure, exposeCcdChip, type PixelList } from "./ccd.js";
import { writeCrdsCache } from "./crds-cache.js";
import { unionCards } from "./dataset-cards.js";
import {
  type ChipLayout,
  DEFAULT_DETECTOR,
  type DetectorModel,
  type DetectorName,
  detectorModel,
  type Instrument,
} from "./detectors.js";
import { mjd, type Observation, rawPrimaryHeader } from "./headers.js";
import { instrumentSetup } from "./instruments.js";
import { simulateIrExposure, writeIrReferences } from "./ir.js";
import { type ChipMaps, type HotPixel, makeChipMaps } from "./maps.js";
import { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import type { ReferenceFile } from "./reference-files.js";
import { writeCcdReferences } from "./references-ccd.js";
import { makeScene, type Scene } from "./scene.js";
import { echelleDataset } from "./stis-echelle.js";
import { longSlitDataset } from "./stis-longslit.js";
import { stisMamaDataset } from "./stis-mama-dataset.js";
import { mamaLongSlitDataset } from "./stis-mama-longslit.js";
import { stisDarkFactor, stisExposureKeywords } from "./stis-temperature.js";
import { type ExposureEvents, writeTruthFile } from "./truth.js";
import {
  trailUvisChip,
  UVIS_CTE_RAW_KEYWORDS,
  wfc3UvisTrapModel,
  writeWfc3Biacfile,
  writeWfc3Pctetab,
} from "./wfc3-cte.js";

export type { PixelList } from "./ccd.js";
export {
  type CosNuvOptions,
  cosNuvSourceProfile,
  type SimulatedCosNuv,
  STRIPE_SIGMA,
  simulateCosNuv,
} from "./cos-nuv.js";
export type { DetectorName, Instrument } from "./detectors.js";
export type { HotPixel } from "./maps.js";
export { Random } from "./random.js";

export interface SimulateOptions {
  /** IPPPSSOOT: an association name (ending in 0) gives a CR-SPLIT set, any other name one exposure. */
  dataset: string;
  out: string;
  detector?: DetectorName;
  /** Members of a CR-SPLIT association (default 2); ignored for a single exposure. */
  exposures?: number;
  seed?: number;
  /** Exposure time of each member (s); WFC3/IR takes it from the sample sequence. */
  exptime?: number;
  /** Start of the first exposure, ISO 8601 UTC (defaults are before ACS's SM4 and after WFC3's install). */
  dateObs?: string;
  /** WFC3/IR: number of non-zero reads (default 8, SPARS25). */
  nsamp?: number;
  /** WFC3/IR: seconds of signal collected between the reset and the zeroth read (default 0). */
  zeroReadSignalTime?: number;
  /** ACS/WFC only: "post-sm4" dates the data after SM4 with the DS_INT readout's electronics (acs-post-sm4.ts). */
  epoch?: "pre-sm4" | "post-sm4";
  /**
   * ACS/WFC and WFC3/UVIS: trail the raws with the simulator's pixel-based CTE model (acs-cte.ts, wfc3-cte.ts),
   * write its PCTETAB and DRKCFILE (UVIS: and BIACFILE, and the raws' CTE keywords) and set PCTECORR = PERFORM.
   * Off by default (the truth is always the charge before readout).
   */
  cte?: boolean;
  /**
   * With `cte`: false writes the CTE references, keywords and switch but leaves the raws untrailed (the bad-input
   * tests, whose runs stop before any correction, save the forward model's minute on a full UVIS frame).
   */
  cteTrails?: boolean;
  /** STIS/CCD: a first-order long-slit spectrum (G430L, 52X0.2) with its wavecal (stis-longslit.ts). */
  spectroscopic?: boolean;
  /**
   * STIS MAMA long slit: DOPPCORR = PERFORM with the on-board Doppler keywords (DOPPON, DOPPZERO, DOPPMAG,
   * ORBITPER) and a high-res flat, so that calstis smears the dark and flat (stis-mama-doppler.ts).
   */
  doppcorr?: boolean;
  /** STIS FUV-MAMA: the E140M echelle (0.2X0.06, seven orders) with its wavecal (stis-echelle.ts). */
  echelle?: boolean;
  /** ACS/WFC: an amp-corner subarray (acs-subarray.ts) instead of the full frame. */
  subarray?: AcsSubarrayName;
}

export interface SimulatedExposure {
  rootname: string;
  raw: string;
  /** Per CCDCHIP, in science (trimmed, 0-based) coordinates. */
  cosmicRays: Record<number, PixelList>;
  saturated: Record<number, PixelList>;
  /** WFC3/IR: the read index (1 … NSAMP) after which each cosmic ray of `cosmicRays` arrived. */
  jumpReads?: Record<number, Int16Array>;
}

export interface SimulatedDataset {
  instrument: Instrument;
  detector: DetectorName;
  dataset: string;
  out: string;
  /** Association table and product root (CR-SPLIT only). */
  asn?: string;
  product?: string;
  exposures: SimulatedExposure[];
  /** Keyword → path of each synthetic reference file (also the `jref$`-style directory). */
  references: Record<string, string>;
  referenceDir: string;
  crds: { root: string; context: string; mappings: string[] };
  truth: string;
  hotPixels: Record<number, HotPixel[]>;
  badColumns: Record<number, number[]>;
  /** The detector model used (gains, read noise, bias levels, full well …). */
  model: DetectorModel;
}

const INSTRUMENT_OF: Record<string, Instrument> = { j: "ACS", i: "WFC3", o: "STIS" };
const DEFAULT_DATE: Record<Instrument, string> = {
  ACS: "2002-04-13T18:16:35Z",
  WFC3: "2012-06-05T10:21:44Z",
  STIS: "2001-05-10T06:02:13Z",
};

/** A MAMA spectrum's default date: after SM4, as for MAMA imaging. */
const MAMA_SPECTRO_DATE = "2012-03-14T08:21:05Z";

export function simulateDataset(options: SimulateOptions): SimulatedDataset {
  const dataset = options.dataset.toLowerCase();
  if (!/^[ijo][a-z0-9]{8}$/.test(dataset)) {
    throw new Error(`cannot simulate '${options.dataset}': expected an ACS, WFC3 or STIS IPPPSSOOT name`);
  }
  const instrument = INSTRUMENT_OF[dataset[0]];
  if (options.detector === "SBC" && instrument !== "ACS") throw new Error("SBC is an ACS detector (a j… name)");
  if (
    options.spectroscopic &&
    (instrument !== "STIS" || !["CCD", "FUV-MAMA", "NUV-MAMA"].includes(options.detector ?? "CCD"))
  ) {
    throw new Error("spectroscopy is simulated for STIS/CCD, FUV-MAMA and NUV-MAMA only (an o… name)");
  }
  if (options.doppcorr && !(options.spectroscopic && options.detector?.endsWith("-MAMA"))) {
    throw new Error(
      "DOPPCORR is simulated for a STIS MAMA long slit only (--spectroscopic --detector FUV-MAMA|NUV-MAMA)",
    );
  }
  const isAssociation = dataset.endsWith("0");
  const count = isAssociation ? (options.exposures ?? 2) : 1;
  if (!Number.isInteger(count) || count < 1 || count > 8) throw new Error("exposures must be 1 to 8");
  const seed = options.seed ?? 1;
  const random = new Random(seed);
  const out = options.out;
  const referenceDir = join(out, "crds", "references", "hst");
  const truthDir = join(out, "truth");
  mkdirSync(referenceDir, { recursive: true });
  mkdirSync(truthDir, { recursive: true });
  if (options.detector === "SBC") return sbcDataset(options, { dataset, out, referenceDir, truthDir, count, random });
  if (options.echelle) {
    if (!(options.spectroscopic && options.detector === "FUV-MAMA"))
      throw new Error("the echelle is simulated for STIS --spectroscopic --detector FUV-MAMA only");
    const start = Date.parse(options.dateObs ?? MAMA_SPECTRO_DATE) / 1000;
    return echelleDataset({ dataset, out, referenceDir, truthDir, seed, random, start });
  }
  if (options.spectroscopic && (options.detector === "FUV-MAMA" || options.detector === "NUV-MAMA")) {
    const start = Date.parse(options.dateObs ?? MAMA_SPECTRO_DATE) / 1000;
    const { detector, doppcorr } = options;
    return mamaLongSlitDataset({ dataset, out, referenceDir, truthDir, seed, random, start, detector, doppcorr });
  }
  if (options.spectroscopic) {
    const start = Date.parse(options.dateObs ?? DEFAULT_DATE.STIS) / 1000;
    return longSlitDataset({ dataset, out, referenceDir, truthDir, splits: count, seed, random, start });
  }
  if (options.detector?.endsWith("-MAMA")) {
    if (instrument !== "STIS") throw new Error(`${options.detector} is a STIS detector (an o… name)`);
    return stisMamaDataset(options, { dataset, out, referenceDir, truthDir, count, random });
  }
  const fullModel = detectorModel(instrument, options.detector ?? DEFAULT_DETECTOR[instrument]);
  const model = options.subarray ? acsSubarrayModel(fullModel, options.subarray) : fullModel;

  const crsplit = isAssociation && count > 1 && model.detector !== "IR";
  const uvisCte = options.cte === true && model.detector === "UVIS";
  if (options.cte && !(model.instrument === "ACS" && model.detector === "WFC") && !uvisCte) {
    throw new Error(
      `CTE trails are simulated for ACS/WFC and WFC3/UVIS only, not ${model.instrument}/${model.detector}`,
    );
  }
  const cte = options.cte && !uvisCte ? acsWfcCte() : undefined;
  const uvisTraps = uvisCte ? wfc3UvisTrapModel() : undefined;
  const setup = withSubarray(
    withUvisCteKeywords(withCteSwitch(instrumentSetup(model, crsplit), options.cte === true), uvisCte),
    options.subarray,
  );
  const postSm4 = postSm4Setup(options.epoch, model, setup.extra);
  const maps = model.chips.map((chip) => makeChipMaps(model, chip, random.fork(`maps/${chip.ccdchip}`)));
  const exptime = options.exptime ?? (model.detector === "HRC" ? 300 : 400);
  const scenes = maps.map(({ chip }) =>
    makeScene({
      nx: chip.sciNx,
      ny: chip.sciNy,
      sky: model.sky,
      psfSigma: model.detector === "IR" ? 0.9 : 1.0,
      maxStarFlux: (model.fullWell / exptime) * 30,
      random: random.fork(`scene/${chip.ccdchip}`),
    }),
  );
  const referenceContext = { model, maps, seed, dir: referenceDir, ...setup };
  const references =
    model.detector === "IR"
      ? writeIrReferences(referenceContext, options.nsamp ?? 8)
      : writeCcdReferences(referenceContext);
  if (cte) references.push(writeAcsPctetab(referenceContext, cte), writeAcsDrkcfile(referenceContext));
  if (uvisTraps) {
    const pctetab = writeWfc3Pctetab(referenceContext, uvisTraps);
    references.push(pctetab, writeWfc3Biacfile(referenceContext), writeAcsDrkcfile(referenceContext));
  }

  const start = Date.parse(options.dateObs ?? (postSm4 ? POST_SM4_DATE : DEFAULT_DATE[instrument])) / 1000;
  const prefix = dataset.slice(0, 6);
  const stisSplit = instrument === "STIS" && crsplit;
  const members =
    isAssociation && !stisSplit
      ? Array.from({ length: count }, (_, i) => `${prefix}a${(i + 1).toString(36)}q`)
      : [dataset];
  const asn =
    isAssociation && !stisSplit
      ? { id: dataset, table: `${dataset}_asn.fits`, memtype: crsplit ? "EXP-CRJ" : "EXP-DTH" }
      : undefined;
  const product = isAssociation && !stisSplit ? `${dataset.slice(0, 8)}1` : undefined;

  const exposures: SimulatedExposure[] = [];
  const events: ExposureEvents[] = [];
  const chargeTrails = (chip: ChipLayout, expstart: number): ChargeTrails | undefined => {
    if (options.cteTrails === false) return undefined;
    if (cte) return (electrons) => trailChip(electrons, chip, cte, expstart);
    if (uvisTraps) return (electrons) => trailUvisChip(electrons, chip, uvisTraps, expstart);
    return undefined;
  };
  members.forEach((rootname, k) => {
    const observation = (nextend: number, exposureTime: number, extra = setup.extra): Observation => ({
      rootname,
      model,
      spectralElements: setup.spectralElements,
      aperture: setup.aperture,
      start: start + k * (exptime + 120),
      exptime: exposureTime,
      targname: "CALDP-SIM-FIELD",
      ra: 150.1163,
      dec: 2.2058,
      asn,
      crsplit: instrument === "STIS" ? (stisSplit ? count : 1) : isAssociation ? count : 1,
      nextend,
      switches: setup.switches,
      references: setup.referenceKeywords.map((keyword) => [
        keyword,
        referenceValue(model, references, setup.irrelevant, keyword),
      ]),
      extra,
    });
    const path = join(out, `${rootname}_raw.fits`);
    const exposureRandom = random.fork(`exposure/${k}`);
    if (model.detector === "IR") {
      const result = simulateIrExposure({
        model,
        maps,
        scenes,
        path,
        random: exposureRandom,
        seed,
        nsamp: options.nsamp ?? 8,
        zeroReadSignalTime: options.zeroReadSignalTime ?? 0,
        observation,
      });
      exposures.push({ rootname, raw: path, ...result.lists });
      events.push({ rootname, chips: [result.events] });
      return;
    }
    const splits = stisSplit ? count : 1;
    const imsets: {
      chip: ChipMaps["chip"];
      extver: number;
      raw: Uint16Array;
      extra?: [string, string | number | boolean, string][];
    }[] = [];
    const chipResults: { ccdchip: number; result: ChipExposure }[] = [];
    const stripes = postSm4 && makeStripes(model.chips[0].rawNy, exposureRandom.fork("stripes"));
    for (let s = 0; s < splits; s++) {
      maps.forEach((map, c) => {
        const result = exposeCcdChip(
          model,
          map,
          scenes[c].rate,
          exptime,
          // STIS: dark charge scaled by the housing temperature (as a longer dark time)
          instrument === "STIS" ? exptime * stisDarkFactor(start + s * (exptime + 60)) : exptime,
          exposureRandom.fork(`split/${s}/chip/${map.chip.ccdchip}`),
          stripes
            ? (signal) => applyPostSm4Electronics(map.chip, signal, { stripes, crossTalk: true, biasShift: true })
            : undefined,
          chargeTrails(map.chip, mjd(start + k * (exptime + 120))),
        );
        chipResults.push({ ccdchip: map.chip.ccdchip, result });
        const extra = instrument === "STIS" ? stisExposureKeywords(start + s * (exptime + 60), exptime) : undefined;
        imsets.push({ chip: map.chip, extver: s * maps.length + map.chip.extver, raw: result.raw, extra });
      });
    }
    const primary = rawPrimaryHeader(observation(3 * imsets.length, exptime));
    if (options.subarray) primary.set("SUBARRAY", true);
    const centre = options.subarray && acsSubarrayCentre(options.subarray);
    const placed = imsets.map((s) =>
      centre ? { ...s, finish: (h: Header) => h.set("CENTERA1", centre[0]).set("CENTERA2", centre[1]) } : s,
    );
    writeCcdRaw(path, primary, { rootname, model, ra: 150.1163, dec: 2.2058 }, placed);
    exposures.push({
      rootname,
      raw: path,
      cosmicRays: merge(chipResults.map((r) => [r.ccdchip, r.result.cosmicRays])),
      saturated: merge(chipResults.map((r) => [r.ccdchip, r.result.saturated])),
    });
    events.push({
      rootname,
      chips: chipResults.map((r) => ({
        ccdchip: r.ccdchip,
        cosmicRays: r.result.cosmicRays,
        saturated: r.result.saturated,
      })),
    });
  });

  let asnPath: string | undefined;
  if (asn && product) {
    asnPath = join(out, asn.table);
    const memberRows = members.map((name) => ({ name, type: asn.memtype, present: true }));
    memberRows.push({ name: product, type: crsplit ? "PROD-CRJ" : "PROD-DTH", present: true });
    writeAsnTable(asnPath, dataset, model, memberRows, "CALDP-SIM-FIELD");
  }
  const truth = join(truthDir, `${dataset}_truth.fits`);
  writeTruthFile(truth, model, scenes, maps, events);
  const crds = writeCrdsCache({
    root: join(out, "crds"),
    model,
    references,
    datasetCards: unionCards(exposures[0].raw),
  });
  return {
    instrument,
    detector: model.detector,
    dataset,
    out,
    asn: asnPath,
    product,
    exposures,
    references: Object.fromEntries(references.map((r) => [r.filekind.toUpperCase(), r.path])),
    referenceDir,
    crds,
    truth,
    hotPixels: Object.fromEntries(maps.map((m) => [m.chip.ccdchip, m.hotPixels])),
    badColumns: Object.fromEntries(maps.map((m) => [m.chip.ccdchip, m.badColumns])),
    model,
  };
}

/** ACS/SBC (acs-sbc.ts): raws, references and truth, then the CRDS cache as for the CCDs. */
function sbcDataset(
  options: SimulateOptions,
  c: { dataset: string; out: string; referenceDir: string; truthDir: string; count: number; random: Random },
): SimulatedDataset {
  const seed = options.seed ?? 1;
  const start = Date.parse(options.dateObs ?? DEFAULT_DATE.ACS) / 1000;
  const sim = simulateSbc({ ...c, exposures: c.count, seed, start, exptime: options.exptime });
  const crds = writeCrdsCache({
    root: join(c.out, "crds"),
    model: sim.model,
    references: sim.references,
    datasetCards: unionCards(sim.exposures[0].raw),
  });
  return {
    instrument: "ACS",
    detector: "SBC",
    dataset: c.dataset,
    out: c.out,
    asn: sim.asn,
    product: sim.product,
    exposures: sim.exposures,
    references: Object.fromEntries(sim.references.map((r) => [r.filekind.toUpperCase(), r.path])),
    referenceDir: c.referenceDir,
    crds,
    truth: sim.truth,
    hotPixels: { 1: sim.maps[0].hotPixels },
    badColumns: { 1: sim.maps[0].badColumns },
    model: sim.model,
  };
}

/** The CTE keywords calwf3 reads from a UVIS raw. */
function withUvisCteKeywords<T extends { extra: [string, string | number | boolean, string][] }>(
  setup: T,
  uvisCte: boolean,
): T {
  return uvisCte ? { ...setup, extra: [...setup.extra, ...UVIS_CTE_RAW_KEYWORDS] } : setup;
}

/** The subarray's aperture (APERTURE and PROPAPER). */
function withSubarray<T extends { aperture: string }>(setup: T, subarray: AcsSubarrayName | undefined): T {
  return subarray ? { ...setup, aperture: subarray } : setup;
}

/** PCTECORR = PERFORM when the raws carry CTE trails. */
function withCteSwitch<T extends { switches: [string, string][] }>(setup: T, cte: boolean): T {
  if (!cte) return setup;
  return {
    ...setup,
    switches: setup.switches.map(([k, v]): [string, string] => [k, k === "PCTECORR" ? "PERFORM" : v]),
  };
}

function referenceValue(
  model: DetectorModel,
  references: ReferenceFile[],
  irrelevant: Set<string>,
  keyword: string,
): string {
  const filekind = keyword.toLowerCase();
  const reference = references.find((r) => r.filekind === filekind);
  return reference && !irrelevant.has(filekind) ? `${model.refPrefix}${reference.name}` : "N/A";
}

/** Concatenates the lists of the same chip (STIS CR-SPLIT imsets share a chip). */
function merge(entries: [number, PixelList][]): Record<number, PixelList> {
  const out: Record<number, PixelList> = {};
  for (const [chip, list] of entries) {
    const have = out[chip];
    out[chip] = have
      ? {
          x: Int32Array.from([...have.x, ...list.x]),
          y: Int32Array.from([...have.y, ...list.y]),
          value: Float32Array.from([...have.value, ...list.value]),
        }
      : list;
  }
  return out;
}

export type { Scene };
