/**
 * ACSREJ and WF3REJ read their members from the chip store by bands of rows (engine/stored-member-rows.ts) and
 * write the CR flags back by rows: the rows equal the stored pixels across band edges, the DQ goes back in
 * place (SCI and ERR bytes untouched), the product is written by rows and appears only when complete, and
 * the whole rejection (sky, guess, iterations, CR flags) on stored
 * members of 150 rows (three bands) equals the same task on members in memory, bit for bit: both sky methods
 * of WF3REJ, both guesses, an input that took no part, with the WebAssembly kernels.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { CrrejParameters } from "../../src/calib/common/crrejtab.js";
import { createImageSet, type ImageSet, UNBINNED } from "../../src/calib/common/imset.js";
import type { Wf3CcdParameters } from "../../src/calib/wfc3/ccdtab.js";
import { rejectTask } from "../../src/engine/acs/tasks.js";
import { readStoredImageSet, writeStoredImageSet } from "../../src/engine/chip-store.js";
import { storedMemberRows, storedProductRows } from "../../src/engine/stored-member-rows.js";
import { uvisRejectTask } from "../../src/engine/wfc3/uvis-tasks.js";
import { FitsError, FitsFile } from "../../src/fits/index.js";
import { mulberry32 } from "../helpers/mulberry32.js";

const NX = 40;
const NY = 150;
const CR = 8192;

/** Sky with a gradient and noise, bad pixels, cosmic rays (some trails across rows). */
function members(seed: number, count: number): ImageSet[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const set = createImageSet(NX, NY, { geometry: UNBINNED, chip: 1 });
    for (let k = 0; k < NX * NY; k++) {
      set.sci[k] = 300 + 40 * Math.sin(k / 23) + 12 * (random() - 0.5);
      set.err[k] = Math.sqrt(set.sci[k]! + 16);
      if (random() < 0.01) set.dq[k] = [4, 32, 256][Math.floor(3 * random())]!;
    }
    for (let c = 0; c < 60; c++) {
      const k = Math.floor(random() * NX * NY);
      for (let t = 0; t < 3 && k + t * NX < NX * NY; t++) set.sci[k + t * NX]! += 800 + 3000 * random();
    }
    return set;
  });
}

const bytes = (a: Float32Array | Uint16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function withStore<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "member-rows-"));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("stored member rows: bands across the 64-row edges equal the stored pixels; CR flags go back in place", () =>
  withStore((dir) => {
    const [set] = members(3, 1);
    const path = join(dir, "m_blv_tmp_1.fits");
    writeStoredImageSet(path, set!);
    const before = readFileSync(path);
    const rows = storedMemberRows(path, set!);
    for (const [y0, n] of [
      [0, 1],
      [60, 10],
      [63, 2],
      [149, 1],
      [0, NY],
      [5, 64],
    ] as const) {
      const band = rows.band(y0, n);
      assert.deepEqual(bytes(band.sci), bytes(set!.sci.subarray(y0 * NX, (y0 + n) * NX)), `SCI ${y0}+${n}`);
      assert.deepEqual(bytes(band.dq), bytes(set!.dq.subarray(y0 * NX, (y0 + n) * NX)), `DQ ${y0}+${n}`);
    }
    assert.throws(() => rows.band(NY - 1, 2), RangeError);
    const flagged = set!.dq.slice();
    for (const y of [0, 1, 2, 70, 71, 149]) {
      const row = flagged.subarray(y * NX, (y + 1) * NX);
      row[y % NX] = row[y % NX]! | CR;
      rows.putDq(y, row);
    }
    rows.flush();
    assert.deepEqual(rows.band(70, 1).dq[70 % NX]! & CR, CR, "a cached row shows its flags");
    const back = readStoredImageSet(path, set!);
    assert.deepEqual(bytes(back.dq), bytes(flagged));
    const dqAt = FitsFile.open(path);
    const at = dqAt.hdu("DQ", 1).dataOffset;
    dqAt.close();
    assert.deepEqual(readFileSync(path).subarray(0, at), before.subarray(0, at), "SCI and ERR untouched");

    const cut = join(dir, "cut.fits");
    writeFileSync(cut, before.subarray(0, 2880 * 3));
    assert.throws(
      () => storedMemberRows(cut, set!),
      (e: unknown) => e instanceof FitsError && e.message.includes(cut),
    );
  }));

test("stored product rows: written a band at a time, bit for bit; under its name only when every row is in", () =>
  withStore((dir) => {
    const [set] = members(5, 1);
    const path = join(dir, "p_crj_tmp_1.fits");
    const product = storedProductRows(path, set!);
    const row = (y: number) => [y * NX, (y + 1) * NX] as const;
    for (let y = 0; y < NY; y++) {
      product.put(y, set!.sci.subarray(...row(y)), set!.err.subarray(...row(y)), set!.dq.subarray(...row(y)));
      if (y === 100) assert.equal(existsSync(path), false, "no product under its name before the last row");
    }
    product.finish();
    const back = readStoredImageSet(path, set!);
    for (const plane of ["sci", "err", "dq"] as const) assert.deepEqual(bytes(back[plane]), bytes(set![plane]), plane);
    assert.deepEqual(readdirSync(dir), ["p_crj_tmp_1.fits"], "no temporary file left");

    const short = storedProductRows(join(dir, "short.fits"), set!);
    assert.throws(() => short.put(1, set!.sci, set!.err, set!.dq), RangeError, "rows in order");
    short.put(0, set!.sci.subarray(0, NX), set!.err.subarray(0, NX), set!.dq.subarray(0, NX));
    assert.throws(() => short.finish(), /1 of its 150 rows/);
    assert.equal(existsSync(join(dir, "short.fits")), false);
  }));

const parameters = (extra: Partial<CrrejParameters>): CrrejParameters => ({
  initgues: "med",
  skysub: "mode",
  crsigmas: "6,5,4",
  sigmas: [6, 5, 4],
  crradius: 2.1,
  crthresh: 0.5555,
  scalense: 1,
  badinpdq: 39,
  crmask: true,
  meanexp: 100,
  ...extra,
});

/** The task on members in memory, then on the same members stored: product and members' DQ must be equal. */
function storedEqualsHeld(
  task: (args: never) => { result: { sci: Float32Array; err: Float32Array; dq: Uint16Array; nrej: number } },
  args: (images: ImageSet[]) => Record<string, unknown>,
  exptimes: number[],
): number {
  const held = members(11, exptimes.length);
  const expected = task({ ...args(held), exptimes } as never).result;
  return withStore((dir) => {
    const paths = members(11, exptimes.length).map((set, n) => {
      const path = join(dir, `m${n}_blv_tmp_1.fits`);
      writeStoredImageSet(path, set);
      return path;
    });
    const productStore = join(dir, "p_crj_tmp_1.fits");
    const done = task({ ...args([]), exptimes, stored: paths, productStore } as never);
    assert.equal(done.result.nrej, expected.nrej);
    const like = createImageSet(NX, NY);
    const product = readStoredImageSet(productStore, like);
    for (const plane of ["sci", "err", "dq"] as const) assert.deepEqual(bytes(product[plane]), bytes(expected[plane]));
    paths.forEach((path, n) => {
      assert.deepEqual(bytes(readStoredImageSet(path, like).dq), bytes(held[n]!.dq), `member ${n}'s CR flags`);
    });
    assert.ok(
      held.some((set) => set.dq.some((d) => (d & CR) !== 0)),
      "cosmic rays were flagged",
    );
    return expected.nrej;
  });
}

const images = (sets: ImageSet[]) => sets.map(({ sci, err, dq }) => ({ sci, err, dq }));

for (const [label, extra, exptimes] of [
  ["median guess, three inputs", {}, [100, 100, 100]],
  ["minimum guess, an input that took no part", { initgues: "minimum" }, [100, 0, 90]],
] as const) {
  test(`ACSREJ on stored members read by rows equals ACSREJ in memory, bit for bit: ${label}`, () => {
    const args = (sets: ImageSet[]) => ({
      nx: NX,
      ny: NY,
      images: images(sets),
      parameters: parameters(extra),
      imagetyp: "EXTERNAL",
    });
    assert.ok(storedEqualsHeld(rejectTask, args, [...exptimes]) > 0);
  });
}

for (const [label, extra, exptimes] of [
  ["median guess, SKYSUB mode", {}, [100, 100, 100]],
  ["minimum guess, SKYSUB mean, an input that took no part", { initgues: "minimum", skysub: "mean" }, [100, 0, 90]],
] as const) {
  test(`WF3REJ on stored members read by rows equals WF3REJ in memory, bit for bit: ${label}`, () => {
    const args = (sets: ImageSet[]) => ({
      nx: NX,
      ny: NY,
      images: images(sets),
      parameters: parameters(extra),
      imagetyp: "EXTERNAL",
      params: { ccdchip: 2, ampx: 20 } as Wf3CcdParameters,
      geometry: UNBINNED,
      chip: 2,
      readnoise: [3.1, 3.05, 3.2, 3.15],
      atodgain: [1.5, 2, 1.6, 1.7],
    });
    assert.ok(storedEqualsHeld(uvisRejectTask, args, [...exptimes]) > 0);
  });
}
