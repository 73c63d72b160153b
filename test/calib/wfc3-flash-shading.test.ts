/**
 * UVIS FLSHCORR and SHADCORR on small hand-made arrays (calibration.md §4; hstcal doflash.c, doshad.c):
 * FLSHFILE × FLASHDUR / ATODGN with the left/right amp split at AMPX for a full frame and the single
 * amp's gain for a subarray, the 60 serial virtual overscan columns of the full-frame FLSHFILE skipped
 * or cut out of a straddling subarray's line, MEANFLSH weighted by good pixels per line, FLASHDUR ≤ 0
 * and ABORTED; SHADCORR dividing by 1 + SHADFILE / (EXPTIME / NCOMBINE) inside WF32D.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../src/calib/common/imset.js";
import type { Wf3CcdParameters } from "../../src/calib/wfc3/ccdtab.js";
import { subtractUvisFlash } from "../../src/calib/wfc3/uvis-flash.js";
import { runWf32d } from "../../src/calib/wfc3/wf32d.js";
import { uvisParameters } from "./wfc3-fixtures.js";

function params(over: Partial<Wf3CcdParameters> = {}): Wf3CcdParameters {
  return uvisParameters({
    ccdamp: "AB",
    ccdchip: 1,
    ccdbias: [100, 100, 100, 100],
    atodgain: [1.5, 3, 1.5, 1.5],
    ampx: 2,
    meanGain: 1.875,
    ...over,
  });
}

const options = { flashdur: 3, flashsta: "SUCCESSFUL", sdqflags: 16 };

test("FLSHCORR full frame: flash × FLASHDUR / gain of the amp left or right of AMPX; MEANFLSH by good pixels", () => {
  const flash = createImageSet(4, 2, {
    sci: Float32Array.from([1, 1, 1, 1, 2, 2, 2, 2]),
    dq: Uint16Array.from([0, 0, 0, 0, 0, 16, 16, 16]),
  });
  const set = createImageSet(4, 2, { sci: new Float32Array(8).fill(10) });
  const r = subtractUvisFlash(set, { imsets: [flash] }, params(), options);
  // Amp A (gain 1.5) → × 2, amp B (gain 3) → × 1.
  assert.deepEqual([...set.sci], [8, 8, 9, 9, 6, 6, 8, 8]);
  // Line 0: mean 1.5, weight 1; line 1: only its first pixel is good (value 4), weight 0.25.
  assert.equal(r.meanflsh, Math.fround((1.5 + 4 * 0.25) / 1.25));
  assert.equal(set.dq[5], 16);
  assert.equal(r.state, "PERFORM");
});

test("FLSHCORR subarray: one amp's gain; beyond the left amp the 60 middle columns are skipped, across them cut", () => {
  // A one-line full-frame FLSHFILE whose pixel values are their column numbers.
  const flash = createImageSet(4206, 1, { sci: Float32Array.from({ length: 4206 }, (_, i) => i) });
  const p = params({ ccdamp: "B", ampx: 0 });
  const right = createImageSet(3, 1, { geometry: { ltv: [-2100, 0], ltm: [1, 1] } });
  subtractUvisFlash(right, { imsets: [flash] }, p, options);
  // x0 = 2100 > 2072: columns 2160.. × FLASHDUR / ATODGNB (3 / 3 = 1).
  assert.deepEqual([...right.sci], [-2160, -2161, -2162]);
  const across = createImageSet(4, 1, { geometry: { ltv: [-2071, 0], ltm: [1, 1] } });
  subtractUvisFlash(across, { imsets: [flash] }, p, options);
  // x0 = 2071: the line is cut at 2073 − 2071 = 2: columns 2071, 2072, then 2133, 2134.
  assert.deepEqual([...across.sci], [-2071, -2072, -2133, -2134]);
});

test("FLSHCORR: FLASHDUR ≤ 0 is not performed; ABORTED is recorded", () => {
  const flash = createImageSet(2, 1, { sci: Float32Array.from([5, 5]) });
  const set = createImageSet(2, 1, { sci: Float32Array.from([7, 7]) });
  const none = subtractUvisFlash(set, { imsets: [flash] }, params(), { ...options, flashdur: 0 });
  assert.equal(none.state, "IGNORED");
  assert.match(none.history[0], /FLSHCORR not performed/);
  assert.deepEqual([...set.sci], [7, 7]);
  const aborted = subtractUvisFlash(set, { imsets: [flash] }, params(), { ...options, flashsta: "ABORTED" });
  assert.match(aborted.history[0], /ABORTED/);
});

test("SHADCORR in WF32D: SCI / (1 + SHADFILE / (EXPTIME / NCOMBINE)); EXPTIME 0 skips it", () => {
  const shad = createImageSet(2, 1, { sci: Float32Array.from([10, 50]) });
  const run = (exptime: number) =>
    runWf32d({
      set: createImageSet(2, 1, { sci: Float32Array.from([120, 300]), err: Float32Array.from([1, 1]) }),
      params: params(),
      switches: { DARKCORR: "OMIT", FLATCORR: "OMIT", SHADCORR: "PERFORM", PHOTCORR: "OMIT", FLUXCORR: "OMIT" },
      exptime,
      expstart: 55000,
      filter: "F606W",
      sdqflags: 16,
      shad: { name: "iref$s_shd.fits", pedigree: "MODEL", descrip: "", imsets: [shad] },
      ncombine: 2,
    });
  // t = 100 / 2 = 50 s: divisors 1 + 10 × (1/50) and 1 + 50 × (1/50), in float32 as hstcal's multk/addk.
  const f = Math.fround;
  const divisor = (shading: number) => f(1 + f(shading * f(1 / 50)));
  const done = run(100);
  assert.deepEqual([...done.set.sci], [f(120 / divisor(10)), 150]);
  assert.equal(done.primary.SHADCORR, "COMPLETE");
  const skipped = run(0);
  assert.equal(skipped.primary.SHADCORR, "SKIPPED");
  assert.deepEqual([...skipped.set.sci], [120, 300]);
});
