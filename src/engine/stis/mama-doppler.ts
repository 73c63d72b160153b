/**
 * DOPPCORR of a MAMA ACCUM image set (cs1 getgrpinfo1.c, dodqi.c, dodark.c, doflat.c, do2d.c DoppMsg): the
 * Doppler keywords of the SCI header (DOPPON, DOPPZERO, DOPPMAG, ORBITPER; a spectrum's dispersion sign from
 * CD1_1), the smearing of each high-res reference before it is binned, and the history line naming the steps.
 * DOPPON false leaves the switch silently omitted, as calstis1 does.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { ImageSet } from "../../calib/common/imset.js";
import { dopplerConvolve, dopplerSmearing, smearingRange } from "../../calib/stis/doppler.js";
import type { Header } from "../../fits/index.js";
import type { StisImageReference } from "./references.js";

export interface MamaDoppler {
  ds: Float32Array;
  d0: number;
  doppmag: number;
  /** The smearing's first and last shifts (high-res pixels). */
  range: [number, number];
}

function required(sci: Header, keyword: string): number {
  if (!sci.has(keyword)) {
    throw new CalibrationError("HEADER_PROBLEM", `DOPPCORR = PERFORM and DOPPON = T, but ${keyword} is missing`, {
      step: "DOPPCORR",
    });
  }
  return sci.getNumber(keyword);
}

/**
 * The smearing of an image set's exposure, or undefined when the Doppler correction was off on board (DOPPON
 * false or absent; a TIME-TAG exposure's DOPPMAG > 0 counts as on).
 */
export function mamaDoppler(primary: Header, sci: Header): MamaDoppler | undefined {
  const text = (k: string) => String(primary.get(k) ?? "").trim();
  const doppon = sci.get("DOPPON");
  const timetag = text("OBSMODE") === "TIME-TAG" && sci.getNumber("DOPPMAG", -1) > 0;
  if (doppon !== true && doppon !== 1 && !timetag) return undefined;
  const parameters = {
    doppzero: required(sci, "DOPPZERO"),
    doppmag: required(sci, "DOPPMAG"),
    orbitper: required(sci, "ORBITPER"),
  };
  // getgrpinfo1.c: +1 for an image; a spectrum's sign of the CD element along its DISPAXIS
  const dispaxis = sci.getInt("DISPAXIS", 1);
  const cd = sci.getNumber(dispaxis === 2 ? "CD2_2" : "CD1_1", 1);
  const dispsign = text("OBSTYPE") === "SPECTROSCOPIC" && cd < 0 ? -1 : 1;
  const { ds, d0 } = dopplerSmearing(parameters, sci.getNumber("EXPSTART"), sci.getNumber("EXPTIME"), dispsign);
  return { ds, d0, doppmag: parameters.doppmag, range: smearingRange(ds, d0) };
}

/** A high-res reference smeared by the Doppler motion (`border` columns at each edge left empty). */
export function smearedReference(
  set: ImageSet,
  ref: StisImageReference,
  doppler: MamaDoppler,
  border: number,
  what: string,
): StisImageReference {
  if (ref.set.nx <= set.nx || ref.set.ny <= set.ny) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `Doppler convolution (DOPPCORR) was specified, but ${what} is binned to low-res pixels`,
      { step: "DOPPCORR" },
    );
  }
  return { ...ref, set: dopplerConvolve(ref.set, border, doppler.ds, doppler.d0) };
}

/** The flat's border: DOPPMAG rounded, the flight software's effective subarray for ACCUM. */
export const flatBorder = (doppler: MamaDoppler) =>
  doppler.doppmag >= 0 ? Math.trunc(doppler.doppmag + 0.5) : Math.trunc(doppler.doppmag - 0.5);

/** do2d.c's DoppMsg: "DOPPCORR applied to DQICORR, DARKCORR, FLATCORR" (the steps run). */
export const dopplerHistory = (steps: readonly string[]) =>
  steps.length > 0 ? [`DOPPCORR applied to ${steps.join(", ")}`] : [];
