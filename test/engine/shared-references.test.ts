import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readImageSetFile, readImageSets, writeImageSets } from "../../src/engine/imset-io.js";
import { loadSharedImages } from "../../src/engine/shared-references.js";
import { WorkerPool } from "../../src/engine/worker-pool.js";
import { FitsError, FitsFile } from "../../src/fits/index.js";
import { HST_DATA } from "../helpers/paths.js";

const BIAS = join(HST_DATA, "j8bt05njq_raw.fits");
const THREE_IMSETS = join(HST_DATA, "ocmv0lw6q_raw.fits");

test("reference images: one shared copy per file for every exposure naming it, the pixels as read", async () => {
  const pool = new WorkerPool(2);
  try {
    const [first, second] = await loadSharedImages(
      pool,
      ["BIASFILE", "DARKFILE", "FLSHFILE"],
      [
        {
          references: {
            BIASFILE: { name: "jref$bias_a.fits", path: BIAS },
            DARKFILE: { name: "jref$dark.fits", path: THREE_IMSETS },
          },
        },
        { references: { BIASFILE: { name: "jref$bias_b.fits", path: BIAS }, CCDTAB: { name: "x", path: BIAS } } },
      ],
    );
    assert.deepEqual(Object.keys(first).sort(), ["BIASFILE", "DARKFILE"]);
    assert.deepEqual(Object.keys(second), ["BIASFILE"], "only the keywords asked for, only those named");
    assert.equal(first.BIASFILE!.name, "jref$bias_a.fits");
    assert.equal(second.BIASFILE!.name, "jref$bias_b.fits");
    const [a, b] = [first.BIASFILE!.imsets[0]!, second.BIASFILE!.imsets[0]!];
    assert.equal(a.sci.buffer, b.sci.buffer, "the file is read once: both exposures see the same buffer");
    for (const [image, path] of [
      [first.BIASFILE!, BIAS],
      [first.DARKFILE!, THREE_IMSETS],
    ] as const) {
      const expected = readImageSetFile(path);
      assert.equal(image.imsets.length, expected.imsets.length);
      image.imsets.forEach((set, k) => {
        for (const array of [set.sci, set.err, set.dq]) assert.ok(array.buffer instanceof SharedArrayBuffer);
        const want = expected.imsets[k]!.set;
        assert.deepEqual([set.nx, set.ny, set.chip, set.geometry], [want.nx, want.ny, want.chip, want.geometry]);
        assert.deepEqual(Float32Array.from(set.sci), want.sci);
        assert.deepEqual(Float32Array.from(set.err), want.err);
        assert.deepEqual(Uint16Array.from(set.dq), want.dq);
      });
      const header = FitsFile.open(path);
      assert.equal(image.pedigree, String(header.hdus[0]!.header.get("PEDIGREE") ?? "").trim());
      header.close();
    }
  } finally {
    await pool.close();
  }
});

test("a truncated reference image is a FitsError naming the file, and the file is left as it was", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-shared-ref-"));
  const path = join(dir, "short_bia.fits");
  copyFileSync(BIAS, path);
  truncateSync(path, 2880 * 300);
  const before = readFileSync(path);
  const pool = new WorkerPool(1);
  try {
    await assert.rejects(
      loadSharedImages(pool, ["BIASFILE"], [{ references: { BIASFILE: { name: "jref$short_bia.fits", path } } }]),
      (e) => e instanceof FitsError && e.message.includes(path),
    );
    assert.deepEqual(readFileSync(path), before);
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("only the imsets of the chips the exposures use, unless the keyword picks its imset by number", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-shared-chips-"));
  const path = join(dir, "chips_bia.fits");
  const file = FitsFile.open(THREE_IMSETS);
  const sets = readImageSets(file);
  file.close();
  sets.imsets.forEach((hdus, k) => {
    hdus.sci.set("CCDCHIP", [1, 2, 2][k]!);
  });
  writeImageSets(path, sets);
  const pool = new WorkerPool(2);
  const names = (keyword: string) => ({ [keyword]: { name: `iref$${keyword}.fits`, path } });
  const imsetsOf = async (keyword: string, chips: (number[] | undefined)[], whole: string[] = []) => {
    const images = await loadSharedImages(
      pool,
      [keyword],
      chips.map((c) => ({ references: names(keyword), chips: c })),
      whole,
    );
    return images[0]![keyword]!.imsets.map((set) => [set.chip, set.sci[0]]);
  };
  const first = (k: number) => sets.imsets[k]!.set.sci[0];
  try {
    assert.deepEqual(await imsetsOf("BIASFILE", [[2]]), [
      [2, first(1)],
      [2, first(2)],
    ]);
    assert.deepEqual(await imsetsOf("BIASFILE", [[1]]), [[1, first(0)]]);
    assert.equal((await imsetsOf("BIASFILE", [[1], [2]])).length, 3, "the chips of every exposure naming it");
    assert.equal((await imsetsOf("BIASFILE", [[1], undefined])).length, 3, "an exposure without chips: all");
    assert.equal((await imsetsOf("SNKCFILE", [[2]], ["SNKCFILE"])).length, 3, "chosen by number: all");
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
