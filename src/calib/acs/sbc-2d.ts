/**
 * ACS2D for one SBC (MAMA) image set (calibration.md §2.0, §2.11): DQICORR (BPIXTAB rows, no A-to-D
 * saturation), GLINCORR / LFLGCORR from MLINTAB, counts taken as electrons (MAMA gain 1), ERR =
 * max(1, sqrt(|SCI|)) when ERR is all zero, then the shared DARKCORR, FLATCORR, PHOTCORR and statistics
 * of acs2d.ts. Algorithms follow hstcal (BSD-3-Clause, AURA), acs2d/do2d.c.
 *
 * hstcal reads DARKTIME only for the CCDs (getacskeys.c), so an SBC dark is scaled by 0: DARKCORR
 * subtracts nothing, MEANDARK is 0, and the step still says COMPLETE. Kept for parity with calacs.e and
 * the archive's products (hstcal's own notes say DARKTIME should scale the SBC dark too; the SBC dark,
 * ~1e-5 counts/s per pixel, is small against the sky).
 */

import type { BpixRow } from "../common/bpixtab.js";
import { CalibrationError } from "../common/errors.js";
import { emptyUpdates, type HeaderUpdates } from "../common/header-updates.js";
import type { ImageSet } from "../common/imset.js";
import { requiredReference, runSteps, type StepDescriptor, type StepUpdates } from "../common/steps.js";
import { referenceHistory, type SwitchState, switchUpdate } from "../common/switches.js";
import { ACS2D_WORDING, type Acs2dKeywords, type Acs2dReferences, type Acs2dSwitches, acs2d } from "./acs2d.js";
import type { TableReference } from "./acsccd.js";
import { DQI_HISTORY, dqiWithTable } from "./dqicorr.js";
import { initMamaErrors } from "./noise.js";
import { correctNonLinearity, type MlinRow, nonlinSwitches, selectMlinRow } from "./sbc-nonlin.js";

export interface SbcSwitches extends Acs2dSwitches {
  GLINCORR: SwitchState;
  LFLGCORR: SwitchState;
}

export interface SbcKeywords extends Acs2dKeywords {
  /** SCI GLOBRATE (counts/s); required when GLINCORR or LFLGCORR is PERFORM. */
  globrate?: number;
  ccdamp: string;
  ccdgain: number;
}

export interface SbcReferences extends Acs2dReferences {
  bpixtab?: TableReference<BpixRow>;
  mlintab?: TableReference<MlinRow>;
}

export interface SbcInput {
  science: ImageSet;
  firstImset: boolean;
  switches: SbcSwitches;
  keywords: SbcKeywords;
  references: SbcReferences;
}

function tableHistory(t: { name: string; pedigree?: string; descrip?: string }, rowDescrip?: string): string[] {
  return referenceHistory("table", t.name, t.pedigree ?? "", t.descrip ?? "", rowDescrip);
}

/** DQICORR of a MAMA image set: only PERFORM runs (a dummy BPIXTAB skips the step, unlike the CCD). */
const SBC_DQICORR: StepDescriptor<SbcInput> = {
  switch: "DQICORR",
  phase: "2d",
  references: [{ keyword: "BPIXTAB", kind: "table", optional: true }],
  dummy: "BPIXTAB",
  loaded: (input) => ({ BPIXTAB: input.references.bpixtab }),
  run: ({ science, keywords, references }) => {
    dqiWithTable(science, "SBC", 0, keywords, references.bpixtab);
    return undefined;
  },
  wording: { referenceLines: (_kind, table) => [DQI_HISTORY.table, ...tableHistory(table)] },
};

function dqicorr(input: SbcInput, science: ImageSet, firstImset: boolean): StepUpdates {
  const updates = emptyUpdates();
  const steps = runSteps([SBC_DQICORR], { ...input, science }, input.switches, updates, {
    record: firstImset,
    wording: ACS2D_WORDING,
  });
  return { ...updates, steps };
}

/** GLINCORR and LFLGCORR's shared work: one pass corrects both (done by whichever of the two runs first). */
interface SbcNonlinInput extends SbcInput {
  row: MlinRow;
  states: { GLINCORR: SwitchState; LFLGCORR: SwitchState };
  table: NonNullable<SbcReferences["mlintab"]>;
  done: boolean;
}

function correctNonlinearity(input: SbcNonlinInput, updates: HeaderUpdates): undefined {
  if (input.done) return undefined;
  input.done = true;
  const { keywords, science } = input;
  if (keywords.globrate === undefined)
    throw new CalibrationError("HEADER_PROBLEM", "GLOBRATE is missing from the SCI header");
  const result = correctNonLinearity(science, {
    ...input.states,
    globrate: keywords.globrate,
    exptime: keywords.exptime,
    row: input.row,
  });
  updates.sci.GLOBLIM = result.globlim;
  if (result.globlim === "EXCEEDED") updates.warnings.push("Global count rate limit exceeded (GLOBLIM = EXCEEDED).");
  if (result.locallySaturated > 0)
    updates.warnings.push(`${result.locallySaturated} pixels above the local count rate limit flagged.`);
  return undefined;
}

/** The MLINTAB lines, once after the last of the two switch lines (hstcal's order). */
const mlintabLines = ({ table, row }: SbcNonlinInput) => tableHistory(table, row.DESCRIP);
const MLINTAB = { keyword: "MLINTAB", kind: "table", unrecorded: true } as const;

const SBC_GLINCORR: StepDescriptor<SbcNonlinInput> = {
  switch: "GLINCORR",
  phase: "2d",
  references: [MLINTAB],
  standalone: true,
  run: correctNonlinearity,
  notes: (input) => (switchUpdate("LFLGCORR", input.states.LFLGCORR).value ? [] : mlintabLines(input)),
};

const SBC_LFLGCORR: StepDescriptor<SbcNonlinInput> = {
  switch: "LFLGCORR",
  phase: "2d",
  references: [MLINTAB],
  standalone: true,
  run: correctNonlinearity,
  notes: mlintabLines,
};

/** GLINCORR / LFLGCORR: the states follow the MLINTAB row's PEDIGREE (a DUMMY row skips both). */
function nonlinearity(input: SbcInput, science: ImageSet, firstImset: boolean): StepUpdates {
  const { switches, keywords, references } = input;
  const updates = emptyUpdates();
  if (switches.GLINCORR === "OMIT" && switches.LFLGCORR === "OMIT") return { ...updates, steps: [] };
  const step = switches.GLINCORR !== "OMIT" ? "GLINCORR" : "LFLGCORR";
  const table = requiredReference(references.mlintab, "MLINTAB", step);
  const row = selectMlinRow(table.rows, keywords.detector, table.name);
  const states = nonlinSwitches(switches.GLINCORR, switches.LFLGCORR, row.PEDIGREE ?? table.pedigree);
  const run: SbcNonlinInput = { ...input, science, row, states, table, done: false };
  const steps = runSteps([SBC_GLINCORR, SBC_LFLGCORR], run, states, updates, {
    record: firstImset,
    wording: ACS2D_WORDING,
  });
  return { ...updates, steps };
}

/** The SBC's ACS2D on one image set, in place; returns the header changes. */
export function sbc2d(input: SbcInput): StepUpdates {
  const { science, firstImset, switches, keywords, references } = input;
  // acs2d runs DQICORR only on PERFORM (or DUMMY for a CCD): the hook decides the MAMA's state itself.
  const acsSwitches: Acs2dSwitches = { ...switches, DQICORR: switches.DQICORR === "OMIT" ? "OMIT" : "PERFORM" };
  return acs2d({
    science,
    firstImset,
    switches: acsSwitches,
    keywords: { ...keywords, darktime: 0 },
    references,
    hooks: {
      dqicorr: (set, first) => dqicorr(input, set, first),
      nonlinearity: (set, first) => nonlinearity(input, set, first),
      // The MAMA gain is 1: counts are electrons (hstcal detnsegn.c).
      toElectrons: () => {},
      initErrors: (set) => {
        initMamaErrors(set);
        return true;
      },
    },
  });
}
