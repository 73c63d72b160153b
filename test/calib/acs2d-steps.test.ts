import assert from "node:assert/strict";
import { test } from "node:test";
import { acs2d } from "../../src/calib/acs/acs2d.js";
import { subtractDark } from "../../src/calib/acs/dark.js";
import { subtractFlash } from "../../src/calib/acs/flash.js";
import { flatField } from "../../src/calib/acs/flat.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { createImageSet } from "../../src/calib/common/imset.js";
import { expandSection } from "../../src/calib/common/reference-image.js";
import { correctShading } from "../../src/calib/common/shading.js";
import { acs2dInput, constantImage as constant, testReference as ref } from "./acs-fixtures.js";

const f32 = (values: number[]) => Float32Array.from(values);
test("dark: SCI -= dark × DARKTIME, ERR in quadrature, MEANDARK over the dark's good pixels", () => {
  const science = createImageSet(2, 2, { sci: f32([100, 100, 100, 100]), err: f32([3, 3, 3, 3]) });
  const dark = createImageSet(2, 2, {
    sci: f32([0.01, 0.02, 0.03, 0.5]),
    err: f32([0.004, 0, 0, 0]),
    dq: Uint16Array.from([0, 0, 0, 16]),
  });
  const { meandark } = subtractDark(science, ref([dark]), { darktime: 1000, sdqflags: 16 });
  // dark × 1000 = 10, 20, 30, 500; flagged 500 left out of the mean: (10+20+30)/3 = 20
  assert.equal(meandark, 20);
  const expected = [0.01, 0.02, 0.03, 0.5].map((d) => Math.fround(100 - Math.fround(Math.fround(d) * 1000)));
  assert.deepEqual([...science.sci], expected);
  assert.equal(science.err[0], Math.fround(5)); // sqrt(3² + 4²)
  assert.equal(science.dq[3], 16);
});

test("dark: the chip is matched by CCDCHIP and a subarray takes its section", () => {
  const chip1 = createImageSet(4, 3, { sci: Float32Array.from({ length: 12 }, (_, k) => k), chip: 1 });
  const chip2 = constant(4, 3, 99, 0, 2);
  const science = createImageSet(2, 2, { sci: f32([50, 50, 50, 50]), chip: 1 });
  science.geometry = { ltv: [-1, -1], ltm: [1, 1] }; // corner (1,1)
  subtractDark(science, ref([chip2, chip1]), { darktime: 1, sdqflags: 65535 });
  assert.deepEqual([...science.sci], [45, 44, 41, 40]); // dark pixels (1,1)=5 (2,1)=6 (1,2)=9 (2,2)=10
});

test("flash: skipped when FLASHDUR ≤ 0; ABORTED warns; MEANFLSH is the line-weighted mean", () => {
  const science = constant(2, 2, 10);
  assert.equal(
    subtractFlash(science, ref([constant(2, 2, 1)]), { flashdur: 0, flashsta: "", sdqflags: 0 }).state,
    "IGNORED",
  );
  const flash = createImageSet(2, 2, { sci: f32([1, 3, 2, 100]), dq: Uint16Array.from([0, 0, 0, 4]) });
  const result = subtractFlash(science, ref([flash]), { flashdur: 2, flashsta: "aborted", sdqflags: 4 });
  assert.equal(result.state, "PERFORM");
  assert.match(result.history[0]!, /ABORTED/);
  // line 0: mean (2+6)/2 = 4, weight 1; line 1: mean 4, weight 0.5 → (4 + 2) / 1.5 = 4
  assert.equal(result.meanflsh, 4);
  assert.deepEqual([...science.sci], [8, 4, 6, -190]);
});

test("flat: PFLT then DFLT; a zero flat pixel keeps the value and flags 512; all blank is an error", () => {
  const science = createImageSet(3, 1, { sci: f32([8, 5, 6]), err: f32([2, 1, 3]) });
  const pflt = createImageSet(3, 1, { sci: f32([2, 0, 3]) });
  const dflt = createImageSet(3, 1, { sci: f32([2, 1, 0.5]) });
  const result = flatField(science, { pflt: ref([pflt]), dflt: ref([dflt]) });
  assert.deepEqual(result, { state: "PERFORM", applied: ["PFLTFILE", "DFLTFILE"] });
  assert.deepEqual([...science.sci], [2, 5, 4]);
  assert.deepEqual([...science.err], [0.5, 1, 2]);
  assert.deepEqual([...science.dq], [0, 512, 0]);
  assert.equal(flatField(constant(1, 1, 1), { pflt: ref([constant(1, 1, 2)], "DUMMY") }).state, "DUMMY");
  assert.throws(() => flatField(science, {}), CalibrationError);
});

test("binned LFLT: expansion by 2 with hstcal's interpolation (edge extrapolation, DQ of the lower sample)", () => {
  // 2x2 flat binned by 2 → 4x4; along x: ai = (m - 0.5)/2 = -0.25, 0.25, 0.75, 1.25
  const lflt = createImageSet(2, 2, { sci: f32([1, 2, 3, 4]), dq: Uint16Array.from([0, 8, 0, 0]) });
  const expanded = expandSection(lflt, 2, 2, 0, 0, 4, 4);
  // row 0: aj = -0.25 → r = 1.25, s = -0.25; value = 1.25·row0 - 0.25·row1 = row0 - 0.5
  const row0 = [-0.25, 0.25, 0.75, 1.25].map((a) => 1 + a); // 0.75, 1.25, 1.75, 2.25
  assert.deepEqual(
    [...expanded.sci.subarray(0, 4)],
    row0.map((v) => v - 0.5),
  );
  assert.deepEqual(
    [...expanded.sci.subarray(12, 16)],
    row0.map((v) => v + 2.5),
  );
  // ai in (0, 1) has i1 = 0 and only one sample (InterpDQInfo), so the 8 of pixel (1,0) reaches m = 3 only
  assert.deepEqual([...expanded.dq.subarray(0, 4)], [0, 0, 0, 8]);

  const science = createImageSet(4, 4, { sci: new Float32Array(16).fill(12) });
  const binned = createImageSet(2, 2, { sci: f32([1, 2, 3, 4]) });
  binned.geometry = { ltv: [0.5, 0.5], ltm: [0.5, 0.5] }; // bin 2, corner nint(1 - 2·0.5) = 0
  flatField(science, { lflt: ref([binned]) });
  assert.equal(science.sci[0], Math.fround(12 / 0.25));
  assert.equal(science.sci[5], Math.fround(12 / 1.75)); // (1,1): 0.5·(1.25) + ... = 1.75
});

test("shading: divide by 1 + shad/t with t = EXPTIME/NCOMBINE; skipped when EXPTIME ≤ 0", () => {
  const science = constant(2, 1, 30);
  const shad = createImageSet(2, 1, { sci: f32([0, 5]) });
  assert.equal(correctShading(science, ref([shad]), { exptime: 0, ncombine: 1 }).state, "IGNORED");
  assert.equal(correctShading(science, ref([shad]), { exptime: 20, ncombine: 2 }).state, "PERFORM");
  assert.deepEqual([...science.sci], [30, 20]); // t = 10: 30/1, 30/1.5
});

test("acs2d: dark, flat, PHOTMODE, statistics, switch keywords and HISTORY in hstcal's order", () => {
  const science = createImageSet(2, 2, { sci: f32([110, 30, 50, 70]), err: f32([4, 4, 4, 4]) });
  const updates = acs2d(acs2dInput(science));
  assert.deepEqual([...science.sci], [50, 10, 20, 30]);
  assert.equal(updates.sci["MEANDARK"], 10);
  assert.equal(updates.sci["PHOTMODE"], "ACS WFC1 F606W MJD#55000.1235");
  assert.equal(updates.sci["NGOODPIX"], 4);
  assert.equal(updates.sci["GOODMEAN"], 27.5);
  assert.equal(updates.primary["DARKCORR"], "COMPLETE");
  assert.equal(updates.primary["FLATCORR"], "COMPLETE");
  assert.equal(updates.primary["EXPSCORR"], "COMPLETE");
  assert.deepEqual(updates.history, [
    "DARKCORR complete ...",
    "  reference image jref$test.fits",
    "    INFLIGHT 01/01/2020",
    "    test reference",
    "FLATCORR complete ...",
    "  reference image jref$test.fits",
    "    INFLIGHT 01/01/2020",
    "    test reference",
    "EXPSCORR complete ...",
  ]);
  const second = acs2d(acs2dInput(constant(2, 2, 20, 1), { firstImset: false }));
  assert.deepEqual(second.history, ["EXPSCORR complete ..."]);
});

test("acs2d: untrimmed CCD data are refused; DN data and zero ERR go through the hooks", () => {
  const untrimmed = constant(2, 2, 1, 1);
  untrimmed.geometry = { ltv: [24, 0], ltm: [1, 1] };
  assert.throws(
    () => acs2d(acs2dInput(untrimmed)),
    (e: CalibrationError) => e.code === "CAL_STEP_NOT_DONE",
  );
  const notBlev = acs2dInput(constant(2, 2, 1, 1));
  notBlev.keywords.blevcorr = "PERFORM";
  assert.throws(
    () => acs2d(notBlev),
    (e: CalibrationError) => e.code === "CAL_STEP_NOT_DONE",
  );

  const science = constant(2, 2, 20, 0);
  const calls: string[] = [];
  const input = acs2dInput(science, {
    hooks: {
      toElectrons: (s) => {
        calls.push("gain");
        for (let k = 0; k < s.sci.length; k++) s.sci[k] = s.sci[k]! * 2;
      },
      initErrors: (s) => {
        calls.push("noise");
        s.err.fill(1);
        return true;
      },
    },
  });
  input.keywords.bunit = "COUNTS";
  input.switches.DARKCORR = "OMIT";
  input.switches.FLATCORR = "OMIT";
  const updates = acs2d(input);
  assert.deepEqual(calls, ["gain", "noise"]);
  assert.equal(updates.sci["BUNIT"], "ELECTRONS");
  assert.deepEqual(updates.history, ["Uncertainty array initialized.", "EXPSCORR complete ..."]);
  assert.equal(science.sci[0], 40);
});

test("acs2d: a dummy dark is SKIPPED and not applied", () => {
  const science = constant(2, 2, 20, 1);
  const input = acs2dInput(science, { references: { dark: ref([constant(2, 2, 1)], "DUMMY") } });
  input.switches.FLATCORR = "OMIT";
  const updates = acs2d(input);
  assert.equal(updates.primary["DARKCORR"], "SKIPPED");
  assert.equal(updates.history[0], "DARKCORR skipped due to dummy reference file ...");
  assert.equal(science.sci[0], 20);
});
