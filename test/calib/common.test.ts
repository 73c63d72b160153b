import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addConstant,
  CALIBDEFECT,
  divideImage,
  multiplyConstant,
  subtractImage,
} from "../../src/calib/common/arithmetic.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { binAndCorner, chooseChip, nint, placeReference } from "../../src/calib/common/geometry.js";
import { createImageSet, dqView, wholeSection } from "../../src/calib/common/imset.js";
import { imageStatistics } from "../../src/calib/common/statistics.js";
import { effectiveSwitch, readSwitch, switchUpdate, withPedigree } from "../../src/calib/common/switches.js";
import { isWildcard, rowMatches } from "../../src/calib/common/table-rows.js";

const f32 = (values: number[]) => Float32Array.from(values);

test("subtract: SCI difference, ERR in quadrature, DQ OR (3-4-5 by hand)", () => {
  const a = createImageSet(2, 1, { sci: f32([10, 7]), err: f32([3, 0]), dq: Uint16Array.from([1, 0]) });
  const b = createImageSet(2, 1, { sci: f32([4, 9]), err: f32([4, 2]), dq: Uint16Array.from([2, 16384]) });
  subtractImage(a, wholeSection(b));
  assert.deepEqual([...a.sci], [6, -2]);
  assert.deepEqual([...a.err], [5, 2]);
  assert.deepEqual([...a.dq], [3, 16384]);
});

test("subtract a section of a larger reference (subarray at an offset)", () => {
  const ref = createImageSet(4, 3, { sci: Float32Array.from({ length: 12 }, (_, k) => k) });
  const a = createImageSet(2, 2, { sci: f32([100, 100, 100, 100]) });
  subtractImage(a, { set: ref, x0: 1, y0: 1 });
  assert.deepEqual([...a.sci], [95, 94, 91, 90]); // ref pixels (1,1)=5 (2,1)=6 (1,2)=9 (2,2)=10
  assert.throws(() => subtractImage(a, { set: ref, x0: 3, y0: 0 }), CalibrationError);
});

test("divide: a/b with error propagation; division by zero flags 512 and leaves the pixel", () => {
  const a = createImageSet(3, 1, { sci: f32([8, 5, 6]), err: f32([2, 1, 3]), dq: Uint16Array.from([0, 0, 0]) });
  const b = createImageSet(3, 1, { sci: f32([2, 0, 3]), err: f32([0.5, 1, 0]), dq: Uint16Array.from([4, 0, 8]) });
  divideImage(a, wholeSection(b));
  // pixel 0: 8/2 = 4; err = sqrt((2/2)^2 + (0.5*8/4)^2) = sqrt(1 + 1) = sqrt(2)
  assert.equal(a.sci[0], 4);
  assert.equal(a.err[0], Math.fround(Math.SQRT2));
  assert.equal(a.dq[0], 4);
  assert.deepEqual([a.sci[1], a.err[1], a.dq[1]], [5, 1, CALIBDEFECT]);
  assert.deepEqual([a.sci[2], a.err[2], a.dq[2]], [2, 1, 8]);
});

test("multiply and add constants", () => {
  const a = createImageSet(2, 1, { sci: f32([1.5, -2]), err: f32([0.5, 1]) });
  multiplyConstant(a, 2);
  assert.deepEqual([...a.sci, ...a.err], [3, -4, 1, 2]);
  addConstant(a, 0.25);
  assert.deepEqual([...a.sci, ...a.err], [3.25, -3.75, 1, 2]);
});

test("float32 results: values are rounded as C float stores them", () => {
  const a = createImageSet(1, 1, { sci: f32([0.1]), err: f32([0.1]) });
  const b = createImageSet(1, 1, { sci: f32([0.3]), err: f32([0.2]) });
  subtractImage(a, wholeSection(b));
  assert.equal(a.sci[0], Math.fround(Math.fround(0.1) - Math.fround(0.3)));
  const e1 = Math.fround(Math.fround(0.1) * Math.fround(0.1));
  const e2 = Math.fround(Math.fround(0.2) * Math.fround(0.2));
  assert.equal(a.err[0], Math.fround(Math.sqrt(Math.fround(e1 + e2))));
});

test("DQ from an int16 file is viewed unsigned: bit 32768 ORs cleanly", () => {
  const raw = Int16Array.from([-32768, 1]);
  const dq = dqView(raw);
  dq[1] |= 32768;
  assert.deepEqual([...dq], [32768, 32769]);
  assert.deepEqual([...raw], [-32768, -32767]);
});

test("switches: reading, COMPLETE not redone except DQICORR, DUMMY pedigree, keyword updates", () => {
  assert.equal(readSwitch("BIASCORR", "perform"), "PERFORM");
  assert.equal(readSwitch("BIASCORR", "SKIPPED"), "OMIT");
  assert.equal(readSwitch("BIASCORR", undefined), "OMIT");
  assert.throws(() => readSwitch("BIASCORR", "MAYBE"), /BIASCORR = 'MAYBE'/);
  assert.equal(effectiveSwitch("FLATCORR", "COMPLETE"), "OMIT");
  assert.equal(effectiveSwitch("DQICORR", "COMPLETE"), "PERFORM");
  assert.equal(withPedigree("PERFORM", "DUMMY 2002-01-01"), "DUMMY");
  assert.equal(withPedigree("PERFORM", "INFLIGHT 01/01/2002"), "PERFORM");
  assert.deepEqual(switchUpdate("DARKCORR", "PERFORM"), { value: "COMPLETE", history: "DARKCORR complete ..." });
  assert.deepEqual(switchUpdate("FLATCORR", "DUMMY"), {
    value: "SKIPPED",
    history: "FLATCORR skipped due to dummy reference file ...",
  });
  assert.deepEqual(switchUpdate("SHADCORR", "IGNORED"), { value: "SKIPPED", history: "SHADCORR not performed ..." });
  assert.deepEqual(switchUpdate("SHADCORR", "OMIT"), {});
});

test("NINT rounds half away from zero; bin and corner from LTM/LTV", () => {
  assert.deepEqual([nint(2.5), nint(-2.5), nint(2.49), nint(-0.5)], [3, -3, 2, -1]);
  assert.deepEqual(binAndCorner({ ltv: [0, 0], ltm: [1, 1] }), { bin: [1, 1], corner: [0, 0] });
  assert.deepEqual(binAndCorner({ ltv: [-2048, -1024], ltm: [1, 1] }), { bin: [1, 1], corner: [2048, 1024] });
  // 2x2 binning: bin = 2, corner = NINT((2-1) - 2*ltv) (hstcal FromLT)
  assert.deepEqual(binAndCorner({ ltv: [-10, 0.5], ltm: [0.5, 0.5] }), { bin: [2, 2], corner: [21, 0] });
  assert.deepEqual(binAndCorner({ ltv: [0.25, 0.75], ltm: [0.5, 0.5] }), { bin: [2, 2], corner: [1, -1] });
});

test("reference placement: full frame, subarray section, too small, binned reference, chip choice", () => {
  const full = createImageSet(8, 6);
  const same = createImageSet(8, 6);
  assert.deepEqual(placeReference(same, full, "BIASFILE"), { set: full, x0: 0, y0: 0, rx: 1, ry: 1 });
  const sub = createImageSet(3, 2, { geometry: { ltv: [-4, -3], ltm: [1, 1] } });
  const placed = placeReference(sub, full, "BIASFILE");
  assert.deepEqual([placed.x0, placed.y0], [4, 3]);
  const outside = createImageSet(3, 2, { geometry: { ltv: [-6, -3], ltm: [1, 1] } });
  assert.throws(() => placeReference(outside, full, "BIASFILE"), /BIASFILE .* does not cover/);
  const binnedRef = createImageSet(4, 3, { geometry: { ltv: [0.5, 0.5], ltm: [0.5, 0.5] } });
  const lflt = placeReference(full, binnedRef, "LFLTFILE");
  assert.deepEqual([lflt.rx, lflt.ry], [2, 2]);
  assert.throws(() => placeReference(binnedRef, full, "PFLTFILE"), /binned less/);
  const chips = [createImageSet(1, 1, { chip: 2 }), createImageSet(1, 1, { chip: 1 })];
  assert.equal(chooseChip(chips, 1, "DARKFILE"), chips[1]);
  assert.throws(() => chooseChip(chips, 3, "DARKFILE"), /DARKFILE has no imset for CCDCHIP 3/);
});

test("table rows: -1, -999 and ANY are wildcards; strings ignore trailing blanks; floats compare exactly", () => {
  assert.ok(isWildcard(-1) && isWildcard(-999) && isWildcard("ANY") && isWildcard(-999n));
  assert.ok(!isWildcard(0) && !isWildcard("N/A"));
  const row = { CCDAMP: "ABCD ", CCDCHIP: -999, CCDGAIN: 2.0 };
  assert.ok(rowMatches(row, { CCDAMP: "ABCD", CCDCHIP: 1, CCDGAIN: 2 }));
  assert.ok(!rowMatches(row, { CCDAMP: "ABCD", CCDCHIP: 1, CCDGAIN: 2.000001 }));
  assert.ok(!rowMatches(row, { CCDAMP: "AD", CCDCHIP: 1, CCDGAIN: 2 }));
});

test("statistics over good pixels only (DQ & SDQFLAGS == 0 and ERR > 0)", () => {
  const set = createImageSet(5, 1, {
    sci: f32([10, 20, 30, 1000, 40]),
    err: f32([2, 4, 5, 1, 0]),
    dq: Uint16Array.from([0, 0, 8, 16, 0]),
  });
  const { sci, err } = imageStatistics(set, 16);
  // good: pixels 0, 1, 2 (DQ 8 is not in SDQFLAGS=16; pixel 3 flagged; pixel 4 has ERR 0)
  assert.deepEqual(sci, { NGOODPIX: 3, GOODMIN: 10, GOODMAX: 30, GOODMEAN: 20, SNRMIN: 5, SNRMAX: 6, SNRMEAN: 16 / 3 });
  assert.deepEqual(err, { NGOODPIX: 3, GOODMIN: 2, GOODMAX: 5, GOODMEAN: 11 / 3 });
  const none = imageStatistics(createImageSet(2, 1));
  assert.equal(none.sci.NGOODPIX, 0);
});
