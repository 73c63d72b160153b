/**
 * The native part of cs0.e for a MAMA echelle spectrum: WAVECORR (calstis1 of the `_wav` into `<root>_fwv_tmp`,
 * calstis4's echelle cross-correlation, calstis12's shifts into the `_flt`) and X2DCORR (calstis7: one `_x2d` image
 * set per SDCTAB order); its X1DCORR (one x1d row per order) is calstis6-echelle.ts. The tables are read when the
 * exposure is prepared, so that a missing row, order or an unknown CENWAVE is said before anything is written.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { resolveReferenceNames } from "../program-files.js";
import type { Env } from "../reference-files.js";
import { naming, performs } from "./calstis-shared.js";
import type { Spectroscopy } from "./calstis-spectro.js";
import { ECHELLE_WAVECAL_REFERENCES, echelleWavecalTables } from "./calstis4-echelle.js";
import { CS7_FLUX_REFERENCES, CS7_REFERENCES, selectionOf } from "./calstis7.js";
import { ordersOf, readFluxTables, readGeometryTables } from "./calstis7-tables.js";
import { wavecalOf } from "./wavecal-chain.js";

const OPTIONAL = new Set<string>(["PCTAB", "TDSTAB"]);

/** The echelle's spectroscopic steps, checked; undefined when neither WAVECORR nor X2DCORR is PERFORM. */
export function prepareEchelle(primary: Header, raw: string, dir: string, env: Env): Spectroscopy | undefined {
  const wavecorr = performs(primary, "WAVECORR");
  const x2d = performs(primary, "X2DCORR");
  if (!wavecorr && !x2d) return undefined;
  return naming(raw, () => {
    const flux = x2d && performs(primary, "FLUXCORR");
    const keywords = [
      ...(wavecorr ? ECHELLE_WAVECAL_REFERENCES : []),
      ...(x2d ? CS7_REFERENCES : []),
      ...(flux ? CS7_FLUX_REFERENCES : []),
    ];
    const refs = resolveReferenceNames(primary, [...new Set(keywords)], (k) => OPTIONAL.has(k), env);
    const wavecal = wavecorr ? wavecalOf(primary, raw, dir) : undefined;
    if (wavecal) {
      const fits = FitsFile.open(wavecal);
      try {
        // cs4 reads the lamp's SCLAMP/LAMPSET from the wavecal, the rest as the science names it
        const lamp = fits.hdus[0]!.header;
        const tables = echelleWavecalTables(withKeys(primary, lamp, ["SCLAMP", "LAMPSET", "APER_FOV"]), refs);
        if (x2d && tables.dispersion.a4corr !== 0) {
          const message = `DISPTAB ${refs.DISPTAB!.name}: X2DCORR with A4CORR ≠ 0 (the MAMA offset skew) is not native yet`;
          throw new CalibrationError("CAL_STEP_NOT_DONE", message, { step: "X2DCORR" });
        }
      } finally {
        fits.close();
      }
    }
    if (x2d) {
      const selection = selectionOf(primary, raw);
      for (const sporder of ordersOf(refs, selection)) {
        readGeometryTables(refs, { ...selection, sporder }, 0);
        if (flux) readFluxTables(refs, { ...selection, sporder }, 0);
      }
    }
    return { wavecal, x2d, refs, echelle: true };
  });
}

function withKeys(h: Header, from: Header, keys: readonly string[]): Header {
  const copy = h.clone();
  for (const key of keys) {
    const value = from.get(key);
    if (typeof value === "string" || typeof value === "number") copy.set(key, value);
  }
  return copy;
}
