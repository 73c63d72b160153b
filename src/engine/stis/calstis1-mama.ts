/**
 * calstis1 on a STIS MAMA image (cs1 do2d.c for the FUV- and NUV-MAMA): the steps asked for, in calstis1's
 * order, on every image set: DQICORR (BPIXTAB, no saturation check), the Poisson error array, LORSCORR
 * (a low-res image is left as it is), GLINCORR/LFLGCORR (MLINTAB), DARKCORR (× EXPTIME, and for the NUV-MAMA
 * the TDCTAB's dark-rate factor), FLATCORR (PFLT × DFLT × the expanded LFLT), PHOTCORR, the statistics; a
 * high-res (2048²) dark or flat is binned to the low-res image as calstis1 does, after DOPPCORR's smearing
 * (mama-doppler.ts) when the switch is PERFORM and the Doppler correction was on board.
 * A global count rate over the MLINTAB limit is reported (GLOBLIM = EXCEEDED), not refused, as calstis1 does.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { ImageSet } from "../../calib/common/imset.js";
import { referencePlacement } from "../../calib/common/reference-image.js";
import { checkedRows, type TableSchema } from "../../calib/common/table-schema.js";
import {
  badImsetReason,
  darkcorr,
  dqicorr,
  flatcorr,
  imageStatistics,
  multiplyFlats,
} from "../../calib/stis/basic2d.js";
import { dopplerDqicorr } from "../../calib/stis/doppler.js";
import { cs1History, mamaNonlinearityHistory, type ReferenceRecord } from "../../calib/stis/history.js";
import { initMamaErrors, linearityRow, meanNuvDark, nonlinearity } from "../../calib/stis/mama.js";
import {
  binnedReference,
  mamaBin,
  mamaPhotmode,
  type TdcRow,
  tdcFactor,
  withLowOrderFlat,
} from "../../calib/stis/mama-steps.js";
import type { Header } from "../../fits/index.js";
import { addHistory, applyKeywords, setKeyword } from "../headers.js";
import type { ImageSetFile } from "../imset-io.js";
import type { ReferenceName, ReferenceNames } from "../program-files.js";
import { readReferenceTable } from "../reference-files.js";
import { setHeliocentricVelocity } from "./calstis1.js";
import { dopplerHistory, flatBorder, type MamaDoppler, mamaDoppler, smearedReference } from "./mama-doppler.js";
import { photcorr } from "./photcorr.js";
import { readBpixtab, readMlintab, readStisImage, type StisImageReference, type StisTable } from "./references.js";

/** The calstis1 steps of a MAMA, in the order it runs them. */
export const MAMA_STEPS = [
  "DQICORR",
  "LORSCORR",
  "GLINCORR",
  "LFLGCORR",
  "DARKCORR",
  "FLATCORR",
  "PHOTCORR",
  "STATFLAG",
] as const;
export type MamaStep = (typeof MAMA_STEPS)[number];

const text = (h: Header, k: string) => String(h.get(k) ?? "").trim();
const record = (r: { name: string; pedigree: string; descrip: string }): ReferenceRecord => ({
  name: r.name,
  pedigree: r.pedigree,
  descrip: r.descrip,
});

const TDCTAB_COLUMNS: TableSchema<TdcRow> = {
  DATE0: "number",
  TEMP0: "number",
  A1: "number",
  D1: "number",
  A2: "number",
  D2: "number",
  TA: "number",
  TB: "number",
  TC: "number",
};

/** The post-SM4 TDCTAB; the original format (MJD, SCALE, NORM, T_MIN) is refused by name. */
function readTdctab(ref: ReferenceName): StisTable<TdcRow> {
  const table = readReferenceTable("TDCTAB", ref.path);
  if (!("DATE0" in table.columnTypes) && "MJD" in table.columnTypes) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `TDCTAB = '${ref.name}': ${ref.path} is in the original (pre-SM4) format, not in the native engine yet`,
      { step: "DARKCORR" },
    );
  }
  const rows = checkedRows(table.rows, TDCTAB_COLUMNS, `TDCTAB ${ref.path} extension 1`);
  return { name: ref.name, pedigree: table.pedigree, descrip: table.descrip, rows };
}

/** The combined flat of doFlat: PFLT × DFLT, times the LFLT expanded to their size. */
function mamaFlat(references: ReferenceNames): { flat: StisImageReference; records: ReferenceRecord[] } {
  const read = (k: "PFLTFILE" | "DFLTFILE" | "LFLTFILE") =>
    references[k] ? readStisImage(k, references[k]) : undefined;
  const [p, d, l] = [read("PFLTFILE"), read("DFLTFILE"), read("LFLTFILE")];
  const records = [p, d, l].flatMap((r) => (r ? [record(r)] : []));
  let flat = p;
  if (p && d) {
    if (p.set.nx !== d.set.nx || p.set.ny !== d.set.ny) {
      throw new CalibrationError("SIZE_MISMATCH", "FLATCORR: PFLTFILE and DFLTFILE are not the same size");
    }
    flat = { ...p, set: multiplyFlats(p.set, d.set) };
  } else flat = p ?? d;
  if (l) {
    if (!flat) {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        "FLATCORR: an LFLTFILE without PFLTFILE or DFLTFILE is not in the native engine yet",
        { step: "FLATCORR" },
      );
    }
    flat = { ...flat, set: withLowOrderFlat(flat.set, l.set, `FLATCORR: LFLTFILE ${l.name}`) };
  }
  return { flat: flat!, records };
}

function placed(set: ImageSet, ref: StisImageReference, keyword: string) {
  return referencePlacement(
    set,
    { name: ref.name, pedigree: ref.pedigree, descrip: ref.descrip, imsets: [ref.set] },
    keyword,
  );
}

/** GetDetTemp for a MAMA: OM1CAT (FUV) or OM2CAT (NUV) of the SCI header, −1 when absent. */
function mamaTemperature(sci: Header, detector: string): number {
  const keyword = detector === "FUV-MAMA" ? "OM1CAT" : "OM2CAT";
  return sci.has(keyword) ? sci.getNumber(keyword, -1) : -1;
}

/** Runs the steps on every image set of a MAMA `file`; returns the trailer lines. The file is changed in place. */
export function calstis1Mama(file: ImageSetFile, steps: ReadonlySet<MamaStep>, references: ReferenceNames): string[] {
  const trailer: string[] = [];
  const primary = file.primary;
  const detector = text(primary, "DETECTOR").toUpperCase();
  const bpix = steps.has("DQICORR") && references.BPIXTAB ? readBpixtab(references.BPIXTAB) : undefined;
  const nonlin = steps.has("GLINCORR") || steps.has("LFLGCORR");
  const mlin = nonlin ? readMlintab(references.MLINTAB!) : undefined;
  const row = mlin ? linearityRow(mlin.rows, detector, `MLINTAB ${references.MLINTAB!.path}`) : undefined;
  const dark = steps.has("DARKCORR") ? readStisImage("DARKFILE", references.DARKFILE!) : undefined;
  const tdc = dark && detector === "NUV-MAMA" ? readTdctab(references.TDCTAB!) : undefined;
  const flats = steps.has("FLATCORR") ? mamaFlat(references) : undefined;
  let errorsInitialized = false;
  let good = 0;
  let doppcorr = text(primary, "DOPPCORR").toUpperCase() === "PERFORM";
  const smeared: string[] = [];
  for (const [k, hdus] of file.imsets.entries()) {
    const set = hdus.set;
    const sci = hdus.sci;
    setHeliocentricVelocity(primary, sci);
    const exptime = sci.getNumber("EXPTIME");
    const bad = badImsetReason(set, exptime);
    if (bad) {
      setKeyword(sci, "IMSET_OK", false);
      trailer.push(`Warning  imset ${k + 1} flagged as bad because ${bad}: written uncalibrated`);
      continue;
    }
    const first = good++ === 0;
    // calstis1 silently omits DOPPCORR from the first image set whose DOPPON is false on
    const doppler: MamaDoppler | undefined = doppcorr ? mamaDoppler(primary, sci) : undefined;
    if (doppcorr && !doppler) doppcorr = false;
    const smear = (ref: StisImageReference, border: number, step: string, what: string) => {
      if (!doppler) return ref;
      if (first) smeared.push(step);
      return smearedReference(set, ref, doppler, border, what);
    };
    const bin = mamaBin(set.geometry.ltm);
    if (bin[0] !== 2 || bin[1] !== 2) {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `imset ${k + 1}: a high-res MAMA image (LTM ${set.geometry.ltm.join(", ")}) is not in the native engine yet`,
        { step: "LORSCORR" },
      );
    }
    if (steps.has("DQICORR") && doppler) {
      if (first) smeared.push("DQICORR");
      const o = { rows: bpix?.rows ?? [], tableSize: bpix?.size ?? [set.nx, set.ny], range: doppler.range };
      dopplerDqicorr(set, { ...o, optElem: text(primary, "OPT_ELEM") });
    } else if (steps.has("DQICORR")) {
      const o = { saturate: Number.POSITIVE_INFINITY, rows: bpix?.rows, tableSize: bpix?.size };
      dqicorr(set, { ...o, optElem: text(primary, "OPT_ELEM") });
    }
    const initialized = initMamaErrors(set);
    if (first) errorsInitialized = initialized;
    if (row) {
      const result = nonlinearity(set, {
        row,
        exptime,
        glincorr: steps.has("GLINCORR"),
        lflgcorr: steps.has("LFLGCORR"),
        bin,
        headerGlobrate: sci.getNumber("GLOBRATE", 0),
      });
      setKeyword(sci, "GLOBLIM", result.exceeded ? "EXCEEDED" : "NOT-EXCEEDED");
      if (exptime > 0) setKeyword(sci, "GLOBRATE", result.globrate);
      if (result.exceeded) {
        trailer.push(
          `Warning  imset ${k + 1}: GLOBRATE ${result.globrate.toPrecision(6)} counts/s exceeds the MLINTAB limit ${row.GLOBAL_LIMIT} (GLOBAL_LIMIT of ${references.MLINTAB!.name}): GLOBLIM = EXCEEDED, not corrected for nonlinearity`,
        );
      }
    }
    if (dark) {
      const used = smear(dark, 0, "DARKCORR", `DARKFILE ${dark.name}`);
      let factor = 1;
      if (tdc) {
        const t = tdcFactor(tdc.rows, {
          expstart: sci.getNumber("EXPSTART"),
          temperature: mamaTemperature(sci, detector),
          meanDark: meanNuvDark(used.set),
          table: `TDCTAB ${references.TDCTAB!.path}`,
        });
        factor = t.factor;
        trailer.push(...t.warnings);
      }
      const binned = { ...used, set: binnedReference(set, used.set, false, `DARKFILE ${dark.name}`) };
      setKeyword(sci, "MEANDARK", darkcorr(set, placed(set, binned, "DARKFILE"), factor * exptime));
    }
    if (flats) {
      const flat = doppler
        ? smear(flats.flat, flatBorder(doppler), "FLATCORR", `the flat field ${flats.flat.name}`)
        : flats.flat;
      const binned = { ...flat, set: binnedReference(set, flat.set, true, "FLATCORR") };
      flatcorr(set, placed(set, binned, "FLATCORR"));
    }
    if (steps.has("STATFLAG")) {
      const stats = imageStatistics(set, sci.getInt("SDQFLAGS", 32767));
      applyKeywords(hdus.sci, stats.sci);
      applyKeywords(hdus.err, stats.err);
    }
  }
  if (good === 0) return [...trailer, "Warning  No good data were written to output."];
  const firstGood = file.imsets.find((i) => i.sci.get("IMSET_OK") !== false)!.sci;
  setKeyword(
    primary,
    "PHOTMODE",
    mamaPhotmode({
      aperture: text(primary, "APERTURE"),
      optElem: text(primary, "OPT_ELEM"),
      detector,
      obstype: text(primary, "OBSTYPE"),
      cenwave: primary.has("CENWAVE") ? primary.getInt("CENWAVE") : undefined,
      expstart: firstGood.getNumber("EXPSTART", 0),
    }),
  );
  const phot = steps.has("PHOTCORR")
    ? photcorr(primary, references, { atodgain: 1, temperature: mamaTemperature(firstGood, detector) })
    : undefined;
  for (const step of steps) if (step !== "STATFLAG") setKeyword(primary, step, "COMPLETE");
  if (steps.has("LORSCORR")) setKeyword(primary, "LORSCORR", "SKIPPED");
  if (phot?.state === "IGNORED") setKeyword(primary, "PHOTCORR", "SKIPPED");
  const mama = [
    ...(steps.has("LORSCORR") ? ["LORSCORR skipped; image is already low-res."] : []),
    ...(mlin ? mamaNonlinearityHistory(steps.has("GLINCORR"), steps.has("LFLGCORR"), record(mlin)) : []),
  ];
  const history = cs1History({
    dqicorr: steps.has("DQICORR") ? { bpixtab: bpix } : undefined,
    errorsInitialized,
    mama,
    darkfile: dark,
    tdctab: tdc,
    flats: flats?.records,
    photcorr: phot,
  });
  addHistory(primary, history);
  const doppHistory = dopplerHistory(smeared);
  addHistory(primary, doppHistory);
  trailer.push(...(phot?.warnings ?? []));
  return [...history, ...doppHistory, ...trailer];
}
