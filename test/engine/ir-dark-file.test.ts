/**
 * The IR DARKFILE read imset by imset (engine/wfc3/ir-dark-file.ts): each load gives the file's pixels and
 * SAMPTIME, the two imsets loaded last stay valid together (an interpolated read's pair), and a third load
 * reuses the older one's buffers; a gzip-compressed dark reads the same.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import type { IrDarkImset, IrDarkImsetSource } from "../../src/calib/wfc3/ir-dark.js";
import { readIrDark } from "../../src/engine/wfc3/ir-dark-file.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateIrSubarray } from "../../src/sim/wfc3-ir-subarray.js";

const out = mkdtempSync(join(tmpdir(), "ir-dark-file-"));
after(() => rmSync(out, { recursive: true, force: true }));

const sim = simulateIrSubarray({ rootname: "iabc06d1q", out, seed: 5, nsamp: 4 });
const darkPath = join(sim.referenceDir, readdirSync(sim.referenceDir).find((f) => f.endsWith("_drk.fits"))!);

/** Every imset as the FITS reader gives it, the zeroth read (highest EXTVER) first. */
function expected(): { samptime: number; sci: number[]; err: number[]; dq: number[] }[] {
  const file = FitsFile.open(darkPath);
  try {
    const versions = file.hdus.filter((h) => h.name === "SCI").map((h) => h.ver);
    return versions
      .sort((a, b) => b - a)
      .map((ver) => {
        const plane = (name: string) => {
          const image = file.readImage(file.hdu(name, ver));
          const n = image.axes[0] * image.axes[1];
          if (image.constant !== undefined) return new Array<number>(n).fill(image.constant);
          return Array.from(image.data as ArrayLike<number>, (v) => (name === "DQ" ? v & 0xffff : v));
        };
        const samptime = file.hdu("SCI", ver).header.getNumber("SAMPTIME");
        return { samptime, sci: plane("SCI"), err: plane("ERR"), dq: plane("DQ") };
      });
  } finally {
    file.close();
  }
}

const loaded = (imset: IrDarkImsetSource | IrDarkImset) => {
  assert.ok("load" in imset, "imsets are read when asked for");
  const d = imset.load();
  return { samptime: d.samptime, sci: Array.from(d.sci), err: Array.from(d.err), dq: Array.from(d.dq) };
};

test("a dark imset loaded on demand has the file's pixels; the last two loaded stay valid", () => {
  const want = expected();
  assert.ok(want.length >= 4, "the simulated dark has an imset per read");
  const dark = readIrDark(darkPath);
  assert.deepEqual(
    dark.imsets.map((d) => d.samptime),
    want.map((w) => w.samptime),
  );
  want.forEach((w, k) => {
    assert.deepEqual(loaded(dark.imsets[k]), w, `imset ${k}`);
  });
  const [a, b, c] = [1, 2, 3].map((k) => dark.imsets[k] as IrDarkImsetSource);
  const first = a.load();
  const second = b.load();
  assert.deepEqual(Array.from(first.sci), want[1].sci, "the pair loaded together are both intact");
  assert.deepEqual(Array.from(second.sci), want[2].sci);
  assert.equal(a.load(), first, "one still held is not read again");
  c.load();
  assert.deepEqual(Array.from(a.load().sci), want[1].sci, "held, it survived the third load");
});

test("a gzip-compressed DARKFILE reads the same imsets", () => {
  const gz = join(out, "dark_drk.fits.gz");
  writeFileSync(gz, gzipSync(readFileSync(darkPath)));
  const dark = readIrDark(gz);
  expected().forEach((w, k) => {
    assert.deepEqual(loaded(dark.imsets[k]), w, `imset ${k}`);
  });
});
