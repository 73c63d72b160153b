import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { BAND_ROWS, forEachBand } from "../../src/calib/acs/reference-rows.js";
import { readImageSetFile } from "../../src/engine/imset-io.js";
import { rowReference, rowReferenceFile } from "../../src/engine/reference-rows-file.js";
import { FitsError, FitsWriter, Header } from "../../src/fits/index.js";
import { HST_DATA } from "../helpers/paths.js";

const NX = 37;
const NY = 2 * BAND_ROWS + 45; // three bands, the last one short

function extension(name: string, ver: number, chip?: number): Header {
  const h = new Header().set("EXTNAME", name).set("EXTVER", ver);
  if (chip !== undefined) h.set("CCDCHIP", chip).set("LTV1", -3).set("LTV2", 0);
  return h;
}

/** Two image sets: float SCI, constant ERR and full DQ with the sign bit; uint16 SCI (BZERO), full ERR, constant DQ. */
function writeReference(path: string): void {
  const n = NX * NY;
  const w = new FitsWriter(path);
  w.writeImage(new Header().set("PEDIGREE", "INFLIGHT 01/01/2020").set("DESCRIP", "rows test"));
  w.writeImage(
    extension("SCI", 1, 2),
    Float32Array.from({ length: n }, (_, k) => Math.fround(Math.sin(k) * 1000)),
    [NX, NY],
  );
  w.writeConstantImage(extension("ERR", 1), 0.25, [NX, NY], -32);
  w.writeImage(
    extension("DQ", 1),
    Int16Array.from({ length: n }, (_, k) => (k % 7 === 0 ? -32768 : k % 300)),
    [NX, NY],
  );
  w.writeImage(
    extension("SCI", 2, 1),
    Uint16Array.from({ length: n }, (_, k) => (k * 97) % 65536),
    [NX, NY],
  );
  w.writeImage(
    extension("ERR", 2),
    Float32Array.from({ length: n }, (_, k) => k / 3),
    [NX, NY],
  );
  w.writeConstantImage(extension("DQ", 2), 4, [NX, NY], 16);
  w.close();
}

async function withDir(run: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "caldp-rows-"));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("a reference read by bands of rows has, band after band, the pixels of the whole read", () =>
  withDir((dir) => {
    const path = join(dir, "ref_bia.fits");
    writeReference(path);
    const located = rowReferenceFile({ name: "jref$ref_bia.fits", path });
    assert.ok(located);
    // what goes to a worker is plain data: it survives a structured clone
    const reference = rowReference(structuredClone(located));
    assert.equal(reference.name, "jref$ref_bia.fits");
    assert.equal(reference.pedigree, "INFLIGHT 01/01/2020");
    assert.equal(reference.descrip, "rows test");
    const whole = readImageSetFile(path).imsets.map((i) => i.set);
    reference.imsets.forEach((set, k) => {
      assert.deepEqual([set.nx, set.ny, set.chip, set.geometry], [NX, NY, whole[k].chip, whole[k].geometry]);
      assert.equal(set.sci.length, 0, "the image sets themselves hold no pixels");
      let bands = 0;
      forEachBand(0, NY, (y0, y1) => {
        const rows = reference.readRows!(set, y0, y1);
        assert.equal(rows.ny, y1 - y0);
        for (const plane of ["sci", "err", "dq"] as const) {
          assert.deepEqual(rows[plane], whole[k][plane].subarray(y0 * NX, y1 * NX), `${plane} of imset ${k + 1}`);
        }
        bands++;
      });
      assert.equal(bands, 3);
    });
    // a band that starts inside the image (a subarray's offset)
    const middle = reference.readRows!(reference.imsets[1], 5, 9);
    assert.deepEqual(middle.sci, whole[1].sci.subarray(5 * NX, 9 * NX));
    assert.throws(() => reference.readRows!(reference.imsets[0], 0, NY + 1), FitsError);
  }));

test("a compressed reference is not read by rows (the caller reads it whole)", () =>
  withDir((dir) => {
    const path = join(dir, "ref_bia.fits");
    writeReference(path);
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
    assert.equal(rowReferenceFile({ name: "ref_bia.fits.gz", path: `${path}.gz` }), undefined);
  }));

test("an ERR or DQ not of its SCI's size is refused, naming the file and the extension", () =>
  withDir((dir) => {
    const path = join(dir, "bad_bia.fits");
    const w = new FitsWriter(path);
    w.writeImage(new Header());
    w.writeImage(extension("SCI", 1, 1), new Float32Array(NX * 4), [NX, 4]);
    w.writeImage(extension("ERR", 1), new Float32Array(NX * 3), [NX, 3]);
    w.writeConstantImage(extension("DQ", 1), 0, [NX, 4], 16);
    w.close();
    assert.throws(
      () => rowReferenceFile({ name: "bad_bia.fits", path }),
      (e: unknown) =>
        e instanceof FitsError && /ERR,1 does not have the 37x4 pixels/.test(e.message) && e.message.includes(path),
    );
  }));

test("a real raw file read by rows: unsigned SCI and constant ERR and DQ as the whole read has them", () => {
  const path = join(HST_DATA, "j8bt06o6q_raw.fits");
  const reference = rowReference(rowReferenceFile({ name: "j8bt06o6q_raw.fits", path })!);
  const [whole] = readImageSetFile(path).imsets.map((i) => i.set);
  const set = reference.imsets[0];
  for (const [y0, y1] of [
    [0, BAND_ROWS],
    [set.ny - 10, set.ny],
  ]) {
    const rows = reference.readRows!(set, y0, y1);
    for (const plane of ["sci", "err", "dq"] as const) {
      assert.deepEqual(rows[plane], whole[plane].subarray(y0 * set.nx, y1 * set.nx), plane);
    }
  }
});
