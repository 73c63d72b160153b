/**
 * The references the CTE branch needs when PCTECORR = PERFORM (PCTETAB, and the DRKCFILE that replaces
 * DARKFILE for the _flc), checked before any pixel work so that a missing one fails early, naming the raw file,
 * the keyword and the path, and no partial _flc is written.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import { type Env, requireReferenceOf } from "../reference-files.js";

export interface CteReferences {
  pctetab: string;
  drkcfile?: string;
}

/**
 * `needsDark`: DARKCORR = PERFORM (the CTE branch's dark is then DRKCFILE); `pctetab`: a file given instead of
 * the header's PCTETAB (calacs.e --pctetab).
 */
export function cteReferences(
  primary: Header,
  raw: string,
  env: Env,
  needsDark: boolean,
  pctetab?: string,
): CteReferences {
  const required = (keyword: string) => {
    try {
      return requireReferenceOf(primary, keyword, env);
    } catch (e) {
      if (!(e instanceof CalibrationError)) throw e;
      throw new CalibrationError(e.code, `${raw}: PCTECORR = PERFORM: ${e.message}`, { step: "PCTECORR" });
    }
  };
  return { pctetab: pctetab ?? required("PCTETAB"), drkcfile: needsDark ? required("DRKCFILE") : undefined };
}
