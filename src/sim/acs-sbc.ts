/**
 * ACS/SBC (MAMA) simulation (calibration.md §2.0, §2.11, §2.13): a 1024 × 1024 photon-counting detector
 * (counts = DN, no bias, no read noise, no overscan). Each pixel counts Poisson((scene·flat + dark)·t),
 * lowered by the global dead time (observed = true·exp(−τ·X), X the detector's true total rate, written
 * as GLOBRATE); 16-bit counters stop at 65535. References: DARKFILE, PFLTFILE, BPIXTAB, IMPHTTAB rows
 * for SBC, and an MLINTAB row (GLOBAL_LIMIT, LOCAL_LIMIT, TAU, EXPAND). A name ending in 0 is an
 * RPT-OBS association (EXP-RPT members, a PROD-RPT product summed into `_sfl`).
 */
import { join } from "node:path";
import { Header } from "../fits/index.js";
import { writeAsnTable } from "./asn.js";
import type { DetectorModel } from "./detectors.js";
import { type Observation, rawPrimaryHeader } from "./headers.js";
import { mamaChipLayout } from "./mama-layout.js";
import { makeChipMaps } from "./maps.js";
import type { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import { referencePrimary, writeTableFile } from "./reference-files.js";
import { ref, writeCcdReferences } from "./references-ccd.js";
import { makeScene } from "./scene.js";
import { writeTruthFile } from "./truth.js";

/** The synthetic MLINTAB row (counts/s, s, pixels); GLOBAL_LIMIT is above the simulated fields' rates. */
export const SBC_MLIN = { GLOBAL_LIMIT: 1.0e6, LOCAL_LIMIT: 50, TAU: 4.0e-8, EXPAND: 1.5 } as const;
export const SBC_EXPTIME = 1000;
export const SBC_SKY = 0.4;
const COUNTER_MAX = 65535;

export function acsSbcModel(): DetectorModel {
  const chip = mamaChipLayout();
  return {
    instrument: "ACS",
    detector: "SBC",
    chips: [chip],
    ccdamp: "N/A",
    ccdgain: 1,
    fullWell: COUNTER_MAX,
    atodsat: COUNTER_MAX,
    darkRate: 1e-4,
    crRate: 0,
    pixelScale: 0.032,
    sky: SBC_SKY,
    refPrefix: "jref$",
    refLetter: "j",
    useAfter: "2002-03-01 00:00:00",
  };
}

export interface SbcOptions {
  dataset: string;
  out: string;
  referenceDir: string;
  truthDir: string;
  /** Members of an RPT-OBS association (default 2). */
  exposures: number;
  random: Random;
  seed: number;
  /** Start, seconds since 1970. */
  start: number;
  exptime?: number;
  /** Dead time and the GLINCORR / LFLGCORR switches (default on). */
  nonlinearity?: boolean;
}

const SWITCHES = (rpt: boolean, nonlin: boolean): [string, string][] => {
  const p = (on: boolean) => (on ? "PERFORM" : "OMIT");
  return [
    ["DQICORR", "PERFORM"],
    ["ATODCORR", "OMIT"],
    ["BLEVCORR", "OMIT"],
    ["BIASCORR", "OMIT"],
    ["FLSHCORR", "OMIT"],
    ["CRCORR", "OMIT"],
    ["EXPSCORR", "OMIT"],
    ["SHADCORR", "OMIT"],
    ["PCTECORR", "OMIT"],
    ["SINKCORR", "OMIT"],
    ["DARKCORR", "PERFORM"],
    ["FLATCORR", "PERFORM"],
    ["PHOTCORR", "PERFORM"],
    ["RPTCORR", p(rpt)],
    ["DRIZCORR", "OMIT"],
    ["GLINCORR", p(nonlin)],
    ["LFLGCORR", p(nonlin)],
  ];
};

// calacs.e needs DFLTFILE and LFLTFILE in the header whenever FLATCORR is PERFORM ('N/A' when unused).
const REFERENCE_KEYWORDS = ["BPIXTAB", "CCDTAB", "OSCNTAB", "BIASFILE", "CRREJTAB", "DARKFILE", "PFLTFILE"].concat([
  "DFLTFILE",
  "LFLTFILE",
  "IMPHTTAB",
  "MLINTAB",
]);

function writeMlintab(c: { model: DetectorModel; seed: number; dir: string }) {
  const r = ref(c, "mlintab");
  const columns = [
    { name: "DETECTOR", data: ["SBC"] },
    { name: "GLOBAL_LIMIT", data: Float64Array.of(SBC_MLIN.GLOBAL_LIMIT) },
    { name: "LOCAL_LIMIT", data: Float64Array.of(SBC_MLIN.LOCAL_LIMIT) },
    { name: "TAU", data: Float64Array.of(SBC_MLIN.TAU) },
    { name: "EXPAND", data: Float32Array.of(SBC_MLIN.EXPAND) },
    { name: "PEDIGREE", data: ["MODEL"] },
    { name: "DESCRIP", data: ["synthetic MAMA linearity limits"] },
  ];
  const primary = referencePrimary(c.model, "MAMA LINEARITY", "Synthetic MAMA linearity table", new Header());
  writeTableFile(r.path, primary, [{ columns }]);
  return r;
}

/** Counts of one exposure: Poisson of the observed rate × t, stopped at the counter's limit. */
function exposeSbc(rate: Float32Array, exptime: number, random: Random): Uint16Array {
  const raw = new Uint16Array(rate.length);
  for (let k = 0; k < rate.length; k++) raw[k] = Math.min(COUNTER_MAX, random.poisson(rate[k]! * exptime));
  return raw;
}

export function simulateSbc(o: SbcOptions) {
  const model = acsSbcModel();
  const nonlin = o.nonlinearity ?? true;
  const exptime = o.exptime ?? SBC_EXPTIME;
  const association = o.dataset.endsWith("0");
  const count = association ? o.exposures : 1;
  const chip = model.chips[0]!;
  const maps = [makeChipMaps(model, chip, o.random.fork("maps/1"))];
  const scene = makeScene({
    nx: chip.sciNx,
    ny: chip.sciNy,
    sky: model.sky,
    psfSigma: 1.2,
    maxStarFlux: 3000,
    random: o.random.fork("scene/1"),
  });
  const spectralElements = { FILTER1: "F122M", FILTER2: "N/A" };
  const context = { model, maps, seed: o.seed, dir: o.referenceDir, spectralElements, aperture: "SBC" };
  const references = [
    ...writeCcdReferences(context, ["darkfile", "pfltfile", "bpixtab", "imphttab"]),
    writeMlintab(context),
  ];
  // The true rate each pixel sees (flat and dark included), and the detector's total.
  const { flat, dark } = maps[0]!;
  const trueRate = new Float32Array(scene.rate.length);
  let total = 0;
  for (let k = 0; k < trueRate.length; k++) {
    trueRate[k] = scene.rate[k]! * flat[k]! + dark[k]!;
    total += trueRate[k]!;
  }
  const factor = nonlin ? Math.exp(-SBC_MLIN.TAU * total) : 1;
  const observed = trueRate.map((r) => r * factor);
  const globrate = total * factor;

  const prefix = o.dataset.slice(0, 6);
  const members = association
    ? Array.from({ length: count }, (_, i) => `${prefix}a${(i + 1).toString(36)}q`)
    : [o.dataset];
  const asn = association ? { id: o.dataset, table: `${o.dataset}_asn.fits`, memtype: "EXP-RPT" } : undefined;
  const product = association ? `${o.dataset.slice(0, 8)}1` : undefined;
  const names = new Map(references.map((r) => [r.filekind.toUpperCase(), r.name]));
  const exposures = members.map((rootname, k) => {
    const observation: Observation = {
      rootname,
      model,
      spectralElements,
      aperture: "SBC",
      start: o.start + k * (exptime + 60),
      exptime,
      targname: "CALDP-SIM-FIELD",
      ra: 150.1163,
      dec: 2.2058,
      asn,
      crsplit: 1,
      nextend: 3,
      switches: SWITCHES(association, nonlin),
      references: REFERENCE_KEYWORDS.map((kw) => [kw, names.has(kw) ? `jref$${names.get(kw)}` : "N/A"]),
      extra: [],
    };
    const primary = rawPrimaryHeader(observation);
    primary.set("NRPTEXP", count);
    const raw = exposeSbc(observed, exptime, o.random.fork(`exposure/${k}`));
    const path = join(o.out, `${rootname}_raw.fits`);
    const extra: [string, number, string][] = [["GLOBRATE", globrate, "global count rate (counts/s)"]];
    writeCcdRaw(path, primary, { rootname, model, ra: 150.1163, dec: 2.2058 }, [{ chip, extver: 1, raw, extra }]);
    return { rootname, raw: path, cosmicRays: {}, saturated: {} };
  });
  let asnPath: string | undefined;
  if (asn && product) {
    asnPath = join(o.out, asn.table);
    const rows = members.map((name) => ({ name, type: asn.memtype, present: true }));
    rows.push({ name: product, type: "PROD-RPT", present: true });
    writeAsnTable(asnPath, o.dataset, model, rows, "CALDP-SIM-FIELD");
  }
  const truth = join(o.truthDir, `${o.dataset}_truth.fits`);
  const none = { x: new Int32Array(0), y: new Int32Array(0), value: new Float32Array(0) };
  writeTruthFile(
    truth,
    model,
    [scene],
    maps,
    members.map((rootname) => ({ rootname, chips: [{ ccdchip: 1, cosmicRays: none, saturated: none }] })),
  );
  return { model, maps, exposures, asn: asnPath, product, references, truth, globrate };
}
