/**
 * One FUV segment of a COS TIME-TAG exposure (`_rawtag_a` or `_rawtag_b`) through calcos' basic calibration
 * (timetag.py's timetagBasicCalibration), the steps native so far: the active area (BRFTAB), the commanded high
 * voltage (HVTAB), RANDCORR, GEOCORR/IGEOCORR, GLOBRT, DEADCORR, the exposure time from the good-time intervals, PHACORR (PHATAB), FLATCORR,
 * BRSTCORR (BRSTTAB), DQICORR with the gain-sagged regions (GSAGTAB) and the active area's border, the TIMELINE's airglow and dark
 * rates; then `_corrtag_x`, `_counts_x` and `_flt_x`. The steps not native for FUV are refused (fuv-switches.ts).
 */

import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { badTimeTotals, burstTotals, type Interval, removeBadTimes } from "../../calib/cos/badtcorr.js";
import { deadtimeCorrection } from "../../calib/cos/deadcorr.js";
import { flagEvents, NO_DOPPLER, regionsDqImage, unshifted } from "../../calib/cos/dqicorr.js";
import { FUV_X, FUV_Y, initialCorrtag } from "../../calib/cos/events.js";
import { applyFlat } from "../../calib/cos/flatcorr.js";
import { flagOutOfBoundsGeo } from "../../calib/cos/fuv-bounds-geo.js";
import {
  activeAreaMask,
  eventsOutside,
  filterByPulseHeight,
  flagOutOfBounds,
  flagOutsideActiveArea,
  globalRate,
} from "../../calib/cos/fuv-segment.js";
import { exposureHelioVelocity } from "../../calib/cos/helcorr.js";
import { countImages } from "../../calib/cos/images.js";
import type { Env } from "../reference-files.js";
import { badtcorr } from "./fuv-badtcorr.js";
import { fuvBrstcorr } from "./fuv-burst.js";
import { fuvDoppler, psaWcaSlices } from "./fuv-doppcorr.js";
import { fuvGeocorr, fuvRandcorr } from "./fuv-geocorr.js";
import type { SegmentLampflash } from "./fuv-lampflash.js";
import { loadActiveArea, loadFuvFlat, loadGainSag, loadHvLevels, loadPhaLimits } from "./fuv-references.js";
import { checkFuvSwitches, type FuvSegment, rawtagName, segmentSubarrays } from "./fuv-switches.js";
import { fuvShiftRange, fuvWavecorr } from "./fuv-tagflash.js";
import { fuvTempcorr } from "./fuv-tempcorr.js";
import { fuvTimeline } from "./fuv-timeline.js";
import { fuvWalkcorr } from "./fuv-walkcorr.js";
import { extractFuvSegment, type FuvSegmentX1d } from "./fuv-x1d.js";
import { writeCorrtag, writeCountImage } from "./products.js";
import { readRawtag } from "./rawtag.js";
import { loadBpixtab, loadDeadtab } from "./references.js";
import { stageClock } from "./stage-clock.js";
import { type CosSwitches, requiredReference, resetSpectroscopicSwitches, startSteps } from "./switches.js";
import { tagflashTrailer } from "./tagflash.js";

export interface FuvSegmentResult {
  outputs: string[];
  trailer: string[];
  /** The segment's lamp flash table, written with the other segment's (fuv-lampflash.ts). */
  lampflash?: SegmentLampflash;
  /** The segment's extracted spectrum, written with the other segment's into `_x1d` (fuv-x1d.ts). */
  x1d?: FuvSegmentX1d;
}

const SHAPE = { nx: FUV_X, ny: FUV_Y, detectorX: FUV_X, xOffset: 0 };

export function calibrateFuvSegment(
  ctx: { dir: string; outDir: string; env: Env; log?: (line: string) => void },
  root: string,
  segment: FuvSegment,
  switches: CosSwitches,
  calVer: string,
): FuvSegmentResult {
  const { env, outDir } = ctx;
  const stage = stageClock(ctx.log);
  const rawName = rawtagName(root, segment);
  const raw = readRawtag(join(ctx.dir, rawName));
  const s = segment.slice(-1);
  const trailer: string[] = [`TIME-TAG calibration of ${rawName} (DETECTOR FUV, SEGMENT ${segment})`];
  const primary = raw.primary.clone();
  const hdr = raw.eventsHeader.clone();
  checkFuvSwitches(primary, rawName);
  if (!raw.events.pha) throw new CalibrationError("INVALID_VALUE", `${rawName}[EVENTS]: has no column PHA`);
  const events = initialCorrtag(raw.events, "FUV", `${rawName}[EVENTS]`);
  const n = events.time.length;
  if (n === 0) throw new CalibrationError("CAL_STEP_NOT_DONE", `${rawName}[EVENTS]: no events (not native for FUV)`);
  stage("read");
  const subarrays = segmentSubarrays(hdr, segment);
  if (subarrays.length > 0) {
    throw new CalibrationError("CAL_STEP_NOT_DONE", `${rawName}: FUV subarrays are not native yet`);
  }
  trailer.push(...resetSpectroscopicSwitches(primary));
  const complete = startSteps(primary, switches, trailer);
  const expstart = hdr.getNumber("EXPSTART", primary.getNumber("EXPSTART", 0));
  const hvtab = String(primary.get("HVTAB") ?? "N/A").trim();
  let hvlevel: number | undefined = hdr.has(`HVLEVEL${s}`) ? hdr.getNumber(`HVLEVEL${s}`) : undefined;
  if (!["", "N/A"].includes(hvtab.toUpperCase())) {
    const levels = loadHvLevels(requiredReference(primary, "HVTAB", env, "DQICORR"), expstart);
    hdr.set("HVLEVELA", levels.FUVA, { comment: "high voltage level, segment A" });
    hdr.set("HVLEVELB", levels.FUVB, { comment: "high voltage level, segment B" });
    hvlevel = levels[segment];
  }
  const badTimes = badtcorr(primary, hdr, events, env, segment, expstart);
  if (badTimes) complete("BADTCORR");
  const brftab = requiredReference(primary, "BRFTAB", env, "TIME-TAG");
  const area = loadActiveArea(brftab, segment, "TIME-TAG");
  if (fuvRandcorr(events, activeAreaMask(events, area), primary, rawName) !== undefined) complete("RANDCORR");
  stage("randcorr");
  const tempcorr =
    primary.getString("TEMPCORR", "OMIT").trim().toUpperCase() === "PERFORM"
      ? fuvTempcorr(events, hdr, brftab, segment)
      : undefined;
  if (tempcorr?.done) complete("TEMPCORR");
  else if (tempcorr) {
    primary.set("TEMPCORR", "SKIPPED");
    trailer.push("TEMPCORR  SKIPPED (every stim map is the identity)");
  }
  stage("tempcorr");
  const geometry = fuvGeocorr(events, primary, env, segment);
  stage("geocorr");
  for (const step of geometry.steps) complete(step);
  const active = activeAreaMask(events, area);
  for (const step of fuvWalkcorr(events, active, primary, env, segment)) complete(step);
  // calcos' copyColumns: XDOPP, XFULL and YFULL start from the corrected XCORR/YCORR
  events.xdopp.set(events.xcorr);
  events.xfull.set(events.xcorr);
  events.yfull.set(events.ycorr);
  stage("walkcorr");
  const span = events.time[n - 1] - events.time[0];
  const origExptime = span > 0 ? span : hdr.getNumber(`EXPTIME${s}`, hdr.getNumber("EXPTIME", 0));
  hdr.set(`GLOBRT_${s}`, globalRate(active, origExptime), { comment: "global count rate" });
  const vHelio = exposureHelioVelocity(
    expstart,
    events.time[0],
    events.time[n - 1],
    primary.getNumber("RA_TARG", -999),
    primary.getNumber("DEC_TARG", -999),
  );
  hdr.set("V_HELIO", vHelio, { comment: "Geocentric to heliocentric velocity" });
  if (switches.DEADCORR === "PERFORM") {
    const dead = loadDeadtab(requiredReference(primary, "DEADTAB", env, "DEADCORR"), segment);
    const counter = hdr.getNumber(`DEVENT${s}`, primary.getNumber(`DEVENT${s}`, 0));
    const result = deadtimeCorrection(events, dead.rows, dead.timestep, { rate: counter, subarrays: false });
    hdr.set(`DEADRT_${s}`, result.rate, { comment: "Count rate used for dead time correction (c/s)" });
    hdr.set(`DEADMT_${s}`, result.method === "DATA" ? "DATA" : "DEVENT", { comment: "Deadtime correction method" });
    hdr.set(`LIVETM_${s}`, result.averageLivetime, { comment: "Livetime factor used" });
    complete("DEADCORR");
  }
  stage("deadcorr");
  const rawGti = raw.gti.length > 0 ? raw.gti : [[events.time[0], events.time[n - 1]] as [number, number]];
  // calcos' recomputeExptime: bursts (found further down) then the bad times leave the good-time intervals
  const goodTimes = (bursts: readonly Interval[]) => {
    const afterBursts = removeBadTimes(rawGti, bursts);
    const { gti, modified } = removeBadTimes(afterBursts.gti, badTimes ?? []);
    const exptime = gti.reduce((sum, [start, stop]) => sum + (stop - start), 0);
    hdr.set("EXPTIME", exptime, { comment: "exposure duration (seconds)--calculated" });
    hdr.set(`EXPTIME${s}`, exptime, { comment: `exposure time of segment ${s}` });
    return { gti, modified: modified || afterBursts.modified, exptime };
  };
  let { gti, modified, exptime } = goodTimes([]);
  let npha = 0;
  if (primary.getString("PHACORR", "OMIT").trim().toUpperCase() === "PERFORM") {
    const path = requiredReference(primary, "PHATAB", env, "PHACORR");
    const limits = loadPhaLimits(path, segment, primary.getString("OPT_ELEM", "").trim());
    npha = filterByPulseHeight(events, active, limits);
    hdr.set(`NPHA_${s}`, npha, { comment: "events flagged for pulse height" });
    hdr.set(`PHALOWR${s}`, limits.low, { comment: "lower pulse height screening limit" });
    hdr.set(`PHAUPPR${s}`, limits.high, { comment: "upper pulse height screening limit" });
    complete("PHACORR");
  }
  stage("phacorr");
  const doppler = fuvDoppler(primary, hdr, events, active, segment, env, trailer);
  if (doppler) complete("DOPPCORR");
  stage("doppcorr");
  if (switches.FLATCORR === "PERFORM") {
    applyFlat(events, loadFuvFlat(requiredReference(primary, "FLATFILE", env, "FLATCORR"), segment));
    complete("FLATCORR");
  }
  stage("flatcorr");
  primary.set("WAVECALS", "", { comment: "wavecal file names" });
  // calcos' WAVECORR takes the active area again, from the walk-corrected XCORR/YCORR; NOUT counts from it
  const activeNow = primary.getString("WAVECORR", "OMIT").trim() === "PERFORM" ? activeAreaMask(events, area) : active;
  const flash = fuvWavecorr(events, primary, hdr, env, segment, area, activeNow, rawName);
  if (flash) {
    // complete() writes the trailer's WAVECORR line; the flashes' lines follow it
    if (flash.wavecorr === "COMPLETE") complete("WAVECORR");
    else primary.set("WAVECORR", "SKIPPED");
    trailer.push(...tagflashTrailer(flash, rawName).slice(flash.wavecorr === "COMPLETE" ? 1 : 0));
  }
  stage("wavecorr");
  const outside = eventsOutside(flash ? activeNow : active);
  const bursts = fuvBrstcorr(events, primary, env, segment, area, exptime);
  if (bursts) {
    complete("BRSTCORR");
    ({ gti, modified, exptime } = goodTimes(bursts));
  }
  stage("brstcorr");
  const burstLoss = burstTotals(events.time, bursts ?? []);
  hdr.set(`TBRST_${s}`, burstLoss.seconds, { comment: "time lost to bursts (s)" });
  hdr.set(`NBRST_${s}`, burstLoss.events, { comment: "events lost to bursts" });
  hdr.set(`NOUT_${s}`, outside, { comment: "events outside the active area" });
  const lost = badTimeTotals(events.time, badTimes ?? []);
  hdr.set(`TBADT_${s}`, lost.seconds, { comment: "time lost to bad time intervals (s)" });
  hdr.set(`NBADT_${s}`, lost.events, { comment: "events lost to bad time intervals" });
  const rejected = burstLoss.events + lost.events + outside + npha;
  hdr.set(`NBADEVT${s}`, rejected, { comment: "events rejected" });

  let dq: Int16Array = new Int16Array(SHAPE.nx * SHAPE.ny);
  if (switches.DQICORR === "PERFORM") {
    const bpix = loadBpixtab(requiredReference(primary, "BPIXTAB", env, "DQICORR"), segment);
    const regions = [...bpix.regions];
    const gsagtab = String(primary.get("GSAGTAB") ?? "N/A").trim();
    if (!["", "N/A"].includes(gsagtab.toUpperCase())) {
      if (hvlevel === undefined) {
        throw new CalibrationError(
          "HEADER_PROBLEM",
          `${rawName}: DQICORR with a GSAGTAB needs HVLEVEL${s} or an HVTAB`,
        );
      }
      const path = requiredReference(primary, "GSAGTAB", env, "DQICORR");
      const sag = loadGainSag(path, segment, hvlevel, expstart);
      if (sag.warning) trailer.push(`Warning: ${sag.warning}`);
      regions.push(...sag.regions);
    }
    flagEvents(events, regions);
    const range = doppler ? doppler.range(exptime) : { min: 0, max: 0 };
    const split = doppler !== undefined && range.min !== 0 && range.max !== 0;
    const boundary = split ? doppler.boundary : NO_DOPPLER.boundary;
    const shifts = flash ? fuvShiftRange(events, activeNow) : undefined;
    const slices = (split ? psaWcaSlices(boundary) : unshifted(SHAPE.ny)).map((sl) => ({ ...sl, ...shifts }));
    dq = regionsDqImage(regions, bpix.widen, SHAPE, { ...range, boundary }, slices);
    if (geometry.maps.length > 0) flagOutOfBoundsGeo(dq, SHAPE, range, geometry.maps, tempcorr?.stims);
    else flagOutOfBounds(dq, SHAPE, range, tempcorr?.stims, shifts);
    flagOutsideActiveArea(dq, SHAPE, area, range, shifts);
    complete("DQICORR");
  }
  stage("dqicorr");
  hdr.set("X_OFFSET", 0, { comment: "offset of detector in a calibrated image" });
  primary.set("CAL_VER", calVer, { comment: "CALCOS code version" });

  // everything computed before the first file is written: a failure leaves no product behind
  const images = countImages(events, exptime, SHAPE);
  stage("images");
  const timeline = fuvTimeline(events, primary, segment, env, exptime, flash?.shift1VsTime);
  stage("timeline");
  const x1d =
    switches.X1DCORR === "PERFORM" && images.flt
      ? extractFuvSegment(primary, hdr, { flt: images.flt.sci, counts: images.counts.sci, dq, ...SHAPE }, env, segment)
      : undefined;
  if (x1d) trailer.push(...x1d.trailer);
  if (x1d) stage("x1d");
  const suffix = s.toLowerCase();
  const outputs = [`${root}_corrtag_${suffix}.fits`, `${root}_counts_${suffix}.fits`, `${root}_flt_${suffix}.fits`];
  writeCorrtag(join(outDir, outputs[0]), primary, hdr, events, raw, timeline, modified ? gti : undefined);
  stage("write corrtag");
  writeCountImage(join(outDir, outputs[1]), primary, hdr, images.counts, dq, SHAPE);
  writeCountImage(join(outDir, outputs[2]), primary, hdr, images.flt, dq, SHAPE);
  stage("write counts, flt, x1d");
  trailer.push(`EXPTIME = ${exptime} s from ${gti.length} good-time interval(s); ${n} events, ${outside} outside`);
  const lampflash = flash && { ...flash, segment, primary: flash.primary.set("SEGMENT", segment) };
  return { outputs, trailer, lampflash, x1d };
}
