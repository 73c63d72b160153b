/**
 * The native part of cs0.e for a MAMA echelle spectrum: WAVECORR (calstis1 of the `_wav` into `<root>_fwv_tmp`,
 * calstis4's echelle cross-correlation, calstis12's shifts into the `_flt`). Its X2DCORR and X1DCORR (one x2d imset
 * and one x1d row per order) are not native yet and are refused by name; the wavecal's tables are read when the
 * exposure is prepared, so that a missing row or an unknown CENWAVE is said before anything is written.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { resolveReferenceNames } from "../program-files.js";
import type { Env } from "../reference-files.js";
import { naming, performs, upper } from "./calstis-shared.js";
import type { Spectroscopy } from "./calstis-spectro.js";
import { ECHELLE_WAVECAL_REFERENCES, echelleWavecalTables } from "./calstis4-echelle.js";
import { wavecalOf } from "./wavecal-chain.js";

export const isEchelle = (primary: Header) => upper(primary, "OPT_ELEM").startsWith("E");

/** The echelle's spectroscopic steps, checked; undefined when WAVECORR is not PERFORM. */
export function prepareEchelle(primary: Header, raw: string, dir: string, env: Env): Spectroscopy | undefined {
  const asked = ["X2DCORR", "X1DCORR"].filter((s) => performs(primary, s));
  if (asked.length > 0) {
    const optElem = upper(primary, "OPT_ELEM");
    const message = `${raw}: OPT_ELEM = '${optElem}': ${asked.join(", ")} of a MAMA echelle spectrum is not native yet`;
    throw new CalibrationError("CAL_STEP_NOT_DONE", message, { step: asked[0] });
  }
  if (!performs(primary, "WAVECORR")) return undefined;
  return naming(raw, () => {
    const wavecal = wavecalOf(primary, raw, dir);
    const refs = resolveReferenceNames(primary, [...ECHELLE_WAVECAL_REFERENCES], () => false, env);
    const fits = FitsFile.open(wavecal);
    try {
      // cs4 reads the lamp's SCLAMP/LAMPSET from the wavecal, the rest as the science names it
      const lamp = fits.hdus[0]!.header;
      for (const k of ["SCLAMP", "LAMPSET", "APER_FOV"]) primary = withKey(primary, k, lamp.get(k));
      echelleWavecalTables(primary, refs);
    } finally {
      fits.close();
    }
    return { wavecal, x2d: false, refs, echelle: true };
  });
}

function withKey(h: Header, key: string, value: unknown): Header {
  const copy = h.clone();
  if (typeof value === "string" || typeof value === "number") copy.set(key, value);
  return copy;
}
