/**
 * ACSREJ / WF3REJ as a step of the tables (src/calib/common/rejection-step.ts) run through runAwaitedStep:
 * CRREJTAB required before any work starts, the work awaited and timed, CRCORR = COMPLETE recorded without
 * HISTORY, its trailer section; and CRREJTAB rows checked against their columns (table-schema.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ACS_CCD_STEPS } from "../../src/calib/acs/steps.js";
import { CRREJTAB_COLUMNS } from "../../src/calib/common/crrejtab.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { emptyUpdates } from "../../src/calib/common/header-updates.js";
import { CRCORR_STEP, REJECTION_WORDING, RPTCORR_STEP } from "../../src/calib/common/rejection-step.js";
import { stepSections } from "../../src/calib/common/step-trailer.js";
import { neededReferences, runAwaitedStep } from "../../src/calib/common/steps.js";
import { checkedRows } from "../../src/calib/common/table-schema.js";
import { UVIS_STEPS } from "../../src/calib/wfc3/steps.js";

const options = { record: true, wording: REJECTION_WORDING };
const crrejtab = { name: "jref$x_crr.fits", pedigree: "INFLIGHT", descrip: "CR rejection" };

test("both instruments' tables hold the rejection steps, which need CRREJTAB", () => {
  for (const table of [ACS_CCD_STEPS, UVIS_STEPS]) {
    assert.ok(table.includes(CRCORR_STEP as never) && table.includes(RPTCORR_STEP as never));
    assert.deepEqual(neededReferences(table, { CRCORR: "PERFORM" }), ["CRREJTAB"]);
    assert.deepEqual(neededReferences(table, { RPTCORR: "PERFORM" }), ["CRREJTAB"]);
  }
});

test("the rejection is awaited and timed; CRCORR becomes COMPLETE, with no HISTORY; a trailer section", async () => {
  const updates = emptyUpdates();
  let ran = false;
  const record = await runAwaitedStep(CRCORR_STEP, { crrejtab }, updates, options, async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    ran = true;
  });
  assert.equal(ran, true);
  assert.deepEqual(updates.primary, { CRCORR: "COMPLETE" });
  assert.deepEqual(updates.history, []);
  assert.equal(record.outcome, "COMPLETE");
  assert.equal(record.phase, "rej");
  assert.ok(record.wallMs >= 25, `wall ${record.wallMs} ms covers the awaited work`);
  const section = stepSections([record]);
  assert.equal(section[0], "CRCORR      PERFORM");
  assert.equal(section[1], "CRCORR      COMPLETE");
  assert.match(section[2]!, /^ {4}wall \d+\.\d{3} s, CPU \d+\.\d{3} s \(process\)$/);
});

test("without CRREJTAB the step fails naming keyword and step, before any work starts", async () => {
  let ran = false;
  await assert.rejects(
    runAwaitedStep(CRCORR_STEP, {}, emptyUpdates(), options, async () => {
      ran = true;
    }),
    (e: unknown) =>
      e instanceof CalibrationError &&
      e.code === "CAL_FILE_MISSING" &&
      e.step === "CRCORR" &&
      /CRREJTAB is needed by CRCORR/.test(e.message),
  );
  assert.equal(ran, false);
});

test("CRREJTAB rows are checked: CRMASK logical or integer, IRRAMP optional, a missing column named", () => {
  // A row with every required column, of its kind (a flag as a logical column).
  const value = (kind: string) => (kind === "string" ? "minimum" : kind === "flag" ? true : 2);
  const required = Object.entries(CRREJTAB_COLUMNS).filter(([, kind]) => !kind.endsWith("?"));
  const row: Record<string, string | number | boolean> = Object.fromEntries(required.map(([c, k]) => [c, value(k)]));
  const where = "CRREJTAB x_crr.fits extension 1";
  assert.equal(checkedRows([row, { ...row, CRMASK: 1, IRRAMP: true }], CRREJTAB_COLUMNS, where).length, 2);
  const { CRSIGMAS: _dropped, ...noSigmas } = row;
  assert.throws(
    () => checkedRows([noSigmas], CRREJTAB_COLUMNS, where),
    /CRREJTAB x_crr.fits extension 1: has no column CRSIGMAS/,
  );
  assert.throws(() => checkedRows([{ ...row, CRMASK: "yes" }], CRREJTAB_COLUMNS, where), /column CRMASK row 1/);
  assert.throws(() => checkedRows([{ ...row, IRRAMP: "T" }], CRREJTAB_COLUMNS, where), /column IRRAMP row 1/);
});
