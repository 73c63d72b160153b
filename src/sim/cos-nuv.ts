/**
 * A COS NUV TIME-TAG exposure of a point source (`l…` datasets): the `_rawtag` (primary header as real raws
 * have it, EVENTS table TIME/RAWX/RAWY/PHA, GTI table) and its references. The spectrum falls on the three
 * NUV stripes; a flat background covers the detector. Switches calibrated natively are PERFORM (DQICORR,
 * DEADCORR, FLATCORR, DOPPCORR, WAVECORR, HELCORR, X1DCORR, BACKCORR, FLUXCORR, TDSCORR); the others are OMIT,
 * so calcos and the native engine do the same thing.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Card, Header } from "../fits/index.js";
import { driftAt, mergeEvents, setFlashCards, simulateFlashEvents } from "./cos-nuv-flashes.js";
import { cosEventsHeader, cosRawPrimary, timeOrder, writeCosRawtag } from "./cos-rawtag.js";
import { COS_USEAFTER, FP_STEP_PIXELS, NUV_SIZE, NUV_STRIPE_ROWS, writeCosNuvReferences } from "./cos-references.js";
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
  /** An FP-POS association member (cos-nuv-asn.ts): its FPOFFSET, the references' FPOFFSETs, header cards. */
  member?: CosNuvMember;
}

export interface CosNuvMember {
  fpoffset: number;
  referenceFpOffsets: number[];
  /** Cards set on the primary and the EVENTS header (FPPOS, ASN_ID, PLANTIME, …). */
  primary: [string, string | number, string][];
  events: [string, string | number, string][];
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
  const member = options.member;
  const refs = writeCosNuvReferences(referenceDir, seed, random.fork("references"), member?.referenceFpOffsets);
  const tagflash = options.tagflash === true;
  const science = simulateEvents(
    random.fork(member ? `events/${dataset}` : "events"),
    options.sourceRate ?? 600,
    options.backgroundRate ?? 60,
    tagflash,
    FP_STEP_PIXELS * (member?.fpoffset ?? 0),
  );
  const events = tagflash ? mergeEvents(science, simulateFlashEvents(random.fork("flashes"))) : science;
  const rawtag = join(options.out, `${dataset}_rawtag.fits`);
  const primary = rawPrimary(dataset, refs.names);
  if (tagflash) {
    primary.set("TAGFLASH", "AUTO");
    primary.set("LAMPUSED", "P1");
    primary.set("LAMPPLAN", "P1", { comment: "lamp expected to be used, NONE or lamp name" });
  }
  for (const [k, v, comment] of member?.primary ?? []) primary.set(k, v, { comment });
  const eventsCards = () => {
    const h = eventsHeader(dataset, exptime, events.time.length);
    if (tagflash) setFlashCards(h);
    for (const [k, v, comment] of member?.events ?? []) h.set(k, v, { comment });
    return h;
  };
  const exptime = GTI.reduce((sum, [a, b]) => sum + b - a, 0);
  writeCosRawtag(rawtag, primary, eventsCards(), { ...events, pha: new Uint8Array(events.time.length) }, GTI);
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
function simulateEvents(
  random: Random,
  sourceRate: number,
  backgroundRate: number,
  drift: boolean,
  shift: number,
): RawEvents {
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
      part.x[i] = sourceColumn(random, shift);
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

/** The truth spectrum: relative source intensity at detector column x (a continuum, two absorption lines). */
export function cosNuvSourceProfile(x: number): number {
  const line = 1 - 0.7 * Math.exp(-(((x - 350) / 4) ** 2)) - 0.5 * Math.exp(-(((x - 760) / 6) ** 2));
  return line * (0.6 + 0.4 * Math.sin((Math.PI * x) / NUV_SIZE));
}

/** A column drawn from the truth spectrum by rejection, the spectrum `shift` columns along (FP-POS). */
function sourceColumn(random: Random, shift: number): number {
  for (;;) {
    const x = random.int(NUV_SIZE);
    if (random.uniform() < cosNuvSourceProfile(x - shift)) return x;
  }
}

function rawPrimary(dataset: string, names: Record<string, string>): Header {
  return cosRawPrimary({
    dataset,
    filename: `${dataset}_rawtag.fits`,
    detector: "NUV",
    segment: "N/A",
    cenwave: 1850,
    optElem: "G185M",
    switches: COS_NUV_SWITCHES,
    otherReferences: OTHER_REFERENCES,
    names,
  });
}

function eventsHeader(dataset: string, exptime: number, nevents: number): Header {
  return cosEventsHeader({
    dataset,
    sdqflags: 184,
    expstart: EXPSTART,
    gti: GTI,
    exptime,
    nevents,
    afterExptime: [],
    afterNevents: [["MEVENTS", nevents / exptime, "MAMA event counter"]],
    subarraySize: NUV_SIZE,
  });
}
