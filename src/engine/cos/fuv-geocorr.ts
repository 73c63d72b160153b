/**
 * RANDCORR, GEOCORR/DGEOCORR and IGEOCORR of an FUV segment as calcos' timetag.py does them: RANDCORR with the
 * primary header's RANDSEED (−1: a seed from the clock, written back as RANDSEED, as calcos does), then after
 * TEMPCORR the distortion images of GEOFILE (and DGEOFILE) subtracted from XCORR/YCORR. The images are the
 * extensions (SEGMENT, 1) for X and (SEGMENT, 2) for Y, with the same ORIGIN_X/ORIGIN_Y and XBIN/YBIN.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import { type GeoImages, geocorrect } from "../../calib/cos/geocorr.js";
import { randomizeEvents } from "../../calib/cos/randcorr.js";
import { FitsFile, type Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { requiredReference } from "./switches.js";

const perform = (primary: Header, key: string) => primary.getString(key, "OMIT").trim().toUpperCase() === "PERFORM";

/** RANDCORR when PERFORM: returns the seed used (undefined when not done). */
export function fuvRandcorr(
  events: CorrtagEvents,
  active: Uint8Array,
  primary: Header,
  file: string,
): number | undefined {
  if (!perform(primary, "RANDCORR")) return undefined;
  let seed = primary.getNumber("RANDSEED", -1);
  if (seed === -1) {
    seed = Math.floor(Date.now() / 1000);
    primary.set("RANDSEED", seed, { comment: "seed for random number generator" });
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new CalibrationError(
      "HEADER_PROBLEM",
      `${file}: RANDSEED = ${seed}: not -1 or an integer from 0 to 2**32 - 1`,
    );
  }
  randomizeEvents(events, active, seed);
  return seed;
}

export function loadGeoImages(path: string, keyword: string, segment: string): GeoImages {
  const where = `${keyword} ${basename(path)}`;
  const file = FitsFile.open(path);
  try {
    const find = (extver: number) => {
      const index = file.hdus.findIndex(
        (h, i) =>
          i > 0 &&
          String(h.header.get("EXTNAME") ?? "")
            .trim()
            .toUpperCase() === segment &&
          h.header.getInt("EXTVER", 1) === extver,
      );
      if (index < 0) throw new CalibrationError("INVALID_VALUE", `${where}: has no extension (${segment},${extver})`);
      const image = file.readImage(index);
      if (image.axes.length !== 2) {
        throw new CalibrationError("INVALID_VALUE", `${where}[${segment},${extver}]: is not a 2-D image`);
      }
      const h = file.hdus[index].header;
      const data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data as ArrayLike<number>);
      const keys = ["ORIGIN_X", "ORIGIN_Y", "XBIN", "YBIN"].map((k, n) => h.getInt(k, n < 2 ? 0 : 1));
      return { data, axes: image.axes, keys };
    };
    const x = find(1);
    const y = find(2);
    if (x.axes[0] !== y.axes[0] || x.axes[1] !== y.axes[1]) {
      throw new CalibrationError("INVALID_VALUE", `${where}[${segment}]: the X and Y images differ in shape`);
    }
    if (x.keys.some((v, n) => v !== y.keys[n])) {
      throw new CalibrationError("INVALID_VALUE", `${where}[${segment}]: inconsistent ORIGIN_X/_Y or XBIN/YBIN`);
    }
    const [originX, originY, xbin, ybin] = x.keys;
    if (xbin <= 0 || ybin <= 0) throw new CalibrationError("INVALID_VALUE", `${where}[${segment}]: XBIN/YBIN ≤ 0`);
    return { x: x.data, y: y.data, nx: x.axes[0], ny: x.axes[1], originX, originY, xbin, ybin };
  } finally {
    file.close();
  }
}

export interface FuvGeometry {
  steps: string[];
  /** The maps fuvFlagOutOfBounds distorts the frame with: none unless GEOCORR was done (DGEOCORR alone: none). */
  maps: { images: GeoImages; interpolate: boolean }[];
}

/** GEOCORR then DGEOCORR where PERFORM: the steps done and the maps used (fuvFlagOutOfBounds needs them). */
export function fuvGeocorr(events: CorrtagEvents, primary: Header, env: Env, segment: string): FuvGeometry {
  const interpolate = perform(primary, "IGEOCORR");
  const result: FuvGeometry = { steps: [], maps: [] };
  for (const [step, keyword] of [
    ["GEOCORR", "GEOFILE"],
    ["DGEOCORR", "DGEOFILE"],
  ]) {
    if (!perform(primary, step)) continue;
    const images = loadGeoImages(requiredReference(primary, keyword, env, step), keyword, segment);
    geocorrect(events.xcorr, events.ycorr, images, interpolate);
    result.steps.push(step);
    result.maps.push({ images, interpolate });
  }
  if (interpolate && result.steps.length > 0) result.steps.push("IGEOCORR");
  if (!result.steps.includes("GEOCORR")) result.maps = [];
  return result;
}
