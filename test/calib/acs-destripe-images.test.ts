// Post-SM4 WFC destriping on the image sets, one amp array at a time (destripeImages), gives the same
// floats, bias levels and row counts as the four amp arrays read, destriped together and written back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type AmpIndex, readAmpArray, writeAmpArray } from "../../src/calib/acs/amp-arrays.js";
import { destripe, destripeImages } from "../../src/calib/acs/destripe.js";
import { createImageSet, type ImageSet } from "../../src/calib/common/imset.js";
import { mulberry32 as random } from "../helpers/mulberry32.js";

/**
 * Two chips of `nx` × `ny`: per-amp levels, stripes common to the amps, noise, a few saturated pixels next to the
 * prescan, noisy prescan rows and bright science rows (rows that destriping leaves out).
 */
function chips(seed: number, nx: number, ny: number): ImageSet[] {
  const next = random(seed);
  const stripes = Float64Array.from({ length: ny }, () => 8 * (next() - 0.5));
  return [1, 2].map((chip) => {
    const sci = new Float32Array(nx * ny);
    for (let y = 0; y < ny; y++) {
      const bright = next() < 0.05 ? 400 : 0;
      for (let x = 0; x < nx; x++) {
        const amp = (chip === 1 ? 0 : 2) + (x < nx / 2 ? 0 : 1);
        const column = x < nx / 2 ? x : nx - 1 - x;
        const prescan = column < 24;
        const noisy = prescan && y % 17 === 3 && amp === 1 ? 60 * (next() - 0.5) : 0;
        const saturated = column >= 24 && column < 30 && next() < 0.002 ? 80000 : 0;
        const signal = prescan ? 0 : 100 + bright + 30 * next() + saturated;
        sci[y * nx + x] = 2000 + 150 * amp + stripes[y]! + 3 * (next() - 0.5) + noisy + signal;
      }
    }
    return createImageSet(nx, ny, { sci, chip });
  });
}

const clone = (set: ImageSet) => createImageSet(set.nx, set.ny, { sci: set.sci.slice(), chip: set.chip });

for (const [nx, ny, seed] of [
  [2 * 90, 64, 1],
  [2 * 130, 45, 2],
  [2 * 60, 120, 3],
] as const) {
  test(`destripeImages equals destripe on the four amp arrays (${nx}×${ny} chips)`, () => {
    const [one, two] = chips(seed, nx, ny);
    const byAmp = (a: ImageSet, b: ImageSet) => [a, a, b, b];
    const [oneA, twoA, oneB, twoB] = [clone(one!), clone(two!), clone(one!), clone(two!)];
    const sets = byAmp(oneA, twoA);
    const arrays = sets.map((set, amp) => readAmpArray(set, amp as AmpIndex, nx / 2));
    const expected = destripe(arrays);
    for (const [amp, array] of arrays.entries()) writeAmpArray(sets[amp]!, array);
    const got = destripeImages(byAmp(oneB, twoB));
    assert.deepEqual(got, expected);
    assert.ok(expected.skipped > 0 && expected.fixed > 0, "some rows fixed, some skipped");
    assert.deepEqual(oneB.sci, oneA.sci, "chip 1");
    assert.deepEqual(twoB.sci, twoA.sci, "chip 2");
  });
}
