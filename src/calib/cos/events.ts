/**
 * A COS TIME-TAG event list as calcos' corrtag holds it: one typed array per column, no per-event objects
 * (an FUV exposure has tens of millions of events). The raw columns are TIME, RAWX, RAWY (and PHA for FUV);
 * XCORR/YCORR start as RAWX/RAWY, EPSILON as 1, DQ and WAVELENGTH as 0 (calcos' writeOutputEvents).
 */
import { CalibrationError } from "../common/errors.js";

export interface CorrtagEvents {
  time: Float32Array;
  rawx: Int16Array;
  rawy: Int16Array;
  xcorr: Float32Array;
  ycorr: Float32Array;
  xdopp: Float32Array;
  xfull: Float32Array;
  yfull: Float32Array;
  wavelength: Float32Array;
  epsilon: Float32Array;
  dq: Int16Array;
  pha: Uint8Array;
}

export interface RawEvents {
  time: Float32Array;
  rawx: Int16Array;
  rawy: Int16Array;
  pha?: Uint8Array;
}

export const NUV_X = 1024;
export const NUV_Y = 1024;
/** Columns of the NUV spectroscopic images (calcos' NUV_EXTENDED_X) and where the detector starts in them. */
export const NUV_EXTENDED_X = NUV_X + 250;
export const NUV_X_OFFSET = 100;
export const FUV_X = 16384;
export const FUV_Y = 1024;

/** C's NINT in calcos' ccos extension: floor(x + 0.5). */
export const nint = (x: number) => Math.floor(x + 0.5);

/**
 * The corrtag columns before any correction. Events outside the detector (RAWX/RAWY beyond 0 … size − 1) or
 * times that go backwards are refused: they come from a damaged file, and calcos would silently drop or
 * misplace them. `where` names the file and table in the error.
 */
export function initialCorrtag(raw: RawEvents, detector: "NUV" | "FUV", where: string): CorrtagEvents {
  const n = raw.time.length;
  const [nx, ny] = detector === "NUV" ? [NUV_X, NUV_Y] : [FUV_X, FUV_Y];
  let outside = 0;
  let first = -1;
  for (let k = 0; k < n; k++) {
    const x = raw.rawx[k];
    const y = raw.rawy[k];
    if (x < 0 || x >= nx || y < 0 || y >= ny) {
      outside++;
      if (first < 0) first = k;
    }
    if (k > 0 && raw.time[k] < raw.time[k - 1]) {
      throw new CalibrationError("INVALID_VALUE", `${where}: TIME decreases at row ${k + 1} (events must be in order)`);
    }
  }
  if (outside > 0) {
    const at = `row ${first + 1}: RAWX ${raw.rawx[first]}, RAWY ${raw.rawy[first]}`;
    throw new CalibrationError(
      "INVALID_VALUE",
      `${where}: ${outside} event(s) outside the ${nx}x${ny} ${detector} detector (first at ${at})`,
    );
  }
  const xcorr = Float32Array.from(raw.rawx);
  const ycorr = Float32Array.from(raw.rawy);
  return {
    time: raw.time,
    rawx: raw.rawx,
    rawy: raw.rawy,
    xcorr,
    ycorr,
    xdopp: xcorr.slice(),
    xfull: xcorr.slice(),
    yfull: ycorr.slice(),
    wavelength: new Float32Array(n),
    epsilon: new Float32Array(n).fill(1),
    dq: new Int16Array(n),
    // calcos keeps PHA for FUV only; NUV events get 0.
    pha: detector === "FUV" && raw.pha ? raw.pha : new Uint8Array(n),
  };
}
