// Where ACSCTE finds each amp of a chip (hstcal get_amp_array_size_acs_cte): hand-computed regions for the full
// frame and the amp-corner subarrays, and the refusals (not overscan-trimmed, CCDAMP without an amp of the chip).
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { type ChipReadout, wfcAmpRegions } from "../../src/engine/cte/acs-amp-regions.js";

const readout = (r: Partial<ChipReadout>): ChipReadout => ({
  at: "x_raw.fits[SCI,1]",
  ccdamp: "ABCD",
  chip: 2,
  nx: 4096,
  ny: 2048,
  ampx: 2048,
  ltv: [0, 0],
  blevcorrDone: true,
  ...r,
});

test("full frame: C and D on WFC2, A and B on WFC1, split at AMPX", () => {
  assert.deepEqual(wfcAmpRegions(readout({})), [
    { amp: "C", x0: 0, width: 2048 },
    { amp: "D", x0: 2048, width: 2048 },
  ]);
  assert.deepEqual(wfcAmpRegions(readout({ chip: 1 })), [
    { amp: "A", x0: 0, width: 2048 },
    { amp: "B", x0: 2048, width: 2048 },
  ]);
});

test("one-amp subarrays: the whole image, AMPX clamped to its width (C, A) or 0 (D, B)", () => {
  assert.deepEqual(wfcAmpRegions(readout({ ccdamp: "C", nx: 512, ny: 512 })), [{ amp: "C", x0: 0, width: 512 }]);
  const d = readout({ ccdamp: "D", nx: 512, ny: 512, ampx: 0, ltv: [-3584, 0] });
  assert.deepEqual(wfcAmpRegions(d), [{ amp: "D", x0: 0, width: 512 }]);
  const b = readout({ ccdamp: "B", chip: 1, nx: 1024, ny: 1024, ampx: 0, ltv: [-3072, -1024] });
  assert.deepEqual(wfcAmpRegions(b), [{ amp: "B", x0: 0, width: 1024 }]);
});

test("refused: BLEVCORR not done or a positive LTV (overscan still there), CCDAMP naming no amp of the chip", () => {
  const refused = (r: ChipReadout, code: string, text: RegExp) =>
    assert.throws(
      () => wfcAmpRegions(r),
      (e: unknown) => e instanceof CalibrationError && e.code === code && text.test(e.message),
    );
  refused(readout({ blevcorrDone: false }), "CAL_STEP_NOT_DONE", /^x_raw\.fits\[SCI,1\]: overscan region not trimmed/);
  refused(readout({ ltv: [24, 0], nx: 4144 }), "CAL_STEP_NOT_DONE", /PCTECORR needs BLEVCORR = PERFORM/);
  refused(readout({ ccdamp: "A", nx: 512 }), "HEADER_PROBLEM", /CCDAMP = 'A' names no amp of CCDCHIP 2/);
  refused(readout({ chip: 3 }), "HEADER_PROBLEM", /CCDCHIP = 3, 1 or 2 expected/);
});
