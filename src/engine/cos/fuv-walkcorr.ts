/**
 * XWLKCORR and YWLKCORR of an FUV segment: the lookup image of the segment (the XWLKFILE/YWLKFILE extension whose
 * SEGMENT is it), the walk of every event computed before either is applied, then both subtracted in the
 * active area. Returns the steps done.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import { applyWalkImages, type WalkImage } from "../../calib/cos/walkcorr.js";
import { FitsFile, type Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { requiredReference } from "./switches.js";

function loadWalkImage(path: string, keyword: string, segment: string): WalkImage {
  const file = FitsFile.open(path);
  try {
    const index = file.hdus.findIndex((h, i) => i > 0 && String(h.header.get("SEGMENT") ?? "").trim() === segment);
    if (index < 0) throw new CalibrationError("INVALID_VALUE", `${keyword} ${basename(path)}: has no ${segment} image`);
    const image = file.readImage(index);
    if (image.axes.length !== 2) {
      throw new CalibrationError("INVALID_VALUE", `${keyword} ${basename(path)}[${index}]: is not a 2-D image`);
    }
    const data = image.data instanceof Float64Array ? image.data : Float32Array.from(image.data as ArrayLike<number>);
    return { data, nx: image.axes[0], ny: image.axes[1] };
  } finally {
    file.close();
  }
}

const perform = (primary: Header, key: string) => primary.getString(key, "OMIT").trim().toUpperCase() === "PERFORM";

export function fuvWalkcorr(
  events: CorrtagEvents,
  active: Uint8Array,
  primary: Header,
  env: Env,
  segment: string,
): string[] {
  const walk = (switchKey: string, fileKey: string) =>
    perform(primary, switchKey)
      ? loadWalkImage(requiredReference(primary, fileKey, env, switchKey), fileKey, segment)
      : undefined;
  const dx = walk("XWLKCORR", "XWLKFILE");
  const dy = walk("YWLKCORR", "YWLKFILE");
  applyWalkImages(events, active, dx, dy);
  return [dx ? "XWLKCORR" : "", dy ? "YWLKCORR" : ""].filter((s) => s !== "");
}
