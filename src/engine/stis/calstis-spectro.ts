/**
 * calstis' spectroscopic steps for a first-order CCD exposure, in cs0's order: the wavecal chain (before
 * the science's products are written, so that they carry its SHIFTA1/SHIFTA2 as calstis12 writes them),
 * then calstis7 of the `_crj` into `_sx2` (of the `_flt` into `_x2d` for a single exposure). What the steps
 * need is checked when the exposure is prepared, before anything is written: the wavecal, every reference,
 * the table rows for OPT_ELEM/CENWAVE. calstis6 (X1DCORR) runs after calstis7, as in cs0.
 */
import { basename, join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import type { ImageSetFile } from "../imset-io.js";
import { readImageSetFile } from "../imset-io.js";
import { type ReferenceNames, resolveReferenceNames } from "../program-files.js";
import type { DetectorRun, Exposure, ProgramContext } from "../program-run.js";
import type { Env } from "../reference-files.js";
import { naming, performs, upper } from "./calstis-shared.js";
import { runCalstis6 } from "./calstis6.js";
import { runCalstis6Echelle } from "./calstis6-echelle.js";
import { CS7_FLUX_REFERENCES, CS7_REFERENCES, calstis7, selectionOf } from "./calstis7.js";
import { readFluxTables, readGeometryTables } from "./calstis7-tables.js";
import { applyWavecalShifts, wavecalChain, wavecalOf } from "./wavecal-chain.js";

export interface Spectroscopy {
  /** The `_wav` (WAVECORR = PERFORM). */
  wavecal?: string;
  /** The rectified wavecal with its shifts, once the wavecal phase ran. */
  w2d?: string;
  x2d: boolean;
  refs: ReferenceNames;
  /** An echelle: the wavecal is not rectified, calstis4 reads its calstis1 `<root>_fwv_tmp` (calstis-echelle.ts). */
  echelle?: boolean;
}

interface SpectroExposure extends Exposure {
  spectro?: Spectroscopy;
  crcorr: boolean;
  /** X1DCORR = PERFORM: calstis6 on the `_crj` (→ `_sx1`) or the `_flt` (→ `_x1d`). */
  x1dcorr: boolean;
  /** A MAMA echelle: one x1d row per order. */
  echelle?: boolean;
}

const OPTIONAL = new Set<string>(["PCTAB", "TDSTAB"]);
/** Switches of a spectrum: PERFORM on an image is refused, as the native calstis does them for spectra only. */
const SPECTROSCOPIC_STEPS = ["WAVECORR", "X2DCORR", "X1DCORR"];

/** The spectroscopic steps of a science raw, checked; undefined for an image or when none is PERFORM. */
export function prepareSpectroscopy(primary: Header, raw: string, dir: string, env: Env): Spectroscopy | undefined {
  if (upper(primary, "OBSTYPE") !== "SPECTROSCOPIC") {
    const asked = SPECTROSCOPIC_STEPS.filter((s) => performs(primary, s));
    if (asked.length === 0) return undefined;
    const message = `${raw}: ${asked.join(", ")} = PERFORM is not in the native calstis yet`;
    throw new CalibrationError("CAL_STEP_NOT_DONE", message, { step: asked[0] });
  }
  const wavecorr = performs(primary, "WAVECORR");
  const x2d = performs(primary, "X2DCORR");
  if (!wavecorr && !x2d) return undefined;
  return naming(raw, () => {
    const wavecal = wavecorr ? wavecalOf(primary, raw, dir) : undefined;
    const keywords: string[] = wavecorr ? ["WCPTAB", "LAMPTAB", "APDESTAB"] : [];
    const flux = x2d && performs(primary, "FLUXCORR");
    if (x2d || wavecorr) keywords.push(...CS7_REFERENCES);
    if (flux) keywords.push(...CS7_FLUX_REFERENCES);
    const refs = resolveReferenceNames(primary, [...new Set(keywords)], (k) => OPTIONAL.has(k), env);
    const selection = selectionOf(primary, raw);
    readGeometryTables(refs, selection, 0);
    if (flux) readFluxTables(refs, selection, 0);
    return { wavecal, x2d, refs };
  });
}

/** The wavecal chain of each exposure that has one, into the run's scratch store. */
export async function wavecalPhase(run: DetectorRun<SpectroExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members) {
    const spectro = member.spectro;
    if (!spectro?.wavecal) continue;
    const w2d = ctx.store.path(`${member.root}_${spectro.echelle ? "fwv" : "w2d"}_tmp`);
    const { trailer } = wavecalChain(spectro.wavecal, w2d, spectro.refs, ctx.env);
    spectro.w2d = w2d;
    member.trailer.push(...trailer);
    for (const line of trailer.filter((l) => l.startsWith("Warning"))) ctx.log(`${basename(spectro.wavecal)}: ${line}`);
    ctx.log(`${member.root}: WAVECORR shifts from ${basename(spectro.wavecal)}`);
  }
}

/** calstis12 into a science product about to be written (`_flt`, `_crj`), when the wavecal was processed. */
export function withWavecalShifts(member: SpectroExposure, file: ImageSetFile, name: string): void {
  const w2d = member.spectro?.w2d;
  if (!w2d) return;
  const { notices } = naming(`${member.root}_raw.fits`, () => applyWavecalShifts(file, w2d, name));
  member.trailer.push(...notices);
}

export const hasWavecal = (run: DetectorRun<SpectroExposure>) => run.members.some((m) => m.spectro?.wavecal);
export const hasX2d = (run: DetectorRun<SpectroExposure>) => run.members.some((m) => m.spectro?.x2d);

/** calstis7 of each exposure's `_crj` into `_sx2`, or of its `_flt` into `_x2d`. */
export async function x2dPhase(run: DetectorRun<SpectroExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members) {
    if (!member.spectro?.x2d) continue;
    const input = `${member.root}_${member.crcorr ? "crj" : "flt"}.fits`;
    const output = `${member.root}_${member.crcorr ? "sx2" : "x2d"}.fits`;
    const product = readImageSetFile(`${ctx.outDir}/${input}`);
    const { file, trailer } = naming(input, () => calstis7(product, member.spectro!.refs, input, output));
    ctx.writeProduct(output, file);
    member.trailer.push(...trailer);
    ctx.log(`${member.root}: X2DCORR COMPLETE`);
  }
}

/** calstis6 (X1DCORR) on each member's `_crj` or `_flt`, already written (calstis6.ts). */
export async function x1dPhase(run: DetectorRun<SpectroExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members.filter((m) => m.x1dcorr)) {
    const [input, output] = member.crcorr ? ["crj", "sx1"] : ["flt", "x1d"];
    const name = `${member.root}_${output}.fits`;
    const extract = member.echelle ? runCalstis6Echelle : runCalstis6;
    const result = extract(join(ctx.outDir, `${member.root}_${input}.fits`), join(ctx.outDir, name), ctx.env);
    member.trailer.push(...result.trailer);
    ctx.wrote(name);
    ctx.log(`${member.root}: X1DCORR COMPLETE`);
  }
}

export const hasX1d = (run: DetectorRun<SpectroExposure>) => run.members.some((m) => m.x1dcorr);
