/**
 * WF3REJ's task on image sets kept in the chip store (engine/wfc3/uvis-tasks.ts, engine/cr-combine.ts): the
 * inputs are read without their ERR (unless a single exposed input is copied into the product) and only their
 * DQ is written back, in place. The product and the CR flags must equal those of the same task on the image
 * sets in memory, bit for bit, and the stored SCI and ERR bytes must not change.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { CrrejParameters } from "../../src/calib/common/crrejtab.js";
import { createImageSet, UNBINNED } from "../../src/calib/common/imset.js";
import type { Wf3CcdParameters } from "../../src/calib/wfc3/ccdtab.js";
import { ChipStore, readStoredImageSet, writeStoredImageSet } from "../../src/engine/chip-store.js";
import { type UvisRejectTaskArgs, uvisRejectTask } from "../../src/engine/wfc3/uvis-tasks.js";
import { FitsFile } from "../../src/fits/index.js";
import { mulberry32 } from "../helpers/mulberry32.js";

const NX = 24;
const NY = 9;
const CR = 8192;

const parameters: CrrejParameters = {
  initgues: "minimum",
  skysub: "mode",
  crsigmas: "6,5",
  sigmas: [6, 5],
  crradius: 1,
  crthresh: 0.5555,
  scalense: 0,
  badinpdq: 0,
  crmask: true,
  meanexp: 10,
};

/** A sky of ~100 DN with noise, a few bad pixels, one cosmic ray per input, and an ERR that is not zero. */
function inputs(seed: number) {
  const random = mulberry32(seed);
  return [0, 1].map((n) => {
    const set = createImageSet(NX, NY, { geometry: UNBINNED, chip: 1 });
    for (let k = 0; k < NX * NY; k++) {
      set.sci[k] = 100 + 10 * (random() - 0.5);
      set.err[k] = 3 + random();
    }
    set.sci[(3 + 2 * n) * NX + 5 + 7 * n] = 4000;
    set.dq[NX + 2] = 4;
    return set;
  });
}

function args(exptimes: number[], sets: ReturnType<typeof inputs>, images: boolean): UvisRejectTaskArgs {
  return {
    nx: NX,
    ny: NY,
    images: images ? sets.map(({ sci, err, dq }) => ({ sci, err, dq })) : [],
    exptimes,
    parameters,
    imagetyp: "EXT",
    params: { ccdchip: 1, ampx: 12 } as Wf3CcdParameters,
    geometry: UNBINNED,
    chip: 1,
    readnoise: [3.1, 3.05, 3.2, 3.15],
    atodgain: [1.5, 2, 1.6, 1.7],
  };
}

const bits = (a: Float32Array | Uint16Array) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

for (const [label, exptimes] of [
  ["two exposed inputs (ERR not read)", [10, 12]],
  ["a single exposed input (its ERR copied into the product)", [0, 12]],
] as const) {
  test(`WF3REJ on stored image sets equals WF3REJ in memory, bit for bit: ${label}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "reject-store-"));
    try {
      const inMemory = inputs(7);
      const expected = uvisRejectTask(args([...exptimes], inMemory, true)).result;

      const store = new ChipStore(dir);
      const paths = inputs(7).map((set, n) => {
        const path = store.path(`iabc01a${n + 1}q_blv_tmp_1`);
        writeStoredImageSet(path, set);
        return path;
      });
      const before = paths.map((p) => readFileSync(p));
      const productStore = store.path("iabc01021_crj_tmp_1");
      const done = uvisRejectTask({ ...args([...exptimes], inputs(7), false), stored: paths, productStore });
      assert.deepEqual(done.images, [], "no pixels go back to the main thread");
      assert.equal(done.result.sci.length, 0);

      const product = readStoredImageSet(productStore, createImageSet(NX, NY));
      assert.deepEqual(bits(product.sci), bits(expected.sci));
      assert.deepEqual(bits(product.err), bits(expected.err));
      assert.deepEqual(bits(product.dq), bits(expected.dq));
      paths.forEach((path, n) => {
        const back = readStoredImageSet(path, createImageSet(NX, NY));
        assert.deepEqual(bits(back.dq), bits(inMemory[n]!.dq), `input ${n}: its CR flags`);
        const file = FitsFile.open(path);
        const dqAt = file.hdu("DQ", 1).dataOffset;
        file.close();
        const after = readFileSync(path);
        assert.deepEqual(after.subarray(0, dqAt), before[n]!.subarray(0, dqAt), `input ${n}: SCI and ERR untouched`);
      });
      if (exptimes[0] > 0) {
        assert.ok(
          inMemory.some((set) => set.dq.some((d) => (d & CR) !== 0)),
          "the cosmic rays were flagged",
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
