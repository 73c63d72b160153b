/**
 * The COS TIME-TAG raw file both detectors share: the primary header as real raws have it, the EVENTS table
 * (TIME/RAWX/RAWY/PHA) with its header and the GTI table. What differs between FUV (cos-fuv.ts, one file per
 * segment) and NUV (cos-nuv.ts) comes in as parameters; keyword order is the same for both.
 */
import { FitsWriter, Header } from "../fits/index.js";

type Value = string | number | boolean;

export interface CosRawPrimary {
  dataset: string;
  /** Basename of the file (FILENAME). */
  filename: string;
  detector: "FUV" | "NUV";
  /** FUVA, FUVB or N/A. */
  segment: string;
  cenwave: number;
  optElem: string;
  /** Calibration switches in header order ("F" is written as the logical false). */
  switches: [string, string][];
  /** Reference keywords written as N/A. */
  otherReferences: string[];
  /** Header keyword → basename of the reference (written as lref$name). */
  names: Record<string, string>;
}

export function cosRawPrimary(p: CosRawPrimary): Header {
  const h = new Header();
  const set = (k: string, v: Value, comment: string) => h.set(k, v, { comment });
  set("NEXTEND", 2, "Number of standard extensions");
  set("FILENAME", p.filename, "name of file");
  set("FILETYPE", "SCI", "type of data found in data file");
  set("TELESCOP", "HST", "telescope used to acquire data");
  set("INSTRUME", "COS", "identifier for instrument used to acquire data");
  set("ROOTNAME", p.dataset, "rootname of the observation set");
  set("IMAGETYP", "TIME-TAG", "type of exposure identifier");
  set("TARGNAME", "SIM-POINT", "proposer's target name");
  set("RA_TARG", 297.758, "right ascension of the target (deg) (J2000)");
  set("DEC_TARG", 10.415, "declination of the target (deg) (J2000)");
  set("OBSTYPE", "SPECTROSCOPIC", "observation type - imaging or spectroscopic");
  set("OBSMODE", "TIME-TAG", "operating mode");
  set("EXPTYPE", "EXTERNAL/SCI", "type of exposure");
  set("DETECTOR", p.detector, "FUV or NUV");
  set("SEGMENT", p.segment, "FUV detector segment name (FUVA or FUVB)");
  set("COSCOORD", "USER", "COS output coordinate frame");
  set("SUBARRAY", false, "data from a subarray (T) or full frame (F)");
  set("LAMPUSED", "NONE", "lamp status, NONE or name of lamp which is on");
  set("LIFE_ADJ", 1, "Life Time Adjustment Position");
  set("FPPOS", 3, "grating offset index (1-4) for FP split");
  set("CENWAVE", p.cenwave, "central wavelength of spectrum");
  set("APERTURE", "PSA", "aperture name");
  set("OPT_ELEM", p.optElem, "optical element in use");
  set("TAGFLASH", "NONE", "Type of flashed exposures in time-tag");
  set("FPOFFSET", 0, "FP offset from nominal, in motor steps");
  set("RANDSEED", -1, "seed for random number generator");
  for (const [k, v] of p.switches) h.set(k, v === "F" ? false : v, { comment: "calibration switch" });
  for (const k of p.otherReferences) h.set(k, "N/A", { comment: "reference file" });
  for (const [k, v] of Object.entries(p.names)) h.set(k, `lref$${v}`, { comment: "reference file" });
  return h;
}

/** A keyword, its value and comment. */
export type CosCard = [string, Value, string];

export interface CosEventsHeader {
  dataset: string;
  sdqflags: number;
  /** MJD of the exposure start; the exposure ends at the last GTI's stop. */
  expstart: number;
  gti: [number, number][];
  exptime: number;
  nevents: number;
  /** Cards right after EXPTIME (FUV: EXPTIMEA/B). */
  afterExptime: CosCard[];
  /** Cards right after NEVENTS (event counters, high voltage, stims). */
  afterNevents: CosCard[];
  /** Size of subarray 0 (both axes), 0 for none: NSUBARRY is 1 when there is one, 0 otherwise. */
  subarraySize: number;
}

export function cosEventsHeader(p: CosEventsHeader): Header {
  const h = new Header().set("EXTNAME", "EVENTS").set("EXTVER", 1);
  const set = (k: string, v: Value, comment: string) => h.set(k, v, { comment });
  set("ROOTNAME", p.dataset, "rootname of the observation set");
  set("EXPNAME", p.dataset, "exposure identifier");
  set("DISPAXIS", 1, "dispersion axis; 1 = axis 1, 2 = axis 2, none");
  set("SDQFLAGS", p.sdqflags, "serious data quality flags");
  set("DATE-OBS", "2010-06-18", "UT date of start of observation (yyyy-mm-dd)");
  set("TIME-OBS", "06:00:00", "UT time of start of observation (hh:mm:ss)");
  set("EXPSTART", p.expstart, "exposure start time (Modified Julian Date)");
  set("EXPEND", p.expstart + p.gti[p.gti.length - 1][1] / 86400, "exposure end time (Modified Julian Date)");
  set("EXPTIME", p.exptime, "exposure duration (seconds)--calculated");
  for (const [k, v, c] of p.afterExptime) set(k, v, c);
  set("RAWTIME", p.exptime, "exposure duration of raw data file (seconds)");
  set("NEVENTS", p.nevents, "Number of events in raw data file");
  for (const [k, v, c] of p.afterNevents) set(k, v, c);
  set("DOPPON", false, "Doppler correction flag");
  set("DOPPMAGV", 7.237925, "Doppler shift magnitude (Km/sec)");
  set("DOPPZERO", p.expstart - 0.0123, "Commanded time of zero Doppler shift (MJD)");
  set("ORBITPER", 5749.536108, "Orbital Period used on board for Doppler corr.");
  set("NSUBARRY", p.subarraySize > 0 ? 1 : 0, "Number of subarrays (1-8)");
  for (let i = 0; i < 8; i++) {
    const size = i === 0 ? p.subarraySize : 0;
    set(`CORNER${i}X`, 0, "subarray axis1 corner pt in unbinned dect. pix");
    set(`CORNER${i}Y`, 0, "subarray axis2 corner pt in unbinned dect. pix");
    set(`SIZE${i}X`, size, "subarray axis1 size in unbinned detector pixels");
    set(`SIZE${i}Y`, size, "subarray axis2 size in unbinned detector pixels");
  }
  return h;
}

export interface CosRawEvents {
  time: Float32Array;
  rawx: Int16Array;
  rawy: Int16Array;
  pha: Uint8Array;
}

/** Writes a rawtag: the primary header, the EVENTS table and the GTI table (START/STOP, s). */
export function writeCosRawtag(
  path: string,
  primary: Header,
  eventsHeader: Header,
  events: CosRawEvents,
  gti: [number, number][],
): void {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(
      eventsHeader,
      [
        { name: "TIME", format: "1E", unit: "s", data: events.time },
        { name: "RAWX", format: "1I", unit: "pixel", data: events.rawx },
        { name: "RAWY", format: "1I", unit: "pixel", data: events.rawy },
        { name: "PHA", format: "1B", data: events.pha },
      ],
      events.time.length,
    );
    writer.writeTable(
      new Header().set("EXTNAME", "GTI").set("EXTVER", 1),
      [
        { name: "START", format: "1D", unit: "s", data: Float64Array.from(gti, (g) => g[0]) },
        { name: "STOP", format: "1D", unit: "s", data: Float64Array.from(gti, (g) => g[1]) },
      ],
      gti.length,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
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
