import assert from "node:assert/strict";
import { test } from "node:test";
import { trapModelFromProfiles } from "../../src/calib/common/cte/trap-model.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import type { PctetabSet } from "../../src/engine/cte/pctetab.js";
import { withRawOverrides } from "../../src/engine/cte/raw-overrides.js";
import { Header } from "../../src/fits/index.js";

const set: PctetabSet = {
  extension: "QPROF,1",
  date0: 52334.86,
  date1: 57710.44601,
  iterations: {
    trailLength: 60,
    forwardIterations: 5,
    parallelTransfers: 7,
    fixReadoutCosmicRays: true,
    overSubtractionThreshold: -10,
  },
  model: trapModelFromProfiles([5], [new Array(100).fill(0.01)]),
};

test("raw header values above 1 replace PCTETLEN, PCTENFOR and PCTENPAR; FIXROCR 0 turns the fix off", () => {
  const primary = new Header()
    .set("PCTETLEN", 80)
    .set("PCTENFOR", 1)
    .set("PCTENPAR", 3)
    .set("FIXROCR", 0)
    .set("PCTENSMD", 0);
  const { set: tuned, smoothingMode } = withRawOverrides(set, 0, primary, "j_raw.fits");
  assert.deepEqual(tuned.iterations, {
    trailLength: 80,
    forwardIterations: 5, // 1 is not above 1: the table's value stays
    parallelTransfers: 3,
    fixReadoutCosmicRays: false,
    overSubtractionThreshold: -10,
  });
  assert.equal(smoothingMode, 0);
  assert.deepEqual(withRawOverrides(set, 0, new Header(), "j_raw.fits").set.iterations, set.iterations);
});

test("bad raw values are refused naming the raw and the keyword", () => {
  const fails = (primary: Header, pattern: RegExp) =>
    assert.throws(
      () => withRawOverrides(set, 0, primary, "j8cb01abq_raw.fits"),
      (e: unknown) => e instanceof CalibrationError && pattern.test(e.message),
    );
  fails(new Header().set("FIXROCR", 2), /^j8cb01abq_raw\.fits: keyword FIXROCR = 2: only 0 or 1 accepted$/);
  fails(new Header().set("PCTETLEN", 150), /keyword PCTETLEN = 150 is longer than the PCTETAB's profiles \(100\)/);
  fails(new Header().set("PCTENSMD", 1), /keyword PCTENSMD = 1: only read-noise model 0 exists/);
  fails(new Header().set("PCTENFOR", "five"), /keyword PCTENFOR = five is not an integer/);
});
