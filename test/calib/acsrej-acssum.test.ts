import assert from "node:assert/strict";
import { test } from "node:test";
import { sumKeywords, sumRepeats, sumStatistics } from "../../src/calib/acs/acssum.js";
import { createImageSet } from "../../src/calib/common/imset.js";

test("ACSSUM: SCI summed, ERR in quadrature, DQ ORed; keywords", () => {
  const a = createImageSet(2, 1, {
    sci: Float32Array.from([1, 2]),
    err: Float32Array.from([3, 1]),
    dq: Uint16Array.from([1, 0]),
  });
  const b = createImageSet(2, 1, {
    sci: Float32Array.from([4, 5]),
    err: Float32Array.from([4, 0]),
    dq: Uint16Array.from([2, 0]),
  });
  const c = createImageSet(2, 1, {
    sci: Float32Array.from([0, 1]),
    err: Float32Array.from([0, 0]),
    dq: Uint16Array.from([0, 512]),
  });
  const sum = sumRepeats([a, b, c]);
  assert.deepEqual([...sum.sci], [5, 8]);
  assert.deepEqual([...sum.err], [5, 1]);
  assert.deepEqual([...sum.dq], [3, 512]);
  assert.deepEqual([...a.sci], [1, 2]); // inputs untouched
  assert.equal(sumStatistics(sum, 512).sci["NGOODPIX"], 1);
  const keywords = sumKeywords({
    exptimes: [100, 100, 150],
    expends: [55000.1, 55000.3, 55000.2],
    nrptexp: 4,
    nimsets: 1,
  });
  assert.deepEqual(keywords.primary, { RPTCORR: "COMPLETE", NEXTEND: 3, NCOMBINE: 3, EXPTIME: 350, EXPEND: 55000.2 });
  assert.deepEqual(keywords.history, ["RPTCORR complete", "Statistics computed after rptcorr."]);
  assert.equal(keywords.warnings.length, 1);
  const named = sumKeywords({ exptimes: [1, 1], expends: [1, 2], nrptexp: 2, nimsets: 1, productRoot: "j8cb040b1" });
  assert.equal(named.primary["ROOTNAME"], "J8CB040B1");
  assert.deepEqual([named.sci["EXPNAME"], named.err["EXPNAME"], named.dq["EXPNAME"]], Array(3).fill("j8cb040b1"));
  assert.throws(() => sumRepeats([a]));
});
