/**
 * A COS FUV TIME-TAG exposure of a point source through G130M/1291 (`l…` datasets): `_rawtag_a` and
 * `_rawtag_b` (primary header as real raws have it, EVENTS table TIME/RAWX/RAWY/PHA, GTI table), and the FUV
 * references (cos-fuv-references.ts). Each segment has the source spectrum on its PSA row, a background over
 * its active area, a dark rate over the whole detector and the two stim pulses; PHA per event (some beyond
 * the PHATAB limits). The switches calibrated natively are PERFORM, the others OMIT.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Header } from "../fits/index.js";
import { FUV_FLUX_MODE, writeCosFluxTables } from "./cos-flux-tables.js";
import { burstEvents, concatParts, writeBrsttab } from "./cos-fuv-bursts.js";
import { COS_FUV_FLASHES, withFuvFlashes, writeFuvWavecalTables } from "./cos-fuv-flashes.js";
import { distortedPosition, writeCosFuvGeoReferences } from "./cos-fuv-geo.js";
import {
  ACTIVE_AREA,
  FUV_EXPSTART,
  FUV_SEGMENTS,
  FUV_X,
  FUV_Y,
  type FuvSegment,
  HV_LEVEL,
  SPECTRUM_ROWS,
  STIMS,
  writeCosFuvReferences,
} from "./cos-fuv-references.js";
import { setFlashCards } from "./cos-nuv-flashes.js";
import { type CosRawEvents, cosEventsHeader, cosRawPrimary, timeOrder, writeCosRawtag } from "./cos-rawtag.js";
import { cosReferenceName, cosReferencePrimary } from "./cos-references.js";
import { Random } from "./random.js";

export interface CosFuvOptions {
  dataset: string;
  out: string;
  seed?: number;
  /** Source events per second and segment (default 1500); background (300) and dark (40) likewise. */
  sourceRate?: number;
  backgroundRate?: number;
  darkRate?: number;
  /**
   * Geometric distortion in the raws, GEOFILE and DGEOFILE among the references, and RANDCORR, GEOCORR and
   * DGEOCORR PERFORM with RANDSEED = `randSeed` (default 1234567); IGEOCORR PERFORM on segment A, OMIT on B.
   */
  geometry?: boolean;
  randSeed?: number;
  /** Bursts in the events (cos-fuv-bursts.ts), the BRSTTAB among the references and BRSTCORR PERFORM. */
  bursts?: boolean;
  /** TAGFLASH=AUTO lamp flashes on both segments (cos-fuv-flashes.ts), LAMPTAB/WCPTAB and WAVECORR PERFORM. */
  tagflash?: boolean;
  /** XTRCTALG = BOXCAR, FLUXTAB/TDSTAB (cos-flux-tables.ts) and X1DCORR, BACKCORR, FLUXCORR, TDSCORR, HELCORR PERFORM. */
  x1d?: boolean;
}

export interface SimulatedCosFuv {
  rawtags: Record<FuvSegment, string>;
  referenceDir: string;
  references: Record<string, string>;
  events: Record<FuvSegment, number>;
  gti: [number, number][];
}

export const FUV_PROFILE_SIGMA = 4;
const STIM_RATE = 30;
/** Stim drift, pixels per second. */
const THERMAL_DRIFT = 0.01;
const EXPSTART = FUV_EXPSTART;
const GTI: [number, number][] = [
  [0, 130],
  [150, 280],
];
const P = "PERFORM";
const O = "OMIT";
export const COS_FUV_SWITCHES: [string, string][] = [
  ["FLATCORR", P],
  ["DEADCORR", P],
  ["DQICORR", P],
  ["STATFLAG", "F"],
  ["BADTCORR", P],
  ["RANDCORR", O],
  ["TEMPCORR", P],
  ["GEOCORR", O],
  ["IGEOCORR", O],
  ["DGEOCORR", O],
  ["XWLKCORR", P],
  ["YWLKCORR", P],
  ["PHACORR", P],
  ["DOPPCORR", P],
  ["HELCORR", O],
  ["X1DCORR", O],
  ["BACKCORR", O],
  ["WAVECORR", O],
  ["FLUXCORR", O],
  ["BRSTCORR", O],
  ["TDSCORR", O],
  ["PHOTCORR", O],
  ["TRCECORR", O],
  ["ALGNCORR", O],
];
const GEOMETRY_SWITCHES = ["RANDCORR", "GEOCORR", "IGEOCORR", "DGEOCORR"];
const X1D_SWITCHES = ["X1DCORR", "BACKCORR", "FLUXCORR", "TDSCORR", "HELCORR"];
type Choices = { geometry: boolean; bursts: boolean; x1d: boolean };
const switchesFor = ({ geometry, bursts, x1d }: Choices): [string, string][] =>
  COS_FUV_SWITCHES.map(([k, v]) => [
    k,
    (geometry && GEOMETRY_SWITCHES.includes(k)) || (bursts && k === "BRSTCORR") || (x1d && X1D_SWITCHES.includes(k))
      ? P
      : v,
  ]);
const OTHER_REFERENCES = ["GEOFILE", "DGEOFILE", "PHAFILE", "BRSTTAB", "IMPHTTAB", "SPWCSTAB"]
  .concat(["SPOTTAB", "TRACETAB", "PROFTAB", "TWOZXTAB"])
  .concat(["LAMPTAB", "WCPTAB", "FLUXTAB", "TDSTAB"]);

export function simulateCosFuv(options: CosFuvOptions): SimulatedCosFuv {
  const dataset = options.dataset.toLowerCase();
  const seed = options.seed ?? 1;
  const random = new Random(`cos-fuv/${seed}`);
  const referenceDir = join(options.out, "crds", "references", "hst");
  mkdirSync(referenceDir, { recursive: true });
  const names = writeCosFuvReferences(referenceDir, seed, random.fork("references"));
  // the optional references' names, distinct from the base set's
  const extraName = (suffix: string) => cosReferenceName(seed + 7919, `fuv${suffix}`).replace("_fuv", "_");
  const fuvPrimary = (filetype: string, descrip: string) => cosReferencePrimary("FUV", filetype, descrip);
  const geometry = options.geometry ?? false;
  const bursts = options.bursts ?? false;
  if (bursts) {
    const brsttab = extraName("brst");
    Object.assign(names, { BRSTTAB: brsttab });
    const primary = cosReferencePrimary("FUV", "BURST PARAMETERS TABLE", "synthetic FUV burst screening");
    writeBrsttab(join(referenceDir, brsttab), primary, new Header().set("EXTNAME", "BRSTTAB"));
  }
  if (geometry) {
    Object.assign(names, { GEOFILE: extraName("geo"), DGEOFILE: extraName("dgeo") });
    writeCosFuvGeoReferences(
      { GEOFILE: join(referenceDir, names.GEOFILE), DGEOFILE: join(referenceDir, names.DGEOFILE) },
      fuvPrimary,
    );
  }
  const tagflash = options.tagflash ?? false;
  if (tagflash) {
    Object.assign(names, { LAMPTAB: extraName("lamp"), WCPTAB: extraName("wcp") });
    writeFuvWavecalTables(referenceDir, names as typeof names & { LAMPTAB: string; WCPTAB: string }, fuvPrimary);
  }
  const x1d = options.x1d ?? false;
  if (x1d) {
    Object.assign(names, { FLUXTAB: extraName("phot"), TDSTAB: extraName("tds") });
    const flux = names as typeof names & { FLUXTAB: string; TDSTAB: string };
    writeCosFluxTables(referenceDir, flux, fuvPrimary, FUV_FLUX_MODE);
  }
  const rates = { source: options.sourceRate ?? 1500, background: options.backgroundRate ?? 300 };
  const exptime = GTI.reduce((sum, [a, b]) => sum + b - a, 0);
  const rawtags = {} as Record<FuvSegment, string>;
  const counts = {} as Record<FuvSegment, number>;
  for (const segment of FUV_SEGMENTS) {
    const rateOf = { ...rates, dark: options.darkRate ?? 40 };
    const burstRandom = bursts ? random.fork(`${segment}/bursts`) : undefined;
    const science = simulateEvents(random.fork(segment), segment, rateOf, geometry, burstRandom);
    const events = tagflash ? withFuvFlashes(science, random.fork(`${segment}/flashes`), segment) : science;
    const path = join(options.out, `${dataset}_rawtag_${segment.slice(-1).toLowerCase()}.fits`);
    const eventsCards = eventsHeader(dataset, segment, exptime, events.time.length);
    const primary = rawPrimary(dataset, segment, names, { geometry, bursts, x1d });
    if (x1d) primary.set("XTRCTALG", "BOXCAR", { comment: "type of spectral extraction -- boxcar or twozone" });
    if (tagflash) {
      setFlashCards(eventsCards, COS_FUV_FLASHES);
      primary.set("TAGFLASH", "AUTO").set("WAVECORR", "PERFORM").set("LAMPUSED", "P1");
      primary.set("LAMPPLAN", "P1", { comment: "lamp expected to be used, NONE or lamp name" });
    }
    if (geometry) primary.set("RANDSEED", options.randSeed ?? 1234567, { comment: "seed for random number generator" });
    // segment B takes the nearest distortion pixel: both of calcos' interpolation modes in one exposure
    if (geometry && segment === "FUVB") primary.set("IGEOCORR", "OMIT");
    writeCosRawtag(path, primary, eventsCards, events, GTI);
    rawtags[segment] = path;
    counts[segment] = events.time.length;
  }
  const references = Object.fromEntries(Object.entries(names).map(([k, v]) => [k, join(referenceDir, v)]));
  return { rawtags, referenceDir, references, events: counts, gti: GTI };
}

/** The truth spectrum: relative source intensity at detector column x of a segment (continuum, two lines). */
export function cosFuvSourceProfile(segment: FuvSegment, x: number): number {
  const c = segment === "FUVA" ? [5200, 11800] : [4300, 9800];
  const line = 1 - 0.8 * Math.exp(-(((x - c[0]) / 9) ** 2)) - 0.6 * Math.exp(-(((x - c[1]) / 14) ** 2));
  return line * (0.55 + 0.45 * Math.sin((Math.PI * x) / FUV_X));
}

type RawEvents = CosRawEvents;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function simulateEvents(
  random: Random,
  segment: FuvSegment,
  rates: { source: number; background: number; dark: number },
  geometry: boolean,
  burstRandom?: Random,
): RawEvents {
  const area = ACTIVE_AREA[segment];
  const stims = STIMS[segment];
  const total = rates.source + rates.background + rates.dark + 2 * STIM_RATE;
  const parts = GTI.map(([start, stop]) => {
    const n = random.poisson(total * (stop - start));
    const part = { t: new Float64Array(n), x: new Int16Array(n), y: new Int16Array(n), p: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      part.t[i] = start + random.uniform() * (stop - start);
      const kind = random.uniform() * total;
      let pha = Math.round(12 + 3.5 * random.normal());
      if (kind < rates.source) {
        part.x[i] = sourceColumn(random, segment, area.left, area.right);
        part.y[i] = Math.round(SPECTRUM_ROWS[segment].psa + FUV_PROFILE_SIGMA * random.normal());
      } else if (kind < rates.source + rates.background) {
        part.x[i] = area.left + random.int(area.right - area.left + 1);
        part.y[i] = area.low + random.int(area.high - area.low + 1);
      } else if (kind < rates.source + rates.background + rates.dark) {
        part.x[i] = random.int(FUV_X);
        part.y[i] = random.int(FUV_Y);
        pha = random.int(32);
      } else {
        // the detector warms: the stims drift apart (what TEMPCORR measures and takes out)
        const s = random.uniform() < 0.5 ? 0 : 2;
        const drift = (s === 0 ? -1 : 1) * THERMAL_DRIFT * part.t[i];
        part.x[i] = Math.round(stims[s] - 0.5 + drift + 1.2 * random.normal());
        part.y[i] = Math.round(stims[s + 1] - 0.5 - 0.3 * drift + 1.2 * random.normal());
        pha = 20 + random.int(12);
      }
      if (geometry && kind < rates.source + rates.background + rates.dark) {
        // anywhere within the pixel, then distorted, then binned: rounding twice would bias by up to half a pixel
        const [x, y] = distortedPosition(
          segment,
          part.x[i] + random.uniform() - 0.5,
          part.y[i] + random.uniform() - 0.5,
        );
        part.x[i] = Math.round(x);
        part.y[i] = Math.round(y);
      }
      part.x[i] = clamp(part.x[i], 0, FUV_X - 1);
      part.y[i] = clamp(part.y[i], 0, FUV_Y - 1);
      part.p[i] = clamp(pha, 0, 31);
    }
    return burstRandom ? concatParts([part, burstEvents(burstRandom, area, start, stop)]) : part;
  });
  const n = parts.reduce((sum, p) => sum + p.t.length, 0);
  const events: RawEvents = {
    time: new Float32Array(n),
    rawx: new Int16Array(n),
    rawy: new Int16Array(n),
    pha: new Uint8Array(n),
  };
  let k = 0;
  for (const [g, { t, x, y, p }] of parts.entries()) {
    for (const i of timeOrder(t, GTI[g][0], GTI[g][1])) {
      events.time[k] = t[i];
      events.rawx[k] = x[i];
      events.rawy[k] = y[i];
      events.pha[k++] = p[i];
    }
  }
  return events;
}

function sourceColumn(random: Random, segment: FuvSegment, left: number, right: number): number {
  for (;;) {
    const x = left + random.int(right - left + 1);
    if (random.uniform() < cosFuvSourceProfile(segment, x)) return x;
  }
}

function rawPrimary(dataset: string, segment: FuvSegment, names: Record<string, string>, choices: Choices): Header {
  return cosRawPrimary({
    dataset,
    filename: `${dataset}_rawtag_${segment.slice(-1).toLowerCase()}.fits`,
    detector: "FUV",
    segment,
    cenwave: 1291,
    optElem: "G130M",
    switches: switchesFor(choices),
    otherReferences: OTHER_REFERENCES.filter((k) => !(k in names)),
    names,
  });
}

function eventsHeader(dataset: string, segment: FuvSegment, exptime: number, nevents: number): Header {
  const s = segment.slice(-1);
  return cosEventsHeader({
    dataset,
    sdqflags: 8346,
    expstart: EXPSTART,
    gti: GTI,
    exptime,
    nevents,
    afterExptime: [[`EXPTIME${s}`, exptime, `exposure time of segment ${s}`]],
    afterNevents: [
      [`DEVENT${s}`, nevents / exptime, `digital event counter, segment ${s} (counts/s)`],
      [`FEVENT${s}`, nevents / exptime, `fast event counter, segment ${s} (counts/s)`],
      [`HVLEVEL${s}`, HV_LEVEL[segment], `high voltage level, segment ${s}`],
      ["STIMRATE", 2 * STIM_RATE, "approximate stim pulse rate (counts/s)"],
    ],
    subarraySize: 0,
  });
}
