/**
 * A COS FUV TIME-TAG exposure of a point source through G130M/1291 (`l…` datasets): `_rawtag_a` and
 * `_rawtag_b` (primary header as real raws have it, EVENTS table TIME/RAWX/RAWY/PHA, GTI table), and the FUV
 * references (cos-fuv-references.ts). Each segment has the source spectrum on its PSA row, a background over
 * its active area, a dark rate over the whole detector and the two stim pulses; PHA per event (some beyond
 * the PHATAB limits). The switches calibrated natively are PERFORM, the others OMIT.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
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
import { timeOrder } from "./cos-nuv.js";
import { Random } from "./random.js";

export interface CosFuvOptions {
  dataset: string;
  out: string;
  seed?: number;
  /** Source events per second and segment (default 1500); background (300) and dark (40) likewise. */
  sourceRate?: number;
  backgroundRate?: number;
  darkRate?: number;
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
  const rates = { source: options.sourceRate ?? 1500, background: options.backgroundRate ?? 300 };
  const exptime = GTI.reduce((sum, [a, b]) => sum + b - a, 0);
  const rawtags = {} as Record<FuvSegment, string>;
  const counts = {} as Record<FuvSegment, number>;
  for (const segment of FUV_SEGMENTS) {
    const events = simulateEvents(random.fork(segment), segment, { ...rates, dark: options.darkRate ?? 40 });
    const path = join(options.out, `${dataset}_rawtag_${segment.slice(-1).toLowerCase()}.fits`);
    const writer = new FitsWriter(path);
    try {
      writer.writeImage(rawPrimary(dataset, segment, names));
      writer.writeTable(
        eventsHeader(dataset, segment, exptime, events.time.length),
        eventColumns(events),
        events.time.length,
      );
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

interface RawEvents {
  time: Float32Array;
  rawx: Int16Array;
  rawy: Int16Array;
  pha: Uint8Array;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function simulateEvents(
  random: Random,
  segment: FuvSegment,
  rates: { source: number; background: number; dark: number },
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
      part.x[i] = clamp(part.x[i], 0, FUV_X - 1);
      part.y[i] = clamp(part.y[i], 0, FUV_Y - 1);
      part.p[i] = clamp(pha, 0, 31);
    }
    return part;
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

function eventColumns(e: RawEvents) {
  return [
    { name: "TIME", format: "1E", unit: "s", data: e.time },
    { name: "RAWX", format: "1I", unit: "pixel", data: e.rawx },
    { name: "RAWY", format: "1I", unit: "pixel", data: e.rawy },
    { name: "PHA", format: "1B", data: e.pha },
  ];
}

function rawPrimary(dataset: string, segment: FuvSegment, names: Record<string, string>): Header {
  const h = new Header();
  const set = (k: string, v: string | number | boolean, comment: string) => h.set(k, v, { comment });
  const suffix = segment.slice(-1).toLowerCase();
  set("NEXTEND", 2, "Number of standard extensions");
  set("FILENAME", `${dataset}_rawtag_${suffix}.fits`, "name of file");
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
  set("DETECTOR", "FUV", "FUV or NUV");
  set("SEGMENT", segment, "FUV detector segment name (FUVA or FUVB)");
  set("COSCOORD", "USER", "COS output coordinate frame");
  set("SUBARRAY", false, "data from a subarray (T) or full frame (F)");
  set("LAMPUSED", "NONE", "lamp status, NONE or name of lamp which is on");
  set("LIFE_ADJ", 1, "Life Time Adjustment Position");
  set("FPPOS", 3, "grating offset index (1-4) for FP split");
  set("CENWAVE", 1291, "central wavelength of spectrum");
  set("APERTURE", "PSA", "aperture name");
  set("OPT_ELEM", "G130M", "optical element in use");
  set("TAGFLASH", "NONE", "Type of flashed exposures in time-tag");
  set("FPOFFSET", 0, "FP offset from nominal, in motor steps");
  set("RANDSEED", -1, "seed for random number generator");
  for (const [k, v] of COS_FUV_SWITCHES) h.set(k, v === "F" ? false : v, { comment: "calibration switch" });
  for (const k of OTHER_REFERENCES) h.set(k, "N/A", { comment: "reference file" });
  for (const [k, v] of Object.entries(names)) h.set(k, `lref$${v}`, { comment: "reference file" });
  return h;
}

function eventsHeader(dataset: string, segment: FuvSegment, exptime: number, nevents: number): Header {
  const h = new Header().set("EXTNAME", "EVENTS").set("EXTVER", 1);
  const set = (k: string, v: string | number | boolean, comment: string) => h.set(k, v, { comment });
  const s = segment.slice(-1);
  set("ROOTNAME", dataset, "rootname of the observation set");
  set("EXPNAME", dataset, "exposure identifier");
  set("DISPAXIS", 1, "dispersion axis; 1 = axis 1, 2 = axis 2, none");
  set("SDQFLAGS", 8346, "serious data quality flags");
  set("DATE-OBS", "2010-06-18", "UT date of start of observation (yyyy-mm-dd)");
  set("TIME-OBS", "06:00:00", "UT time of start of observation (hh:mm:ss)");
  set("EXPSTART", EXPSTART, "exposure start time (Modified Julian Date)");
  set("EXPEND", EXPSTART + GTI[GTI.length - 1][1] / 86400, "exposure end time (Modified Julian Date)");
  set("EXPTIME", exptime, "exposure duration (seconds)--calculated");
  set(`EXPTIME${s}`, exptime, `exposure time of segment ${s}`);
  set("RAWTIME", exptime, "exposure duration of raw data file (seconds)");
  set("NEVENTS", nevents, "Number of events in raw data file");
  set(`DEVENT${s}`, nevents / exptime, `digital event counter, segment ${s} (counts/s)`);
  set(`FEVENT${s}`, nevents / exptime, `fast event counter, segment ${s} (counts/s)`);
  set(`HVLEVEL${s}`, HV_LEVEL[segment], `high voltage level, segment ${s}`);
  set("STIMRATE", 2 * STIM_RATE, "approximate stim pulse rate (counts/s)");
  set("DOPPON", false, "Doppler correction flag");
  set("DOPPMAGV", 7.237925, "Doppler shift magnitude (Km/sec)");
  set("DOPPZERO", EXPSTART - 0.0123, "Commanded time of zero Doppler shift (MJD)");
  set("ORBITPER", 5749.536108, "Orbital Period used on board for Doppler corr.");
  set("NSUBARRY", 0, "Number of subarrays (1-8)");
  for (let i = 0; i < 8; i++) {
    set(`CORNER${i}X`, 0, "subarray axis1 corner pt in unbinned dect. pix");
    set(`CORNER${i}Y`, 0, "subarray axis2 corner pt in unbinned dect. pix");
    set(`SIZE${i}X`, 0, "subarray axis1 size in unbinned detector pixels");
    set(`SIZE${i}Y`, 0, "subarray axis2 size in unbinned detector pixels");
  }
  return h;
}
