/**
 * One COS NUV TIME-TAG exposure through calcos' basic calibration (timetag.py's timetagBasicCalibration,
 * the steps native so far): the corrtag columns, DEADCORR, FLATCORR, the exposure time from the good-time
 * intervals, DQICORR (events and image), then the `_corrtag`, `_counts` and `_flt` files. TEMPCORR, GEOCORR,
 * IGEOCORR, DGEOCORR, RANDCORR and PHACORR are FUV-only: calcos turns them OMIT for NUV, and so does this.
 */
import { join } from "node:path";
import { accumDeadtime } from "../../calib/cos/accum.js";
import { deadtimeCorrection } from "../../calib/cos/deadcorr.js";
import { dqImage, flagEvents, NO_DOPPLER, type Subarray } from "../../calib/cos/dqicorr.js";
import { initialCorrtag, NUV_EXTENDED_X, NUV_X, NUV_X_OFFSET, NUV_Y } from "../../calib/cos/events.js";
import { applyFlat } from "../../calib/cos/flatcorr.js";
import { exposureHelioVelocity } from "../../calib/cos/helcorr.js";
import { countImages } from "../../calib/cos/images.js";
import { timelineColumns } from "../../calib/cos/timeline.js";
import type { Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { nuvDoppcorr, psaRows, spectroTables } from "./doppcorr.js";
import { writeLampflash } from "./lampflash-product.js";
import { writeCorrtag, writeCountImage } from "./products.js";
import { accumDoppcorr, type Rawaccum, readRawaccum, resetAccumShifts } from "./rawaccum.js";
import { type Rawtag, readRawtag } from "./rawtag.js";
import { loadBpixtab, loadDeadtab, loadNuvFlat } from "./references.js";
import type { SpectroTables } from "./spectro-tables.js";
import { stageClock } from "./stage-clock.js";
import { type CosSwitches, requiredReference, resetSpectroscopicSwitches, startSteps } from "./switches.js";
import { tagflashTrailer } from "./tagflash.js";
import { darkBands } from "./timeline.js";
import { nuvWavecorr } from "./wavecorr.js";
import { extractNuv } from "./x1d.js";
import { writeX1d } from "./x1d-product.js";

export interface TimetagResult {
  outputs: string[];
  trailer: string[];
}

function subarraysOf(header: Header): Subarray[] {
  const n = header.getInt("NSUBARRY", 0);
  return Array.from({ length: n }, (_, i) => ({
    x0: header.getInt(`CORNER${i}X`, 0),
    y0: header.getInt(`CORNER${i}Y`, 0),
    xsize: header.getInt(`SIZE${i}X`, 0),
    ysize: header.getInt(`SIZE${i}Y`, 0),
  }));
}

export function calibrateNuvTimetag(
  ctx: { dir: string; outDir: string; env: Env; log?: (line: string) => void },
  root: string,
  switches: CosSwitches,
  calVer: string,
  /** An ACCUM exposure (`_rawaccum`): its image as pseudo events, as calcos' accumBasicCalibration makes them. */
  obsmode: "TIME-TAG" | "ACCUM" = "TIME-TAG",
): TimetagResult {
  const { env, outDir } = ctx;
  const stage = stageClock(ctx.log);
  const rawName = `${root}${obsmode === "ACCUM" ? "_rawaccum" : "_rawtag"}.fits`;
  const raw: Rawtag | Rawaccum =
    obsmode === "ACCUM" ? readRawaccum(join(ctx.dir, rawName)) : readRawtag(join(ctx.dir, rawName));
  const accum = obsmode === "ACCUM" ? (raw as Rawaccum) : undefined;
  const trailer: string[] = [`${obsmode} calibration of ${rawName} (DETECTOR NUV)`];
  const segment = "N/A";
  const events = initialCorrtag(raw.events, "NUV", `${rawName}[EVENTS]`);
  const primary = raw.primary.clone();
  const hdr = raw.eventsHeader.clone();
  const n = events.time.length;
  if (isSpectroscopic(primary)) trailer.push(...resetSpectroscopicSwitches(primary));
  if (n === 0) return writeNull(ctx.outDir, root, primary, hdr, raw, trailer, calVer, rawName);
  stage("read");
  const complete = startSteps(primary, switches, trailer);

  const origExptime = accum
    ? accum.exptime
    : n > 1 && events.time[n - 1] > events.time[0]
      ? events.time[n - 1] - events.time[0]
      : 0;
  hdr.set("GLOBRATE", origExptime > 0 ? Math.round((n / origExptime) * 1e4) / 1e4 : 0, {
    comment: "global count rate",
  });
  if (switches.DEADCORR === "PERFORM" && n > 0) {
    const dead = loadDeadtab(requiredReference(primary, "DEADTAB", env, "DEADCORR"), segment);
    const mevents = hdr.getNumber("MEVENTS", raw.primary.getNumber("MEVENTS", 0));
    const subarrays = raw.primary.getBool("SUBARRAY", false) && hdr.getInt("NSUBARRY", 0) > 0;
    const counter = { rate: mevents, subarrays };
    const result = accum
      ? accumDeadtime(events, dead.rows, accum.exptime, counter)
      : deadtimeCorrection(events, dead.rows, dead.timestep, counter);
    hdr.set("DEADRT", result.rate, { comment: "Count rate used for dead time correction (c/s)" });
    hdr.set("DEADMT", result.method, { comment: "Deadtime correction method" });
    hdr.set("LIVETM", result.averageLivetime, { comment: "Livetime factor used" });
    complete("DEADCORR");
    stage("deadcorr");
  }
  if (switches.FLATCORR === "PERFORM" && n > 0) {
    applyFlat(events, loadNuvFlat(requiredReference(primary, "FLATFILE", env, "FLATCORR")));
    complete("FLATCORR");
    stage("flatcorr");
  }
  // calcos turns DOPPCORR OMIT when the exposure had no Doppler motion to correct (DOPPMAGV = 0)
  if (accum) trailer.push(...accumDoppcorr(primary, hdr, rawName));
  else if (switches.DOPPCORR === "PERFORM" && hdr.getNumber("DOPPMAGV", -1) === 0) {
    primary.set("DOPPCORR", "OMIT");
    trailer.push("DOPPCORR  OMIT (DOPPMAGV = 0)");
  }
  // V_HELIO is recorded for every spectroscopic exposure, whatever HELCORR says (calcos' initHelcorr)
  const vHelio = exposureHelioVelocity(
    hdr.getNumber("EXPSTART", 0),
    events.time[0],
    events.time[n - 1],
    primary.getNumber("RA_TARG", -999),
    primary.getNumber("DEC_TARG", -999),
  );
  const doDoppler = primary.getString("DOPPCORR") === "PERFORM" && n > 0;
  const doWavecal = switches.WAVECORR === "PERFORM" && n > 0;
  const spectroscopic = isSpectroscopic(primary);
  if (spectroscopic) hdr.set("V_HELIO", vHelio, { comment: "Geocentric to heliocentric velocity" });
  const tables = spectroscopic
    ? spectroTables(primary, env, doDoppler ? "DOPPCORR" : doWavecal ? "WAVECORR" : "TIMELINE")
    : undefined;
  const doppler = doDoppler && tables ? nuvDoppcorr(events, primary, hdr, tables) : undefined;
  if (doppler) {
    events.xfull.set(events.xdopp);
    complete("DOPPCORR");
  }
  stage("doppcorr");
  const helcorr = helcorrApplies(primary);
  const wavecal =
    doWavecal && tables
      ? nuvWavecorr(events, primary, hdr, env, tables, psaRows(tables, primary), helcorr ? vHelio : undefined, rawName)
      : undefined;
  if (wavecal?.tagflash) trailer.push(...tagflashTrailer(wavecal.tagflash, rawName));
  else if (wavecal) {
    trailer.push("WAVECORR  SKIPPED (no wavecal: LAMPTAB FP_PIXEL_SHIFT used, wavelengths computed)");
    for (const stripe of wavecal.missing) trailer.push(`Warning: no DISPTAB row for ${stripe}: its WAVELENGTH is 0`);
  }
  stage("wavecorr");
  const gti = raw.gti.length > 0 ? raw.gti : n > 0 ? [[events.time[0], events.time[n - 1]] as [number, number]] : [];
  const exptime = gti.reduce((sum, [start, stop]) => sum + (stop - start), 0);
  hdr.set("EXPTIME", exptime, { comment: "exposure duration (seconds)--calculated" });

  const shape = { nx: NUV_EXTENDED_X, ny: NUV_Y, detectorX: NUV_X, xOffset: NUV_X_OFFSET };
  let dq: Int16Array = accum ? accum.dq : new Int16Array(shape.nx * shape.ny);
  if (switches.DQICORR === "PERFORM") {
    const bpix = loadBpixtab(requiredReference(primary, "BPIXTAB", env, "DQICORR"), segment);
    flagEvents(events, bpix.regions);
    const range = doppler ? { ...doppler.range(exptime), boundary: doppler.boundary } : NO_DOPPLER;
    dq = dqImage(bpix.regions, bpix.widen, subarraysOf(hdr), shape, range, wavecal?.slices);
    // an ACCUM raw's own DQ is kept (calcos' getInputDQ starts the image from it)
    if (accum) for (let p = 0; p < dq.length; p++) dq[p] |= accum.dq[p];
    complete("DQICORR");
    stage("dqicorr");
  }
  hdr.set("X_OFFSET", NUV_X_OFFSET, { comment: "offset of detector in a calibrated image" });
  primary.set("CAL_VER", calVer, { comment: "CALCOS code version" });

  const outputs = [`${root}_corrtag.fits`, `${root}_counts.fits`, `${root}_flt.fits`];
  // everything computed before the first file is written: a failure leaves no product behind
  const images = countImages(events, exptime, shape);
  stage("images");
  const timeline = timelineColumns(
    events,
    wavecal?.timelineShift1,
    tables && exptime > 0 ? darkBands(primary, tables, wavecal?.medianShift1 ?? 0) : undefined,
    NUV_X,
    accum?.exptime,
  );
  stage("timeline");
  if (accum) resetAccumShifts(hdr);
  const x1d =
    switches.X1DCORR === "PERFORM" && spectroscopic && tables
      ? nuvX1d(primary, hdr, images, dq, shape, tables, env)
      : undefined;
  if (x1d) {
    stage("x1dcorr");
    trailer.push(...x1d.trailer);
    outputs.push(`${root}_x1d.fits`);
  }
  const flash = wavecal?.tagflash;
  if (flash) outputs.push(`${root}_lampflash.fits`);
  writeCorrtag(join(outDir, outputs[0]), primary, hdr, events, raw, timeline);
  if (flash) {
    const path = join(outDir, outputs[outputs.length - 1]);
    writeLampflash(
      path,
      flash.primary,
      flash.eventsHeader,
      flash.rows,
      flash.keywords,
      flash.extraction,
      NUV_EXTENDED_X,
    );
  }
  stage("write corrtag");
  writeCountImage(join(outDir, outputs[1]), primary, hdr, images.counts, dq, shape);
  writeCountImage(join(outDir, outputs[2]), primary, hdr, images.flt, dq, shape);
  if (x1d) writeX1d(join(outDir, outputs[3]), x1d.primary, x1d.sci, x1d.stripes, shape.nx);
  stage("write counts, flt, x1d");
  trailer.push(`EXPTIME = ${exptime} s from ${gti.length} good-time interval(s); ${n} events`);
  return { outputs, trailer };
}

/** X1DCORR on the images just made: the `_x1d`'s headers are the `_flt`'s with the steps done COMPLETE. */
function nuvX1d(
  primary: Header,
  hdr: Header,
  images: ReturnType<typeof countImages>,
  dq: Int16Array,
  shape: { nx: number; ny: number },
  tables: SpectroTables,
  env: Env,
) {
  const sci = hdr.clone();
  sci.removeWhere((card) => /^(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM)\d+$/.test(card.keyword));
  const flt = { flt: images.flt.sci, counts: images.counts.sci, dq, ...shape };
  const result = extractNuv(primary, sci, flt, tables, env);
  const x1dPrimary = primary.clone();
  for (const [step, value] of Object.entries(result.completed)) x1dPrimary.set(step, value);
  return { ...result, primary: x1dPrimary, sci };
}

/** HELCORR PERFORM or COMPLETE (PERFORM was reset to OMIT above for a target without coordinates). */
const helcorrApplies = (primary: Header) =>
  ["PERFORM", "COMPLETE"].includes(primary.getString("HELCORR", "OMIT").trim().toUpperCase());

const isSpectroscopic = (primary: Header) => primary.getString("OBSTYPE", "").trim().toUpperCase() === "SPECTROSCOPIC";

/** No events: calcos' writeNull, no step run, the corrtag empty, the images without data, a warning. */
function writeNull(
  outDir: string,
  root: string,
  primary: Header,
  hdr: Header,
  raw: Rawtag,
  trailer: string[],
  calVer: string,
  rawName: string,
): TimetagResult {
  trailer.push(`Warning: No data in ${rawName}`);
  primary.set("CAL_VER", calVer, { comment: "CALCOS code version" });
  const events = initialCorrtag(raw.events, "NUV", `${rawName}[EVENTS]`);
  const outputs = [`${root}_corrtag.fits`, `${root}_counts.fits`, `${root}_flt.fits`];
  const shape = { nx: NUV_EXTENDED_X, ny: NUV_Y };
  writeCorrtag(
    join(outDir, outputs[0]),
    primary,
    hdr,
    events,
    raw,
    timelineColumns(events, undefined, undefined, NUV_X),
  );
  for (const name of outputs.slice(1))
    writeCountImage(join(outDir, name), primary, hdr, undefined, new Int16Array(0), shape);
  // calcos still writes the _x1d, without rows, X1DCORR left PERFORM
  if (primary.getString("X1DCORR", "OMIT").trim().toUpperCase() === "PERFORM" && isSpectroscopic(primary)) {
    outputs.push(`${root}_x1d.fits`);
    const sci = hdr.clone();
    sci.removeWhere((card) => /^(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM)\d+$/.test(card.keyword));
    // its extract1D still runs the (empty) heliocentric correction
    const x1dPrimary = primary.clone();
    if (helcorrApplies(primary)) x1dPrimary.set("HELCORR", "COMPLETE");
    writeX1d(join(outDir, outputs[3]), x1dPrimary, sci, [], shape.nx);
  }
  return { outputs, trailer };
}
