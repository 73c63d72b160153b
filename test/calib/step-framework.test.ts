/**
 * The step framework (src/calib/common/steps.ts) and the ACS step tables: what a program derives from a
 * table, the missing-reference error, PERFORM → COMPLETE / SKIPPED with HISTORY and times per step, the
 * trailer section, and a new step added as one descriptor.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Acs2dInput, acs2d } from "../../src/calib/acs/acs2d.js";
import { ACS_CCD_STEPS, ACS_SBC_STEPS } from "../../src/calib/acs/steps.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { emptyUpdates } from "../../src/calib/common/header-updates.js";
import type { ImageSet } from "../../src/calib/common/imset.js";
import { stepLogLine, stepSections } from "../../src/calib/common/step-trailer.js";
import {
  anythingToDo,
  imageReferences,
  isOptionalReference,
  neededReferences,
  requiredReference,
  runSteps,
  type StepDescriptor,
  standardWording,
  switchKeywords,
} from "../../src/calib/common/steps.js";
import { acs2dInput, constantImage, testReference } from "./acs-fixtures.js";

/** acs2d-steps' fixture without EXPSCORR (not a step of the table), with switches and references changed. */
function input(switches: Partial<Acs2dInput["switches"]> = {}, references: Acs2dInput["references"] = {}): Acs2dInput {
  const base = acs2dInput(constantImage(2, 2, 20, 1));
  Object.assign(base.switches, { EXPSCORR: "OMIT", ...switches });
  Object.assign(base.references, references);
  return base;
}

test("the ACS tables give the switches, the references per switch, which may be N/A, the images per phase", () => {
  assert.deepEqual(switchKeywords(ACS_CCD_STEPS), [
    ...["DQICORR", "BIASCORR", "BLEVCORR", "SINKCORR", "DARKCORR", "FLSHCORR", "FLATCORR", "SHADCORR"],
    ...["PHOTCORR", "EXPSCORR", "CRCORR", "RPTCORR", "PCTECORR"],
  ]);
  const switches = { BIASCORR: "PERFORM", FLATCORR: "PERFORM", CRCORR: "PERFORM", RPTCORR: "PERFORM" };
  assert.deepEqual(neededReferences(ACS_CCD_STEPS, switches, ["CCDTAB"]), [
    ...["CCDTAB", "BIASFILE", "SATUFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "CRREJTAB"],
  ]);
  assert.deepEqual(neededReferences(ACS_SBC_STEPS, { GLINCORR: "PERFORM", LFLGCORR: "PERFORM" }), ["MLINTAB"]);
  const has = (keyword: string) => keyword === "DFLTFILE";
  assert.equal(isOptionalReference(ACS_CCD_STEPS, "PFLTFILE", has), true, "PFLTFILE may be N/A beside a DFLTFILE");
  assert.equal(
    isOptionalReference(ACS_CCD_STEPS, "PFLTFILE", () => false),
    false,
  );
  assert.equal(isOptionalReference(ACS_SBC_STEPS, "PFLTFILE", has), false, "the SBC has no DFLTFILE rule");
  assert.equal(
    isOptionalReference(ACS_CCD_STEPS, "BPIXTAB", () => false),
    true,
  );
  assert.deepEqual(imageReferences(ACS_CCD_STEPS, "ccd"), ["BIASFILE", "SATUFILE", "SNKCFILE"]);
  assert.deepEqual(imageReferences(ACS_CCD_STEPS, "2d"), [
    ...["DARKFILE", "FLSHFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "SHADFILE"],
  ]);
  const only = (name: string) => ({ [name]: "PERFORM" });
  for (const name of ["SINKCORR", "EXPSCORR", "CRCORR", "RPTCORR", "PCTECORR"]) {
    assert.equal(anythingToDo(ACS_CCD_STEPS, only(name)), false, `${name} alone is nothing to do`);
  }
  assert.equal(anythingToDo(ACS_CCD_STEPS, only("BLEVCORR")), true);
  assert.equal(anythingToDo(ACS_SBC_STEPS, only("LFLGCORR")), true);
});

test("a PERFORM step without its reference fails with one error naming the keyword and the step", () => {
  assert.throws(
    () => acs2d(input({ SHADCORR: "PERFORM" })),
    (e: unknown) =>
      e instanceof CalibrationError &&
      e.code === "CAL_FILE_MISSING" &&
      e.step === "SHADCORR" &&
      e.message === "SHADFILE is needed by SHADCORR but was not given",
  );
});

test("the steps still run by their own modules use the same guard: keyword and step named", () => {
  const sbc = input({ DQICORR: "OMIT" });
  assert.throws(
    () => requiredReference(undefined, "SNKCFILE", "DQICORR"),
    (e: unknown) =>
      e instanceof CalibrationError && e.step === "DQICORR" && /^SNKCFILE is needed by DQICORR/.test(e.message),
  );
  assert.equal(requiredReference(sbc.references.dark, "DARKFILE", "DARKCORR"), sbc.references.dark);
});

test("each step that ran is recorded with its outcome, HISTORY and times; a dummy reference skips it", () => {
  const updates = acs2d(input({}, { dark: testReference([constantImage(2, 2, 1)], "DUMMY 2020") }));
  assert.deepEqual(
    updates.steps.map((s) => [s.switch, s.phase, s.state, s.outcome]),
    [
      ["DARKCORR", "2d", "DUMMY", "SKIPPED"],
      ["FLATCORR", "2d", "PERFORM", "COMPLETE"],
    ],
  );
  assert.deepEqual(
    updates.steps.flatMap((s) => s.history),
    updates.history,
  );
  assert.equal(updates.steps[0].history[0], "DARKCORR skipped due to dummy reference file ...");
  for (const s of updates.steps) assert.ok(s.wallMs >= 0 && s.cpuMs >= 0 && Number.isFinite(s.wallMs));
  const second = acs2d({ ...input(), firstImset: false });
  assert.deepEqual(
    second.steps.map((s) => [s.switch, s.outcome, s.history.length]),
    [
      ["DARKCORR", "COMPLETE", 0],
      ["FLATCORR", "COMPLETE", 0],
    ],
    "later image sets run and time their steps but write no HISTORY",
  );
  const section = stepSections(updates.steps.slice(1));
  assert.deepEqual(section.slice(0, 2), ["FLATCORR    PERFORM", "FLATCORR complete ..."]);
  assert.equal(section.at(-2), "FLATCORR    COMPLETE");
  assert.match(section.at(-1)!, /^ {4}wall \d+\.\d{3} s, CPU \d+\.\d{3} s \(process\)$/);
  assert.match(stepLogLine(updates.steps[0], "x_flt.fits imset 1"), /^DARKCORR SKIPPED x_flt.fits imset 1 \(wall /);
});

test("a new step is one descriptor: its switch, reference, work and wording; OMIT from its work records nothing", () => {
  type Input = { set: ImageSet; gain?: { name: string; pedigree: string; descrip: string; value: number } };
  const GAINCORR: StepDescriptor<Input> = {
    switch: "GAINCORR",
    phase: "2d",
    standalone: true,
    references: [{ keyword: "GAINFILE", kind: "table" }],
    dummy: "GAINFILE",
    loaded: (i) => ({ GAINFILE: i.gain }),
    run: (i, updates) => {
      for (let k = 0; k < i.set.sci.length; k++) i.set.sci[k] *= i.gain!.value;
      updates.sci.GAINUSED = i.gain!.value;
      return i.gain!.value === 1 ? "OMIT" : undefined;
    },
  };
  const wording = standardWording((kind, r) => [`  ${kind} ${r.name} (${r.pedigree})`]);
  const gain = { name: "xref$g.fits", pedigree: "GROUND", descrip: "", value: 3 };
  const run = (value: number) => {
    const updates = emptyUpdates();
    const i = { set: constantImage(2, 2, 2), gain: { ...gain, value } };
    const steps = runSteps([GAINCORR], i, { GAINCORR: "PERFORM" }, updates, { record: true, wording });
    return { updates, steps, sci: i.set.sci[0] };
  };
  const done = run(3);
  assert.equal(done.sci, 6);
  assert.deepEqual(done.updates.primary, { GAINCORR: "COMPLETE" });
  assert.deepEqual(done.updates.history, ["GAINCORR complete ...", "  table xref$g.fits (GROUND)"]);
  assert.deepEqual(neededReferences([GAINCORR], { GAINCORR: "PERFORM" }), ["GAINFILE"]);
  const unity = run(1);
  assert.deepEqual([unity.updates.primary, unity.updates.history, unity.steps[0].outcome], [{}, [], undefined]);
  assert.throws(
    () =>
      runSteps([GAINCORR], { set: constantImage(2, 2, 1) }, { GAINCORR: "PERFORM" }, emptyUpdates(), {
        record: true,
        wording,
      }),
    /GAINFILE is needed by GAINCORR/,
  );
});
