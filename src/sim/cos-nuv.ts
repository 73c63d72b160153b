/**
 * A COS NUV TIME-TAG exposure of a point source (`l…` datasets): the `_rawtag` (primary header as real raws
 * have it, EVENTS table TIME/RAWX/RAWY/PHA, GTI table) and its references. The spectrum falls on the three
 * NUV stripes; a flat background covers the detector. Switches calibrated natively are PERFORM (DQICORR,
 * DEADCORR, FLATCORR, DOPPCORR, WAVECORR, HELCORR, X1DCORR, BACKCORR, FLUXCORR, TDSCORR); the others are OMIT,
 * so calcos and the native engine do the same thing.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Card, FitsWriter, Header } from "../fits/index.js";
import { driftAt, mergeEvents, setFlashCards, simulateFlashEvents } from "./cos-nuv-flashes.js";
import { COS_USEAFTER, NUV_SIZE, NUV_STRIPE_ROWS, writeCosNuvReferences } from "./cos-references.js";
import { type CrdsCache, writeCrdsCache } from "./crds-cache.js";
import { Random } from "./random.js";

export interface CosNuvOptions {
  dataset: string;
  out: string;
  seed?: number;
  /** Source events per second (default 600) and background events per second (default 60). */
  sourceRate?: number;
  backgroundRate?: number;
  /** TAGFLASH=AUTO lamp flashes (cos-nuv-flashes.ts), the spectrum drifting between them. */
  tagflash?: boolean;
}

export interface SimulatedCosNuv {
  rawtag: string;
  referenceDir: string;
  references: Record<string, string>;
  events: number;
  /** Good time intervals (s since EXPSTART). */
  gti: [number, number][];
  crds: CrdsCache;
}

/** Cross-dispersion sigma of each stripe, pixels. */
export const STRIPE_SIGMA = 3;
const EXPSTART = 55400.25;
const GTI: [number, number][] = [
  [0, 140],
  [160, 300],
];
const P = "PERFORM";
const O = "OMIT";
export const COS_NUV_SWITCHES: [string, string][] = [
  ["FLATCORR", P],
  ["DEADCORR", P],
  ["DQICORR", P],
  ["STATFLAG", "F"],
  ["BADTCORR", O],
  ["RANDCORR", O],
  ["TEMPCORR", O],
  ["GEOCORR", O],
  ["IGEOCORR", O],
  ["DGEOCORR", O],
  ["XWLKCORR", O],
  ["YWLKCORR", O],
  ["PHACORR", O],
  ["DOPPCORR", P],
  ["HELCORR", P],
  ["X1DCORR", P],
  ["BACKCORR", P],
  ["WAVECORR", P],
  ["FLUXCORR", P],
  ["BRSTCORR", O],
  ["TDSCORR", P],
  ["PHOTCORR", O],
  ["TRCECORR", O],
  ["ALGNCORR", O],
];
const OTHER_REFERENCES = ["HVTAB", "BRFTAB", "GEOFILE", "DGEOFILE", "PHATAB", "PHAFILE", "BADTTAB", "BRSTTAB"]
  .concat(["IMPHTTAB", "SPWCSTAB", "GSAGTAB"])
  .concat(["SPOTTAB", "XWLKFILE", "YWLKFILE", "TRACETAB", "PROFTAB", "TWOZXTAB"]);

export function simulateCosNuv(options: CosNuvOptions): SimulatedCosNuv {
  const dataset = options.dataset.toLowerCase();
  const seed = options.seed ?? 1;
  const random = new Random(`cos-nuv/${seed}`);
  const referenceDir = join(options.out, "crds", "references", "hst");
  mkdirSync(referenceDir, { recursive: true });
  const refs = writeCosNuvReferences(referenceDir, seed, random.fork("references"));
  const tagflash = options.tagflash === true;
  const science = simulateEvents(
    random.fork("events"),
    options.sourceRate ?? 600,
    options.backgroundRate ?? 60,
    tagflash,
  );
  const events = tagflash ? mergeEvents(science, simulateFlashEvents(random.fork("flashes"))) : science;
  const rawtag = join(options.out, `${dataset}_rawtag.fits`);
  const primary = rawPrimary(dataset, refs.names);
  if (tagflash) {
    primary.set("TAGFLASH", "AUTO");
    primary.set("LAMPUSED", "P1");
    primary.set("LAMPPLAN", "P1", { comment: "lamp expected to be used, NONE or lamp name" });
  }
  const eventsCards = () => {
    const h = eventsHeader(dataset, exptime, events.time.length);
    if (tagflash) setFlashCards(h);
    return h;
  };
  const exptime = GTI.reduce((sum, [a, b]) => sum + b - a, 0);
  const writer = new FitsWriter(rawtag);
  try {
    writer.writeImage(primary);
    writer.writeTable(eventsCards(), eventColumns(events), events.time.length);
    writer.writeTable(
      new Header().set("EXTNAME", "GTI").set("EXTVER", 1),
      [
        { name: "START", format: "1D", unit: "s", data: Float64Array.from(GTI, (g) => g[0]) },
        { name: "STOP", format: "1D", unit: "s", data: Float64Array.from(GTI, (g) => g[1]) },
      ],
      GTI.length,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  const references = Object.fromEntries(Object.entries(refs.names).map(([k, v]) => [k, join(referenceDir, v)]));
  const cards = new Map<string, Card>();
  for (const header of [primary, eventsCards()]) {
    for (const card of header.cards) if (!cards.has(card.keyword)) cards.set(card.keyword, card);
  }
  const crds = writeCrdsCache({
    root: join(options.out, "crds"),
    model: { instrument: "COS", detector: "NUV", useAfter: COS_USEAFTER },
    references: Object.entries(refs.names).map(([k, v]) => ({
      filekind: k.toLowerCase(),
      name: v,
      path: join(referenceDir, v),
    })),
    datasetCards: cards,
  });
  return { rawtag, referenceDir, references, events: events.time.length, gti: GTI, crds };
}

interface RawEvents {
  time: Float32Array;
  rawx: Int16Array;
  rawy: Int16Array;
}

/** Columnar (no per-event objects: the benchmark simulates 10⁷ events), sorted by time. */
function simulateEvents(random: Random, sourceRate: number, backgroundRate: number, drift: boolean): RawEvents {
  const parts = GTI.map(([start, stop]) => {
    const n = random.poisson((sourceRate + backgroundRate) * (stop - start));
    const part = { t: new Float64Array(n), x: new Int16Array(n), y: new Int16Array(n) };
    for (let i = 0; i < n; i++) {
      part.t[i] = start + random.uniform() * (stop - start);
      if (random.uniform() * (sourceRate + backgroundRate) < backgroundRate) {
        part.x[i] = random.int(NUV_SIZE);
        part.y[i] = random.int(NUV_SIZE);
        continue;
      }
      part.x[i] = sourceColumn(random);
      if (drift)
        part.x[i] = Math.min(NUV_SIZE - 1, Math.round(part.x[i] + random.uniform() - 0.5 + driftAt(part.t[i])));
      const row = Math.round(NUV_STRIPE_ROWS[random.int(3)] + STRIPE_SIGMA * random.normal());
      part.y[i] = Math.min(NUV_SIZE - 1, Math.max(0, row));
    }
    return part;
  });
  const total = parts.reduce((sum, p) => sum + p.t.length, 0);
  const events: RawEvents = { time: new Float32Array(total), rawx: new Int16Array(total), rawy: new Int16Array(total) };
  let n = 0;
  for (const [g, { t, x, y }] of parts.entries()) {
    for (const i of timeOrder(t, GTI[g][0], GTI[g][1])) {
      events.time[n] = t[i];
      events.rawx[n] = x[i];
      events.rawy[n++] = y[i];
    }
  }
  return events;
}

/**
 * The indices of `t` (uniform in [start, stop)) in time order, equal times in index order: a bucket per event,
 * then insertion sort within each (a comparison sort of 10⁷ indices takes half a minute).
 */
export function timeOrder(t: Float64Array, start: number, stop: number): Uint32Array {
  const n = t.length;
  const scale = n / (stop - start);
  const bucket = new Uint32Array(n);
  const first = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    bucket[i] = Math.min(n - 1, Math.max(0, Math.floor((t[i] - start) * scale)));
    first[bucket[i] + 1]++;
  }
  for (let b = 0; b < n; b++) first[b + 1] += first[b];
  const order = new Uint32Array(n);
  const next = first.slice(0, n);
  for (let i = 0; i < n; i++) order[next[bucket[i]]++] = i;
  for (let b = 0; b < n; b++) {
    for (let p = first[b] + 1; p < first[b + 1]; p++) {
      const v = order[p];
      let q = p;
      for (; q > first[b] && t[order[q - 1]] > t[v]; q--) order[q] = order[q - 1];
      order[q] = v;
    }
  }
  return order;
}

/** The truth spectrum: relative source intensity at detector column x (a continuum, two absorption lines). */
export function cosNuvSourceProfile(x: number): number {
  const line = 1 - 0.7 * Math.exp(-(((x - 350) / 4) ** 2)) - 0.5 * Math.exp(-(((x - 760) / 6) ** 2));
  return line * (0.6 + 0.4 * Math.sin((Math.PI * x) / NUV_SIZE));
}

/** A column drawn from the truth spectrum by rejection. */
function sourceColumn(random: Random): number {
  for (;;) {
    const x = random.int(NUV_SIZE);
    if (random.uniform() < cosNuvSourceProfile(x)) return x;
  }
}

function eventColumns(e: RawEvents) {
  return [
    { name: "TIME", format: "1E", unit: "s", data: e.time },
    { name: "RAWX", format: "1I", unit: "pixel", data: e.rawx },
    { name: "RAWY", format: "1I", unit: "pixel", data: e.rawy },
    { name: "PHA", format: "1B", data: new Uint8Array(e.time.length) },
  ];
}

function rawPrimary(dataset: string, names: Record<string, string>): Header {
  const h = new Header();
  const set = (k: string, v: string | number | boolean, comment: string) => h.set(k, v, { comment });
  set("NEXTEND", 2, "Number of standard extensions");
  set("FILENAME", `${dataset}_rawtag.fits`, "name of file");
  set("FILETYPE", "SCI", "type of data found in data file");
  set("TELESCOP", "HST", "telescope used to acquire data");
  set("INSTRUME", "COS", "identifier for instrument used to acquire data");
  set("ROOTNAME", dataset, "rootname of the observation set");
  set("IMAGETYP", "TIME-TAG", "type of exposure identifier");
  set("TARGNAME", "SIM-POINT", "proposer's target name");
  set("RA_TARG", 297.758, "right ascension of the target (deg) (J2000)");
  set("DEC_TARG", 10.415, "declination of the target (deg) (J2000)");
  set("OBSTYPE", "SPECTROSCOPIC", "observation type - imaging or spectroscopic");
  set("OBSMODE", "TIME-TAG", "operating mode");
  set("EXPTYPE", "EXTERNAL/SCI", "type of exposure");
  set("DETECTOR", "NUV", "FUV or NUV");
  set("SEGMENT", "N/A", "FUV detector segment name (FUVA or FUVB)");
  set("COSCOORD", "USER", "COS output coordinate frame");
  set("SUBARRAY", false, "data from a subarray (T) or full frame (F)");
  set("LAMPUSED", "NONE", "lamp status, NONE or name of lamp which is on");
  set("LIFE_ADJ", 1, "Life Time Adjustment Position");
  set("FPPOS", 3, "grating offset index (1-4) for FP split");
  set("CENWAVE", 1850, "central wavelength of spectrum");
  set("APERTURE", "PSA", "aperture name");
  set("OPT_ELEM", "G185M", "optical element in use");
  set("TAGFLASH", "NONE", "Type of flashed exposures in time-tag");
  set("FPOFFSET", 0, "FP offset from nominal, in motor steps");
  set("RANDSEED", -1, "seed for random number generator");
  for (const [k, v] of COS_NUV_SWITCHES) h.set(k, v === "F" ? false : v, { comment: "calibration switch" });
  for (const k of OTHER_REFERENCES) h.set(k, "N/A", { comment: "reference file" });
  for (const [k, v] of Object.entries(names)) h.set(k, `lref$${v}`, { comment: "reference file" });
  return h;
}

function eventsHeader(dataset: string, exptime: number, nevents: number): Header {
  const h = new Header().set("EXTNAME", "EVENTS").set("EXTVER", 1);
  const set = (k: string, v: string | number | boolean, comment: string) => h.set(k, v, { comment });
  set("ROOTNAME", dataset, "rootname of the observation set");
  set("EXPNAME", dataset, "exposure identifier");
  set("DISPAXIS", 1, "dispersion axis; 1 = axis 1, 2 = axis 2, none");
  set("SDQFLAGS", 184, "serious data quality flags");
  set("DATE-OBS", "2010-06-18", "UT date of start of observation (yyyy-mm-dd)");
  set("TIME-OBS", "06:00:00", "UT time of start of observation (hh:mm:ss)");
  set("EXPSTART", EXPSTART, "exposure start time (Modified Julian Date)");
  set("EXPEND", EXPSTART + GTI[GTI.length - 1][1] / 86400, "exposure end time (Modified Julian Date)");
  set("EXPTIME", exptime, "exposure duration (seconds)--calculated");
  set("RAWTIME", exptime, "exposure duration of raw data file (seconds)");
  set("NEVENTS", nevents, "Number of events in raw data file");
  set("MEVENTS", nevents / exptime, "MAMA event counter");
  set("DOPPON", false, "Doppler correction flag");
  set("DOPPMAGV", 7.237925, "Doppler shift magnitude (Km/sec)");
  set("DOPPZERO", EXPSTART - 0.0123, "Commanded time of zero Doppler shift (MJD)");
  set("ORBITPER", 5749.536108, "Orbital Period used on board for Doppler corr.");
  set("NSUBARRY", 1, "Number of subarrays (1-8)");
  for (let i = 0; i < 8; i++) {
    set(`CORNER${i}X`, 0, "subarray axis1 corner pt in unbinned dect. pix");
    set(`CORNER${i}Y`, 0, "subarray axis2 corner pt in unbinned dect. pix");
    set(`SIZE${i}X`, i === 0 ? NUV_SIZE : 0, "subarray axis1 size in unbinned detector pixels");
    set(`SIZE${i}Y`, i === 0 ? NUV_SIZE : 0, "subarray axis2 size in unbinned detector pixels");
  }
  return h;
}
