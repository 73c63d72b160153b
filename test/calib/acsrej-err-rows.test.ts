import assert from "node:assert/strict";
import { test } from "node:test";
import { type RejectionImage, rejectChip } from "../../src/calib/common/cr-reject.js";
import { mulberry32 } from "../helpers/mulberry32.js";

const NX = 41;
const NY = 150;
const PARAMETERS = {
  initgues: "med",
  skysub: "mode",
  crsigmas: "6,5,4",
  sigmas: [6, 5, 4],
  crradius: 2.1,
  crthresh: 0.5555,
  scalense: 0,
  badinpdq: 39,
  crmask: true,
  meanexp: 100,
};

function stack(seed: number, n: number): RejectionImage[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const sci = Float32Array.from({ length: NX * NY }, (_, k) => 200 + 30 * Math.sin(k / 17) + 10 * random());
    const err = Float32Array.from(sci, (v) => Math.sqrt(v + 25));
    for (let c = 0; c < 40; c++) sci[Math.floor(random() * NX * NY)]! += 500 + 2000 * random();
    return { sci, err, dq: new Uint16Array(NX * NY) };
  });
}

const copy = (images: RejectionImage[]) =>
  images.map((i) => ({ sci: i.sci.slice(), err: i.err.slice(), dq: i.dq.slice() }));
const bits = (a: Float32Array | Uint16Array) => new Uint32Array(Float32Array.from(a).buffer);

/** The same images with ERR given a row at a time (as the chip store reads them); the rows asked are counted. */
function byRows(images: RejectionImage[], asked: number[]): RejectionImage[] {
  return copy(images).map((i, n) => ({
    ...i,
    err: new Float32Array(0),
    errRow: (y: number) => {
      asked[n]!++;
      return i.err.slice(y * NX, (y + 1) * NX);
    },
  }));
}

for (const [label, exptimes] of [
  ["three exposed inputs", [100, 100, 100]],
  ["one exposed input (its ERR copied whole)", [0, 100, 0]],
] as const) {
  test(`ACSREJ with the inputs' ERR read a row at a time equals the whole-ERR rejection bit for bit: ${label}`, () => {
    const images = stack(71, exptimes.length);
    const whole = rejectChip({
      nx: NX,
      ny: NY,
      images: copy(images),
      exptimes: [...exptimes],
      imagetyp: "EXTERNAL",
      parameters: PARAMETERS,
    });
    const asked = exptimes.map(() => 0);
    const rows = rejectChip({
      nx: NX,
      ny: NY,
      images: byRows(images, asked),
      exptimes: [...exptimes],
      imagetyp: "EXTERNAL",
      parameters: PARAMETERS,
    });
    for (const plane of ["sci", "err", "dq"] as const) assert.deepEqual(bits(rows[plane]), bits(whole[plane]), plane);
    assert.equal(rows.nrej, whole.nrej);
    whole.inputDq?.forEach((dq, n) => {
      assert.deepEqual(rows.inputDq![n], dq, `input ${n}'s CR flags`);
    });
    assert.ok(
      asked.some((count) => count >= NY),
      "the ERR rows were read",
    );
    if (exptimes[1] === 100 && exptimes[0] === 100) assert.ok(whole.nrej > 0, "cosmic rays were rejected");
  });
}
