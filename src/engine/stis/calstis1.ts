/**
 * calstis1 on a STIS CCD file (cs1 do2d.c for the CCD): the steps asked for, in calstis1's order, on every
 * image set: DQICORR, BLEVCORR (trims), the error array, BIASCORR, DARKCORR, FLATCORR, the statistics. The
 * switches done become COMPLETE; ATODGAIN and READNSE come from the CCDTAB row. The file is changed in place.
 */

import { CalibrationError } from "../../calib/common/errors.js";
import type { ImageSet } from "../../calib/common/imset.js";
import { referencePlacement } from "../../calib/common/reference-image.js";
import {
  badImsetReason,
  biascorr,
  ccdDarkFactor,
  darkcorr,
  dqicorr,
  flatcorr,
  imageStatistics,
  initErrors,
  multiplyFlats,
} from "../../calib/stis/basic2d.js";
import { blevcorr } from "../../calib/stis/blevcorr.js";
import { type CcdParameters, ccdParameters, type StisCcdRow } from "../../calib/stis/ccdtab.js";
import { heliocentricVelocity } from "../../calib/stis/heliocentric.js";
import { ccdPhotmode, cs1History, type ReferenceRecord } from "../../calib/stis/history.js";
import type { Header } from "../../fits/index.js";
import { addHistory, applyGeometry, applyKeywords, setKeyword } from "../headers.js";
import type { ImageSetFile } from "../imset-io.js";
import type { ReferenceNames } from "../program-files.js";
import { photcorr } from "./photcorr.js";
import {
  ReferenceCache,
  readBpixtab,
  readCcdtab,
  readStisImage,
  type StisImageReference,
  type StisTable,
} from "./references.js";

/** After this date (MJD) the CCD housing temperature scales the dark (stistemperature.h BEGIN_SIDE2). */
const BEGIN_SIDE2 = 52091;
const CCD_REF_TEMP = 18;
const DEFAULT_DRK_VS_T = 0.07;

/** The calstis1 steps, in the order it runs them. */
export const CS1_STEPS = ["DQICORR", "BLEVCORR", "BIASCORR", "DARKCORR", "FLATCORR", "PHOTCORR", "STATFLAG"] as const;
export type Cs1Step = (typeof CS1_STEPS)[number];

const text = (h: Header, k: string) => String(h.get(k) ?? "").trim();

export function ccdParametersOf(primary: Header, ccdtab: StisTable<StisCcdRow>, path: string): CcdParameters {
  return ccdParameters(
    ccdtab.rows,
    {
      ccdamp: text(primary, "CCDAMP"),
      ccdgain: primary.getInt("CCDGAIN", 1),
      ccdoffst: primary.getInt("CCDOFFST", 3),
      bin: [primary.getInt("BINAXIS1", 1), primary.getInt("BINAXIS2", 1)],
    },
    `CCDTAB ${path}`,
  );
}

/** The combined flat (PFLT × DFLT) and the flats it was made of, as HISTORY names them; an LFLT is not native yet. */
function combinedFlat(references: ReferenceNames): { flat: StisImageReference; records: ReferenceRecord[] } {
  if (references.LFLTFILE) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      "FLATCORR: LFLTFILE (low-order flat) is not in the native engine yet",
      {
        step: "FLATCORR",
      },
    );
  }
  const p = references.PFLTFILE ? readStisImage("PFLTFILE", references.PFLTFILE) : undefined;
  const d = references.DFLTFILE ? readStisImage("DFLTFILE", references.DFLTFILE) : undefined;
  const records = [p, d].flatMap((r) => (r ? [{ name: r.name, pedigree: r.pedigree, descrip: r.descrip }] : []));
  if (p && d) {
    if (p.set.nx !== d.set.nx || p.set.ny !== d.set.ny) {
      throw new CalibrationError("SIZE_MISMATCH", "FLATCORR: PFLTFILE and DFLTFILE are not the same size");
    }
    return { flat: { ...p, set: multiplyFlats(p.set, d.set) }, records };
  }
  return { flat: (p ?? d)!, records };
}

/** GetDetTemp for the CCD: OCCDHTAV after the switch to side 2, else unknown (-1). */
export function ccdTemperature(sci: Header): number {
  return sci.getNumber("EXPSTART", -1) >= BEGIN_SIDE2 && sci.has("OCCDHTAV") ? sci.getNumber("OCCDHTAV") : -1;
}

function placed(set: ImageSet, ref: StisImageReference, keyword: string) {
  return referencePlacement(
    set,
    { name: ref.name, pedigree: ref.pedigree, descrip: ref.descrip, imsets: [ref.set] },
    keyword,
  );
}

/** Runs the steps on every image set of `file`; returns the trailer lines. `cache` shares references between passes. */
/** cs1 do2d.c: each imset of a spectroscopic science exposure (not a wavecal) gets its heliocentric velocity. */
export function setHeliocentricVelocity(primary: Header, sci: Header): void {
  if (text(primary, "OBSTYPE") !== "SPECTROSCOPIC" || ["WAVELINE", "WAVEHITM"].includes(text(primary, "TARGNAME")))
    return;
  if (String(sci.get("ASN_MTYP") ?? "").includes("WAVECAL")) return;
  const midpoint = (sci.getNumber("EXPSTART") + sci.getNumber("EXPEND")) / 2;
  const velocity = heliocentricVelocity(primary.getNumber("RA_TARG"), primary.getNumber("DEC_TARG"), midpoint);
  sci.set("V_HELIO", velocity, { comment: "heliocentric radial velocity (km/s)" });
}

export function calstis1(
  file: ImageSetFile,
  steps: ReadonlySet<Cs1Step>,
  references: ReferenceNames,
  cache = new ReferenceCache(),
): string[] {
  const trailer: string[] = [];
  const primary = file.primary;
  const ccdtab = cache.get("CCDTAB", () => readCcdtab(references.CCDTAB!));
  const ccd = ccdParametersOf(primary, ccdtab, references.CCDTAB!.path);
  let blevHistory: { fromOverscan: boolean; driftcorr: boolean } | undefined;
  let errorsInitialized = false;
  const bin: [number, number] = [primary.getInt("BINAXIS1", 1), primary.getInt("BINAXIS2", 1)];
  const bpixtab = references.BPIXTAB;
  const bpix = steps.has("DQICORR") && bpixtab ? cache.get("BPIXTAB", () => readBpixtab(bpixtab)) : undefined;
  const image = (k: "BIASFILE" | "DARKFILE") => cache.get(k, () => readStisImage(k, references[k]!));
  const bias = steps.has("BIASCORR") ? image("BIASFILE") : undefined;
  const dark = steps.has("DARKCORR") ? image("DARKFILE") : undefined;
  const flats = steps.has("FLATCORR") ? cache.get("FLATCORR", () => combinedFlat(references)) : undefined;
  const flat = flats?.flat;
  if (steps.has("DQICORR") && (bin[0] !== 1 || bin[1] !== 1)) {
    throw new CalibrationError("CAL_STEP_NOT_DONE", "DQICORR of binned STIS CCD data is not in the native engine yet", {
      step: "DQICORR",
    });
  }
  const biasExposure = text(primary, "TARGNAME") === "BIAS";
  let good = 0;
  for (const [k, hdus] of file.imsets.entries()) {
    let set = hdus.set;
    const sci = hdus.sci;
    const sdqflags = sci.getInt("SDQFLAGS", 31743);
    setHeliocentricVelocity(primary, sci);
    const bad = biasExposure ? undefined : badImsetReason(set, sci.getNumber("EXPTIME"));
    if (bad) {
      setKeyword(sci, "IMSET_OK", false);
      trailer.push(`Warning  imset ${k + 1} flagged as bad because ${bad}: written uncalibrated`);
      continue;
    }
    const first = good++ === 0;
    if (steps.has("DQICORR")) {
      dqicorr(set, {
        saturate: ccd.saturate,
        rows: bpix?.rows,
        optElem: text(primary, "OPT_ELEM"),
        tableSize: bpix?.size,
      });
    }
    let errBias = ccd.ccdbias;
    if (steps.has("BLEVCORR")) {
      const before = set.geometry.ltv;
      const result = blevcorr(set, {
        ccdamp: text(primary, "CCDAMP"),
        bin,
        sdqflags,
        ccdbias: ccd.ccdbias,
        blevClip: ccd.blevClip,
      });
      set = result.set;
      const shift: [number, number] = [before[0] - set.geometry.ltv[0], before[1] - set.geometry.ltv[1]];
      applyGeometry([hdus.sci, hdus.err, hdus.dq], set.geometry, shift);
      setKeyword(sci, "MEANBLEV", result.meanblev);
      trailer.push(...result.warnings);
      trailer.push(
        result.fromOverscan
          ? `imset ${k + 1}: bias level from overscan subtracted; mean of bias levels subtracted was ${result.meanblev.toPrecision(6)}`
          : `imset ${k + 1}: default bias level ${result.meanblev} subtracted`,
      );
      errBias = 0;
      if (first) blevHistory = { fromOverscan: result.fromOverscan, driftcorr: result.driftcorr };
    }
    const initialized = initErrors(set, { bias: errBias, atodgain: ccd.atodgain, readnoise: ccd.readnoise });
    if (first) errorsInitialized = initialized;
    const ncombine = Math.max(1, sci.getInt("NCOMBINE", 1));
    if (bias) biascorr(set, placed(set, bias, "BIASFILE"), ncombine);
    if (dark) {
      const exptime = sci.getNumber("EXPTIME");
      const factor = ccdDarkFactor(
        ccdTemperature(sci),
        dark.primary.getNumber("REF_TEMP", CCD_REF_TEMP),
        dark.primary.getNumber("DRK_VS_T", DEFAULT_DRK_VS_T),
      );
      const meandark = darkcorr(set, placed(set, dark, "DARKFILE"), (factor * exptime) / ccd.atodgain);
      setKeyword(sci, "MEANDARK", meandark);
    }
    if (flat) flatcorr(set, placed(set, flat, "FLATCORR"));
    if (steps.has("STATFLAG")) {
      const stats = imageStatistics(set, sdqflags);
      applyKeywords(hdus.sci, stats.sci);
      applyKeywords(hdus.err, stats.err);
    }
    hdus.set = set;
  }
  if (good === 0) return [...trailer, "Warning  No good data were written to output."];
  setKeyword(primary, "ATODGAIN", ccd.atodgain);
  setKeyword(primary, "READNSE", ccd.readnoise);
  const firstGood = file.imsets.find((i) => i.sci.get("IMSET_OK") !== false)!.sci;
  setKeyword(
    primary,
    "PHOTMODE",
    ccdPhotmode({
      aperture: text(primary, "APERTURE"),
      ccdgain: primary.getInt("CCDGAIN", 1),
      optElem: text(primary, "OPT_ELEM"),
      obstype: text(primary, "OBSTYPE"),
      cenwave: primary.has("CENWAVE") ? primary.getInt("CENWAVE") : undefined,
      expstart: firstGood.getNumber("EXPSTART", 0),
    }),
  );
  const phot = steps.has("PHOTCORR")
    ? photcorr(primary, references, { atodgain: ccd.atodgain, temperature: ccdTemperature(firstGood) })
    : undefined;
  for (const step of steps) if (step !== "STATFLAG") setKeyword(primary, step, "COMPLETE");
  if (phot?.state === "IGNORED") setKeyword(primary, "PHOTCORR", "SKIPPED");
  const history = cs1History({
    ccdtab,
    dqicorr: steps.has("DQICORR") ? { bpixtab: bpix } : undefined,
    blevcorr: blevHistory,
    errorsInitialized,
    biasfile: bias,
    darkfile: dark,
    flats: flats?.records,
    photcorr: phot,
  });
  addHistory(primary, history);
  trailer.push(...(phot?.warnings ?? []));
  return [...history, ...trailer];
}
