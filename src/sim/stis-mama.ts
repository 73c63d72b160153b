/**
 * STIS MAMA imaging simulation (FUV-MAMA, NUV-MAMA): a 1024 × 1024 low-res ACCUM image (LTM 1, as the
 * MAMAs bin their 2048² high-res pixels on board), photon counting (counts = DN, no bias, no read noise).
 * Each pixel counts Poisson((scene·P·L + dark·k)·t) (the common scene dimmed to stay below the 16-bit counter), lowered by the global dead time (observed =
 * true·exp(−τ·X), X the detector's total rate, written as GLOBRATE); k is the NUV-MAMA's TDCTAB dark-rate
 * factor; the NUV's PFLTFILE and the FUV's DARKFILE are high-res (2048²), binned by calstis. A name ending in 0 holds NRPTEXP repeated image sets (RPTCORR, summed by calstis8 into `_sfl`).
 * References in their real formats: DARKFILE, PFLTFILE, LFLTFILE (a 64 × 64 low-order flat that
 * calstis expands), BPIXTAB, MLINTAB, TDCTAB (NUV, post-SM4 columns) and IMPHTTAB rows for the MAMA.
 */
import { join } from "node:path";
import type { DetectorModel, DetectorName } from "./detectors.js";
import { mjd, type Observation, rawPrimaryHeader } from "./headers.js";
import { mamaChipLayout } from "./mama-layout.js";
import { HOT_PIXEL_THRESHOLD, makeChipMaps } from "./maps.js";
import type { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import { writeCcdReferences } from "./references-ccd.js";
import { makeScene } from "./scene.js";
import { expandLowOrder, lowOrderFlat, TDC, writeExtraReferences, writeHighRes } from "./stis-mama-reference-images.js";
import { STIS_MAMA_LINEARITY } from "./stis-mama-references.js";
import { writeTruthFile } from "./truth.js";

export type MamaDetector = Extract<DetectorName, "FUV-MAMA" | "NUV-MAMA">;
export const MAMA_EXPTIME = 600;
export const COUNTER_MAX = 65535;
const OM2CAT = 36.5;

export function stisMamaModel(detector: MamaDetector): DetectorModel {
  const chip = mamaChipLayout();
  return {
    instrument: "STIS",
    detector,
    chips: [chip],
    ccdamp: "N/A",
    ccdgain: 1,
    fullWell: COUNTER_MAX,
    atodsat: COUNTER_MAX,
    darkRate: detector === "NUV-MAMA" ? 1.2e-3 : 1e-5,
    crRate: 0,
    pixelScale: 0.0246,
    sky: detector === "NUV-MAMA" ? 0.05 : 0.01,
    refPrefix: "oref$",
    refLetter: "o",
    useAfter: "1997-01-01 00:00:00",
  };
}

export interface MamaOptions {
  dataset: string;
  detector: MamaDetector;
  out: string;
  referenceDir: string;
  truthDir: string;
  random: Random;
  seed: number;
  /** Start, seconds since 1970. */
  start: number;
  exptime?: number;
  /** Repeated image sets in the one raw (NRPTEXP, RPTCORR = PERFORM when more than one); default 1. */
  repeats?: number;
}

const SWITCHES: [string, string][] = [
  ["DQICORR", "PERFORM"],
  ["ATODCORR", "OMIT"],
  ["BLEVCORR", "OMIT"],
  ["BIASCORR", "OMIT"],
  ["CRCORR", "OMIT"],
  ["RPTCORR", "OMIT"],
  ["EXPSCORR", "OMIT"],
  ["DARKCORR", "PERFORM"],
  ["FLATCORR", "PERFORM"],
  ["SHADCORR", "OMIT"],
  ["PHOTCORR", "PERFORM"],
  ["LORSCORR", "PERFORM"],
  ["GLINCORR", "PERFORM"],
  ["LFLGCORR", "PERFORM"],
  ["DOPPCORR", "OMIT"],
  ["GEOCORR", "OMIT"],
];

const REFERENCE_KEYWORDS = ["BPIXTAB", "DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "IMPHTTAB", "MLINTAB"].concat([
  "TDCTAB",
  "TDSTAB",
]);

/**
 * The TDCTAB's factor for the simulated dark: modelled rate at EXPSTART over the mean of the dark's good pixels
 * (the hot ones are flagged in its DQ and left out, as calstis does).
 */
export function tdcScale(dark: Float32Array, expstart: number): number {
  let sum = 0;
  let n = 0;
  for (const v of dark) {
    if (v > HOT_PIXEL_THRESHOLD) continue;
    sum += v;
    n++;
  }
  const dt = OM2CAT - TDC.TEMP0;
  const rate = TDC.A1 * Math.exp(-(expstart - TDC.DATE0) / TDC.D1) + TDC.TA + TDC.TB * dt + TDC.TC * dt * dt;
  return rate / (sum / n);
}

/** The SCI keywords of a MAMA exposure: its times, GLOBRATE (counts/s) and the NUV-MAMA's temperature. */
export function mamaExposureKeywords(detector: MamaDetector, start: number, exptime: number, globrate: number) {
  const iso = new Date(Math.round(start) * 1000).toISOString();
  const extra: [string, string | number, string][] = [
    ["DATE-OBS", iso.slice(0, 10), "UT date of start of observation (yyyy-mm-dd)"],
    ["TIME-OBS", iso.slice(11, 19), "UT time of start of observation (hh:mm:ss)"],
    ["EXPSTART", mjd(start), "exposure start time (Modified Julian Date)"],
    ["EXPEND", mjd(start + exptime), "exposure end time (Modified Julian Date)"],
    ["EXPTIME", exptime, "exposure duration (seconds)--calculated"],
    ["GLOBRATE", globrate, "global count rate (counts/s)"],
    ...(detector === "NUV-MAMA" ? [["OM2CAT", OM2CAT, "NUV-MAMA temperature (degC)"] as [string, number, string]] : []),
  ];
  return extra;
}

export function simulateStisMama(o: MamaOptions) {
  const model = stisMamaModel(o.detector);
  const exptime = o.exptime ?? MAMA_EXPTIME;
  const chip = model.chips[0]!;
  const maps = [makeChipMaps(model, chip, o.random.fork("maps/1"))];
  const scene = makeScene({
    nx: chip.sciNx,
    ny: chip.sciNy,
    sky: model.sky,
    psfSigma: 1.1,
    maxStarFlux: 400,
    random: o.random.fork("scene/1"),
  });
  // The common scene dimmed so that no pixel reaches the 16-bit counter; the FUV's brightest galaxy cores stay
  // above its MLINTAB LOCAL_LIMIT (flagged by LFLGCORR). The truth is the dimmed scene.
  const dim = o.detector === "NUV-MAMA" ? 1 / 50 : 1 / 20;
  for (let k = 0; k < scene.rate.length; k++) scene.rate[k] = model.sky + (scene.rate[k]! - model.sky) * dim;
  const spectralElements = { OPT_ELEM: "MIRROR" };
  const aperture = o.detector === "NUV-MAMA" ? "25MAMA" : "F25SRF2";
  const context = { model, maps, seed: o.seed, dir: o.referenceDir, spectralElements, aperture };
  const lflt = lowOrderFlat(o.random.fork("lflt"));
  const references = [
    ...writeCcdReferences(context, ["darkfile", "pfltfile", "bpixtab", "imphttab"]),
    ...writeExtraReferences(context, lflt),
  ];
  writeHighRes(context, maps[0]!, o.detector === "NUV-MAMA" ? "pfltfile" : "darkfile");
  const { flat, dark } = maps[0]!;
  const low = expandLowOrder(lflt, chip.sciNx);
  const tau = STIS_MAMA_LINEARITY.find((r) => r.DETECTOR === o.detector)!.TAU;
  const repeats = o.repeats ?? 1;
  /** One repeat's counts and SCI keywords: Poisson of the dead-time-lowered rate, its own EXPSTART. */
  const expose = (r: number) => {
    const start = o.start + r * (exptime + 60);
    const darkScale = o.detector === "NUV-MAMA" ? tdcScale(dark, mjd(start)) : 1;
    const trueRate = new Float32Array(scene.rate.length);
    let total = 0;
    for (let k = 0; k < trueRate.length; k++) {
      trueRate[k] = scene.rate[k]! * flat[k]! * low[k]! + dark[k]! * darkScale;
      total += trueRate[k]!;
    }
    const factor = Math.exp(-tau * total);
    const raw = new Uint16Array(trueRate.length);
    const counts = o.random.fork(`exposure/${r}`);
    for (let k = 0; k < raw.length; k++)
      raw[k] = Math.min(COUNTER_MAX, counts.poisson(trueRate[k]! * factor * exptime));
    const extra = mamaExposureKeywords(o.detector, start, exptime, total * factor);
    return { chip, extver: r + 1, raw, extra, globrate: total * factor, darkScale };
  };
  const imsets = Array.from({ length: repeats }, (_, r) => expose(r));
  const names = new Map(references.map((r) => [r.filekind.toUpperCase(), r.name]));
  const rootname = o.dataset;
  const observation: Observation = {
    rootname,
    model,
    spectralElements,
    aperture,
    start: o.start,
    exptime,
    targname: "CALDP-SIM-FIELD",
    ra: 150.1163,
    dec: 2.2058,
    crsplit: 1,
    nextend: 3 * repeats,
    switches: SWITCHES.map(([k, v]) => [k, k === "RPTCORR" && repeats > 1 ? "PERFORM" : v]),
    references: REFERENCE_KEYWORDS.map((kw) => [kw, names.has(kw) ? `oref$${names.get(kw)}` : "N/A"]),
    extra: [],
  };
  const primary = rawPrimaryHeader(observation);
  primary.set("NRPTEXP", repeats);
  primary.set("TEXPTIME", exptime * repeats);
  const path = join(o.out, `${rootname}_raw.fits`);
  writeCcdRaw(path, primary, { rootname, model, ra: 150.1163, dec: 2.2058 }, imsets);
  const { globrate, darkScale } = imsets[0]!;
  const truth = join(o.truthDir, `${o.dataset}_truth.fits`);
  const none = { x: new Int32Array(0), y: new Int32Array(0), value: new Float32Array(0) };
  writeTruthFile(truth, model, [scene], maps, [
    { rootname, chips: [{ ccdchip: 1, cosmicRays: none, saturated: none }] },
  ]);
  return {
    model,
    maps,
    exposures: [{ rootname, raw: path, cosmicRays: {}, saturated: {} }],
    references,
    truth,
    globrate,
    darkScale,
  };
}
