/**
 * An independent check of ACSREJ on a synthetic CR-SPLIT: four exposures (100, 100, 200, 200 s) of a
 * known scene with Gaussian noise (seeded) and injected cosmic rays. The statistics asserted: at least
 * 99% of the injected CR pixels above 5σ are flagged, fewer than 0.1% of the pixels away from any CR
 * are flagged, and the combined SCI agrees with the truth within ERR as a Gaussian would
 * (60–76% within 1·ERR, ≥ 99% within 3·ERR).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { rejectChip } from "../../src/calib/common/cr-reject.js";
import { mulberry32 } from "../helpers/mulberry32.js";

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const NX = 256;
const NY = 256;
const READNOISE = 5;

/** Background 2 e/s plus a few Gaussian stars. */
function scene(random: () => number): Float64Array {
  const rate = new Float64Array(NX * NY).fill(2);
  for (let s = 0; s < 30; s++) {
    const cx = random() * NX;
    const cy = random() * NY;
    const peak = 5 + random() * 200;
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(NY, cy + 8); y++) {
      for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(NX, cx + 8); x++) {
        rate[y * NX + x]! += peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 1.5 ** 2));
      }
    }
  }
  return rate;
}

test("ACSREJ on a synthetic stack: CR detection, false positives, combined SCI against the truth", () => {
  const random = mulberry32(20260630);
  const normal = gaussian(random);
  const truth = scene(random);
  const exptimes = [100, 100, 200, 200];
  const injected: Set<number>[] = exptimes.map(() => new Set());
  const nearCr = new Uint8Array(NX * NY);
  const images = exptimes.map((t, n) => {
    const sci = new Float32Array(NX * NY);
    const err = new Float32Array(NX * NY);
    for (let k = 0; k < NX * NY; k++) {
      const expected = truth[k]! * t;
      err[k] = Math.sqrt(expected + READNOISE ** 2);
      sci[k] = expected + err[k]! * normal();
    }
    for (let c = 0; c < 300; c++) {
      // single pixels and short trails, 5σ to a few thousand electrons
      const x = 2 + Math.floor(random() * (NX - 4));
      const y = 2 + Math.floor(random() * (NY - 4));
      const length = 1 + Math.floor(random() * 3);
      for (let l = 0; l < length; l++) {
        const k = y * NX + x + l;
        const amplitude = err[k]! * (5 + random() * 100);
        sci[k]! += amplitude;
        injected[n]!.add(k);
      }
      for (let dy = -3; dy <= 3; dy++) for (let dx = -3; dx <= length + 2; dx++) nearCr[(y + dy) * NX + x + dx] = 1;
    }
    return { sci, err, dq: new Uint16Array(NX * NY) };
  });

  const started = performance.now();
  const result = rejectChip({
    nx: NX,
    ny: NY,
    images,
    exptimes,
    imagetyp: "EXTERNAL",
    parameters: {
      initgues: "med",
      skysub: "mode",
      crsigmas: "6,5,4",
      sigmas: [6, 5, 4],
      crradius: 2.1,
      crthresh: 0.5555,
      scalense: 0,
      badinpdq: 39,
      crmask: true,
      meanexp: 150,
    },
  });
  const elapsed = performance.now() - started;

  let flaggedCr = 0;
  let totalCr = 0;
  let falsePositive = 0;
  let clean = 0;
  images.forEach((_, n) => {
    const dq = result.inputDq![n]!;
    for (let k = 0; k < NX * NY; k++) {
      const flagged = (dq[k]! & 8192) !== 0;
      if (injected[n]!.has(k)) {
        totalCr++;
        if (flagged) flaggedCr++;
      } else if (!nearCr[k]) {
        clean++;
        if (flagged) falsePositive++;
      }
    }
  });
  const texpt = exptimes.reduce((a, b) => a + b, 0);
  let within1 = 0;
  let within3 = 0;
  let compared = 0;
  for (let k = 1; k < NX * NY; k++) {
    if (result.dq[k]! & 8192) continue;
    const deviation = Math.abs(result.sci[k]! - truth[k]! * texpt) / result.err[k]!;
    compared++;
    if (deviation <= 1) within1++;
    if (deviation <= 3) within3++;
  }
  const detection = flaggedCr / totalCr;
  const falseRate = falsePositive / clean;
  const fraction1 = within1 / compared;
  const fraction3 = within3 / compared;
  console.log(
    `# CR pixels flagged ${flaggedCr}/${totalCr} (${(100 * detection).toFixed(2)}%), false positives ` +
      `${falsePositive}/${clean} (${(100 * falseRate).toFixed(4)}%), |SCI−truth| ≤ ERR ${(100 * fraction1).toFixed(1)}%, ` +
      `≤ 3 ERR ${(100 * fraction3).toFixed(2)}%, sky ${result.sky.map((s) => s.toFixed(1)).join(" ")}, ${elapsed.toFixed(0)} ms`,
  );
  assert.ok(detection >= 0.99, `detection ${detection}`);
  assert.ok(falseRate < 0.001, `false positives ${falseRate}`);
  assert.ok(fraction1 > 0.6 && fraction1 < 0.76, `within 1 ERR ${fraction1}`);
  assert.ok(fraction3 >= 0.99, `within 3 ERR ${fraction3}`);
  assert.equal(result.err[0], -1);
});
